"""Writes: starting and finishing attempts, storing answers (idempotently), review scheduling, carry-over."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import scheduling
from .content import Question, Quiz
from .grading import Grade, grade
from .models import Answer, Attempt, ReviewItem

ANON_SESSION_KEY = "quizzes_anon_token"
ALREADY_ANSWERED = "You already answered this question; your first answer counts."


class AttemptFinished(Exception):
    """The attempt is finished: its answers can no longer change."""


@dataclass(frozen=True)
class SubmitResult:
    answer: Answer
    grade: Grade
    created: bool
    message: str = ""


def anon_token_for(session, *, create: bool) -> str:
    """The anonymous visitor's token, kept in the session (it survives the key rotation at login)."""
    token = session.get(ANON_SESSION_KEY, "")
    if not token and create:
        token = secrets.token_urlsafe(24)
        session[ANON_SESSION_KEY] = token
    return token if isinstance(token, str) else ""


def attempt_start(*, quiz: Quiz, user=None, anon_token: str = "", now: datetime | None = None) -> Attempt:
    authenticated = user is not None and user.is_authenticated
    if not authenticated and not anon_token:
        raise ValueError("an attempt needs a user or an anonymous token")
    return Attempt.objects.create(
        user=user if authenticated else None,
        anon_token="" if authenticated else anon_token,
        topic=quiz.topic,
        quiz=quiz.slug,
        seed=secrets.randbelow(2**31 - 1) + 1,
        content_hash=quiz.content_hash,
        started_at=now or timezone.now(),
    )


def _stored(answer: Answer, question: Question, response: dict[str, Any]) -> SubmitResult:
    message = "" if answer.response == response else ALREADY_ANSWERED
    return SubmitResult(answer=answer, grade=grade(question, answer.response), created=False, message=message)


def answer_submit(
    *, attempt: Attempt, question: Question, response: dict[str, Any], now: datetime | None = None
) -> SubmitResult:
    """Store one answer. A repeat (double click, retry) returns the stored answer and its result.

    Raises AttemptFinished when the attempt is finished. Concurrent identical posts store one row: the
    attempt row is locked (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers anyway) and the
    unique constraint on (attempt, question_id) backs it up.
    """
    now = now or timezone.now()
    result = grade(question, response)
    try:
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.finished_at is not None:
                raise AttemptFinished
            existing = Answer.objects.filter(attempt=locked, question_id=question.id).first()
            if existing is not None:
                return _stored(existing, question, response)
            answer = Answer.objects.create(
                attempt=locked,
                topic=locked.topic,
                quiz=locked.quiz,
                question_id=question.id,
                response=response,
                correct=result.correct,
                score=result.score,
                footgun=question.footgun,
                primer=question.primer,
                created_at=now,
            )
            if not result.correct and locked.user_id is not None:
                _review_wrong(
                    user_id=locked.user_id, topic=locked.topic, quiz=locked.quiz, question_id=question.id, now=now
                )
    except IntegrityError:
        existing = Answer.objects.get(attempt_id=attempt.pk, question_id=question.id)
        return _stored(existing, question, response)
    return SubmitResult(answer=answer, grade=result, created=True)


def attempt_finish(*, attempt: Attempt, quiz: Quiz, now: datetime | None = None) -> Attempt:
    """Score and close the attempt. Unanswered questions score 0. Finishing twice changes nothing."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.finished_at is not None:
            return locked
        score = sum(a.score for a in locked.answers.all() if quiz.question(a.question_id) is not None)
        locked.score = round(score, 4)
        locked.max_score = quiz.max_score
        locked.passed = bool(quiz.max_score) and locked.score / quiz.max_score >= quiz.pass_mark - 1e-9
        locked.finished_at = now or timezone.now()
        locked.save(update_fields=["score", "max_score", "passed", "finished_at"])
        return locked


def _review_wrong(*, user_id: int, topic: str, quiz: str, question_id: str, now: datetime) -> None:
    schedule = scheduling.after_wrong(now=now)
    # One upsert (INSERT ... ON CONFLICT DO UPDATE): no read, no race between two attempts of one learner.
    ReviewItem.objects.bulk_create(
        [
            ReviewItem(
                user_id=user_id,
                topic=topic,
                quiz=quiz,
                question_id=question_id,
                box=schedule.box,
                due_at=schedule.due_at,
                last_result=False,
                updated_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "topic", "quiz", "question_id"],
        update_fields=["box", "due_at", "last_result", "updated_at"],
    )


def review_record(*, item: ReviewItem, correct: bool, now: datetime | None = None) -> ReviewItem:
    """A review answer: right moves the question further out, wrong brings it back tomorrow."""
    now = now or timezone.now()
    schedule = scheduling.after_review(box=item.box, correct=correct, now=now)
    item.box = schedule.box
    item.due_at = schedule.due_at
    item.last_result = correct
    item.last_reviewed_at = now
    item.updated_at = now
    item.save(update_fields=["box", "due_at", "last_result", "last_reviewed_at", "updated_at"])
    return item


def session_carry_over(*, request, user, previous: dict[str, Any]) -> int:
    """Give the visitor's anonymous attempts (and the review items of their wrong answers) to the account."""
    token = previous.get(ANON_SESSION_KEY)
    if not token or not isinstance(token, str):
        return 0
    with transaction.atomic():
        attempts = list(Attempt.objects.select_for_update().filter(user__isnull=True, anon_token=token))
        Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(user=user, anon_token="")
        wrong = Answer.objects.filter(attempt__in=[a.pk for a in attempts], correct=False).order_by("created_at")
        for answer in wrong:
            _review_wrong(
                user_id=user.pk,
                topic=answer.topic,
                quiz=answer.quiz,
                question_id=answer.question_id,
                now=answer.created_at,
            )
    if hasattr(request, "session"):
        request.session.pop(ANON_SESSION_KEY, None)
    return len(attempts)
