"""Spaced review: when a question a learner got wrong comes back. Pure; `now` is always passed in.

A question answered wrong goes into box 0 and is due after INTERVALS[0] days. A right answer in review
moves it one box further out (1 → 3 → 7 → 14 → 30 days); a right answer in the last box retires it
(due_at None). A wrong answer, in review or in a later quiz attempt, puts it back into box 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVALS_DAYS = (1, 3, 7, 14, 30)


@dataclass(frozen=True)
class Schedule:
    box: int
    due_at: datetime | None

    @property
    def retired(self) -> bool:
        return self.due_at is None


def after_wrong(*, now: datetime) -> Schedule:
    return Schedule(box=0, due_at=now + timedelta(days=INTERVALS_DAYS[0]))


def after_review(*, box: int, correct: bool, now: datetime) -> Schedule:
    if not correct:
        return after_wrong(now=now)
    next_box = max(box, 0) + 1
    if next_box >= len(INTERVALS_DAYS):
        return Schedule(box=len(INTERVALS_DAYS), due_at=None)
    return Schedule(box=next_box, due_at=now + timedelta(days=INTERVALS_DAYS[next_box]))


def is_due(due_at: datetime | None, *, now: datetime) -> bool:
    return due_at is not None and due_at <= now
