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


SCHEDULE_FIELDS = ["state", "step", "stability", "difficulty", "due_at", "last_reviewed_at"]


def _review_wrong(*, user_id: int, topic: str, quiz: str, question_id: str, now: datetime) -> None:
    """A wrong quiz answer rates the question's card Again: new or known, it comes back within minutes."""
    key = {"user_id": user_id, "topic": topic, "quiz": quiz, "question_id": question_id}
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().filter(**key).first()
        if item is None:
            item = ReviewItem(**key, updated_at=now)
            item.set_schedule(scheduling.after_wrong(now=now))
            item.last_result = False
            try:
                with transaction.atomic():
                    item.save()
                return
            except IntegrityError:  # another request of the same learner created it first: rate that one
                item = ReviewItem.objects.select_for_update().get(**key)
        item.set_schedule(scheduling.after_wrong(current=item.schedule, now=now))
        item.last_result = False
        item.updated_at = now
        item.save(update_fields=[*SCHEDULE_FIELDS, "last_result", "updated_at"])


def review_record(*, item: ReviewItem, correct: bool, now: datetime | None = None) -> ReviewItem:
    """A review answer: right spaces the question further out (FSRS), wrong brings it back within minutes."""
    now = now or timezone.now()
    current = item.schedule
    schedule = (
        scheduling.after_review(current=current, correct=correct, now=now)
        if current is not None
        else scheduling.after_wrong(now=now)
    )
    item.set_schedule(schedule)
    item.last_result = correct
    item.updated_at = now
    item.save(update_fields=[*SCHEDULE_FIELDS, "last_result", "updated_at"])
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
