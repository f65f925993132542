"""Reads: attempts a learner may see, best scores, due reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import Answer, Attempt, ReviewItem


def attempt_owned(*, pk: int, topic: str, quiz: str, user, anon_token: str) -> Attempt | None:
    """The attempt if it belongs to this learner or visitor; None otherwise (the view answers 404)."""
    return (
        Attempt.objects.owned_by(user=user, anon_token=anon_token).of_quiz(topic=topic, quiz=quiz).filter(pk=pk).first()
    )


def answers_by_question(*, attempt: Attempt) -> dict[str, Answer]:
    return {a.question_id: a for a in attempt.answers.all()}


def attempts_of_quiz(*, topic: str, quiz: str, user, anon_token: str, limit: int = 10) -> list[Attempt]:
    return list(
        Attempt.objects.owned_by(user=user, anon_token=anon_token)
        .of_quiz(topic=topic, quiz=quiz)
        .order_by("-started_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Best:
    percent: int
    passed: bool
    attempts: int


def best_scores(*, topic: str, user, anon_token: str) -> dict[str, Best]:
    """Best finished result per quiz of a topic, in one query."""
    rows = (
        Attempt.objects.owned_by(user=user, anon_token=anon_token)
        .filter(topic=topic)
        .finished()
        .values_list("quiz", "score", "max_score", "passed")
    )
    best: dict[str, Best] = {}
    for quiz, score, max_score, passed in rows:
        percent = round(100 * (score or 0) / max_score) if max_score else 0
        current = best.get(quiz)
        count = (current.attempts if current else 0) + 1
        if current is None or percent > current.percent:
            best[quiz] = Best(percent=percent, passed=bool(passed) or bool(current and current.passed), attempts=count)
        else:
            best[quiz] = Best(percent=current.percent, passed=current.passed or bool(passed), attempts=count)
    return best


def review_items_due(*, user, now: datetime) -> list[ReviewItem]:
    if not user.is_authenticated:
        return []
    return list(ReviewItem.objects.for_user(user).due(now=now).order_by("due_at", "topic", "quiz", "question_id"))


def review_due_count(*, user, now: datetime) -> int:
    if not user.is_authenticated:
        return 0
    return ReviewItem.objects.for_user(user).due(now=now).count()


def review_items_upcoming(*, user, now: datetime, limit: int = 20) -> list[ReviewItem]:
    if not user.is_authenticated:
        return []
    return list(ReviewItem.objects.for_user(user).filter(due_at__gt=now).order_by("due_at")[:limit])


def review_item(*, user, topic: str, quiz: str, question_id: str) -> ReviewItem | None:
    if not user.is_authenticated:
        return None
    return ReviewItem.objects.for_user(user).filter(topic=topic, quiz=quiz, question_id=question_id).first()
