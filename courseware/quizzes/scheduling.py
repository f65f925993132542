"""Spaced review with FSRS (the `fsrs` package): when a question a learner got wrong comes back. Pure; `now`
is always passed in.

A wrong answer (in a quiz or in review) rates the question's card Again; a right answer in review rates it
Good. Same-day learning steps come first: a new question answered wrong is due again after one minute,
then ten minutes, and only after that does FSRS space it out by days as its stability grows. A wrong
answer to a question already spaced out sends it back through a ten-minute relearning step.

    new ──Again──▶ learning (1 min) ──Good──▶ learning (10 min) ──Good──▶ review (days, growing)
                        ▲  Again                                            │ Again
                        └──────────── relearning (10 min) ◀─────────────────┘
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

LEARNING_STEPS = (timedelta(minutes=1), timedelta(minutes=10))
RELEARNING_STEPS = (timedelta(minutes=10),)
# No fuzzing: the same answers at the same times give the same schedule (tests and support can reason about it).
SCHEDULER = Scheduler(
    learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS, enable_fuzzing=False, maximum_interval=365
)


@dataclass(frozen=True)
class Schedule:
    """A question's FSRS card, as stored on its review item."""

    state: int  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due_at: datetime
    last_review: datetime | None = None

    @property
    def learning(self) -> bool:
        return self.state != State.Review


def _card(schedule: Schedule | None) -> Card:
    if schedule is None:
        return Card()
    return Card(
        state=State(schedule.state),
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=schedule.due_at,
        last_review=schedule.last_review,
    )


def _schedule(card: Card) -> Schedule:
    return Schedule(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_at=card.due,
        last_review=card.last_review,
    )


def after_wrong(*, current: Schedule | None = None, now: datetime) -> Schedule:
    """A wrong answer, in a quiz or in review: the question comes back within minutes."""
    card, _ = SCHEDULER.review_card(_card(current), Rating.Again, review_datetime=now)
    return _schedule(card)


def after_review(*, current: Schedule, correct: bool, now: datetime) -> Schedule:
    if not correct:
        return after_wrong(current=current, now=now)
    card, _ = SCHEDULER.review_card(_card(current), Rating.Good, review_datetime=now)
    return _schedule(card)


def from_leitner_box(*, box: int, due_at: datetime | None, last_seen: datetime) -> Schedule:
    """The FSRS card for a review row of the old Leitner boxes (1, 3, 7, 14, 30 days, then retired).

    Box 0 (answered wrong, due after a day) becomes a question still in learning, due when it was; box n
    becomes a review card whose stability is the interval it had reached (at FSRS's 90 % retention the
    next interval equals the stability), due when it was; a retired question (box 5) gets 60 days.
    """
    intervals = (1, 3, 7, 14, 30, 60)
    if box <= 0:
        return Schedule(state=int(State.Learning), step=0, stability=None, difficulty=None, due_at=due_at or last_seen)
    days = intervals[min(box, len(intervals) - 1)]
    return Schedule(
        state=int(State.Review),
        step=None,
        stability=float(days),
        difficulty=5.0,
        due_at=due_at or last_seen + timedelta(days=days),
        last_review=last_seen,
    )


def is_due(due_at: datetime | None, *, now: datetime) -> bool:
    return due_at is not None and due_at <= now
