from __future__ import annotations

from datetime import UTC, datetime, timedelta

from courseware.quizzes.scheduling import INTERVALS_DAYS, Schedule, after_review, after_wrong, is_due

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def test_a_wrong_answer_comes_back_after_one_day():
    assert after_wrong(now=NOW) == Schedule(box=0, due_at=NOW + timedelta(days=1))


def test_right_answers_move_the_question_out_1_3_7_14_30_days_then_retire_it():
    assert INTERVALS_DAYS == (1, 3, 7, 14, 30)
    box, now, gaps = 0, NOW, []
    while True:
        schedule = after_review(box=box, correct=True, now=now)
        if schedule.retired:
            break
        gaps.append((schedule.due_at - now).days)
        box, now = schedule.box, schedule.due_at
    assert gaps == [3, 7, 14, 30]
    assert schedule.due_at is None and not is_due(schedule.due_at, now=now)


def test_a_wrong_review_answer_brings_it_back_to_the_start():
    assert after_review(box=3, correct=False, now=NOW) == Schedule(box=0, due_at=NOW + timedelta(days=1))


def test_is_due_at_and_after_the_due_time():
    due = NOW + timedelta(days=1)
    assert not is_due(due, now=NOW)
    assert is_due(due, now=due)
    assert is_due(due, now=due + timedelta(seconds=1))
