from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import State

from courseware.quizzes.scheduling import after_review, after_wrong, from_leitner_box, is_due

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def test_a_wrong_answer_comes_back_within_minutes_not_tomorrow():
    schedule = after_wrong(now=NOW)
    assert schedule.due_at == NOW + timedelta(minutes=1)
    assert schedule.state == State.Learning and schedule.learning


def test_same_day_learning_steps_then_days_that_grow_with_each_right_answer():
    schedule, now, gaps = after_wrong(now=NOW), NOW, []
    for _ in range(5):
        now = schedule.due_at
        schedule = after_review(current=schedule, correct=True, now=now)
        gaps.append(schedule.due_at - now)
    assert gaps[0] == timedelta(minutes=10)  # the second learning step, the same day
    assert gaps[1] >= timedelta(days=1) and schedule.state == State.Review
    assert gaps[1] < gaps[2] < gaps[3] < gaps[4]


def test_a_wrong_review_answer_relearns_within_minutes():
    schedule = after_wrong(now=NOW)
    for _ in range(4):
        schedule = after_review(current=schedule, correct=True, now=schedule.due_at)
    assert schedule.state == State.Review
    when = schedule.due_at
    relearning = after_review(current=schedule, correct=False, now=when)
    assert relearning.state == State.Relearning and relearning.due_at == when + timedelta(minutes=10)


def test_the_same_answers_give_the_same_schedule():
    assert after_review(current=after_wrong(now=NOW), correct=True, now=NOW) == after_review(
        current=after_wrong(now=NOW), correct=True, now=NOW
    )


def test_leitner_boxes_become_cards_that_keep_their_due_dates():
    box0 = from_leitner_box(box=0, due_at=NOW, last_seen=NOW - timedelta(days=1))
    assert (box0.state, box0.due_at) == (State.Learning, NOW)
    box3 = from_leitner_box(box=3, due_at=NOW, last_seen=NOW - timedelta(days=14))
    assert (box3.state, box3.stability, box3.due_at) == (State.Review, 14.0, NOW)
    retired = from_leitner_box(box=5, due_at=None, last_seen=NOW)
    assert retired.due_at == NOW + timedelta(days=60)
    assert after_review(current=box3, correct=True, now=NOW).due_at - NOW > timedelta(days=14)


def test_is_due_at_and_after_the_due_time():
    due = NOW + timedelta(days=1)
    assert not is_due(due, now=NOW)
    assert is_due(due, now=due)
    assert is_due(due, now=due + timedelta(seconds=1))
    assert not is_due(None, now=due)
