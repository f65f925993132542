from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from courseware.live import state as ls
from courseware.live.state import IllegalTransition, LiveState, transition

T0 = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def fresh(**kwargs) -> LiveState:
    return LiveState(question_count=3, question_seconds=30, has_exercise=True, exercise_seconds=120, **kwargs)


def run(state: LiveState, *actions: str, now: dt.datetime = T0) -> LiveState:
    for action in actions:
        state = transition(state, action, now)
    return state


def test_a_whole_session_goes_lobby_questions_finished():
    s = fresh()
    s = transition(s, "start", at(0))
    assert (s.state, s.index, s.deadline) == (ls.QUESTION_OPEN, 0, at(30))
    s = transition(s, "close", at(10))
    assert (s.state, s.deadline) == (ls.QUESTION_CLOSED, at(10))
    s = transition(s, "reveal", at(12))
    assert s.state == ls.REVEALED
    s = transition(s, "next", at(20))
    assert (s.state, s.index, s.deadline) == (ls.QUESTION_OPEN, 1, at(50))
    s = transition(s, "reveal", at(21))  # reveal ends answering at once
    assert (s.state, s.deadline) == (ls.REVEALED, at(21))
    s = run(s, "next", "reveal", now=at(30))
    assert (s.state, s.index) == (ls.REVEALED, 2)
    s = transition(s, "next", at(40))
    assert s.state == ls.FINISHED


def test_the_countdown_closes_a_question_without_anyone_acting():
    s = transition(fresh(), "start", at(0))
    assert s.settle(at(29.9)).state == ls.QUESTION_OPEN
    assert s.settle(at(30)).state == ls.QUESTION_CLOSED
    assert s.seconds_left(at(0)) == 30
    assert s.seconds_left(at(29.5)) == 1
    assert s.seconds_left(at(31)) is None
    with pytest.raises(IllegalTransition, match="Only an open question can be closed"):
        transition(s, "close", at(31))
    with pytest.raises(IllegalTransition, match="running countdown"):
        transition(s, "pause", at(31))
    assert transition(s, "reveal", at(31)).state == ls.REVEALED


def test_pause_keeps_the_time_left_and_resume_gives_it_back():
    s = transition(fresh(), "start", at(0))
    s = transition(s, "pause", at(10))
    assert (s.state, s.paused_from, s.pause_remaining, s.deadline) == (ls.PAUSED, ls.QUESTION_OPEN, 20.0, None)
    assert s.seconds_left(at(500)) == 20  # the clock does not run while paused
    assert s.settle(at(500)).state == ls.PAUSED
    s = transition(s, "resume", at(100))
    assert (s.state, s.deadline, s.pause_remaining) == (ls.QUESTION_OPEN, at(120), None)


def test_back_shows_the_previous_question_revealed_and_next_never_reopens_it():
    s = run(fresh(), "start", "reveal", "next", now=at(0))
    assert (s.state, s.index, s.reached) == (ls.QUESTION_OPEN, 1, 1)
    s = transition(s, "back", at(5))
    assert (s.state, s.index, s.deadline) == (ls.REVEALED, 0, None)
    s = transition(s, "next", at(6))
    assert (s.state, s.index) == (ls.REVEALED, 1)  # already played: its answers stay closed
    s = transition(s, "next", at(7))
    assert (s.state, s.index, s.reached, s.deadline) == (ls.QUESTION_OPEN, 2, 2, at(37))


def test_exercise_round_between_questions():
    s = run(fresh(), "start", "reveal", now=at(0))
    s = transition(s, "open_exercise", at(1))
    assert (s.state, s.index, s.deadline) == (ls.EXERCISE_OPEN, 0, at(121))
    s = transition(s, "pause", at(21))
    assert (s.paused_from, s.pause_remaining) == (ls.EXERCISE_OPEN, 100.0)
    s = transition(s, "resume", at(50))
    assert (s.state, s.deadline) == (ls.EXERCISE_OPEN, at(150))
    assert s.settle(at(150)).state == ls.EXERCISE_CLOSED
    s = transition(s, "close_exercise", at(60))
    assert s.state == ls.EXERCISE_CLOSED
    s = transition(s, "next", at(61))
    assert (s.state, s.index) == (ls.QUESTION_OPEN, 1)


def test_exercise_round_from_the_lobby_then_the_first_question():
    s = run(fresh(), "open_exercise", "close_exercise", now=at(0))
    s = transition(s, "next", at(1))
    assert (s.state, s.index) == (ls.QUESTION_OPEN, 0)


def test_an_exercise_only_session_cannot_start_questions():
    s = LiveState(question_count=0, has_exercise=True)
    with pytest.raises(IllegalTransition, match="no questions"):
        transition(s, "start", T0)
    s = run(s, "open_exercise", "close_exercise")
    assert transition(s, "next", T0).state == ls.FINISHED


def test_finish_ends_early_from_every_state_and_is_final():
    for state in (ls.LOBBY, ls.QUESTION_OPEN, ls.QUESTION_CLOSED, ls.REVEALED, ls.EXERCISE_OPEN, ls.EXERCISE_CLOSED):
        s = replace(fresh(), state=state, index=0, reached=0, deadline=at(30))
        assert transition(s, "finish", at(1)).state == ls.FINISHED
    paused = transition(transition(fresh(), "start", T0), "pause", at(1))
    done = transition(paused, "finish", at(2))
    assert (done.state, done.pause_remaining) == (ls.FINISHED, None)
    for action in ls.ACTIONS:
        with pytest.raises(IllegalTransition):
            transition(done, action, at(3))
    assert done.allowed(at(3)) == ()


# Every (state, action) pair that is not a legal move is refused with a message.
LEGAL = {
    ls.LOBBY: {"start", "open_exercise", "finish"},
    ls.QUESTION_OPEN: {"close", "reveal", "back", "pause", "finish"},
    ls.QUESTION_CLOSED: {"reveal", "next", "back", "open_exercise", "finish"},
    ls.REVEALED: {"next", "back", "open_exercise", "finish"},
    ls.EXERCISE_OPEN: {"pause", "close_exercise", "finish"},
    ls.EXERCISE_CLOSED: {"next", "open_exercise", "finish"},
    ls.PAUSED: {"resume", "finish"},
    ls.FINISHED: set(),
}


def _in(state: str) -> LiveState:
    base = fresh(index=1, reached=1)
    if state in (ls.QUESTION_OPEN, ls.EXERCISE_OPEN):
        return replace(base, state=state, deadline=at(30))
    if state == ls.PAUSED:
        return replace(base, state=state, paused_from=ls.QUESTION_OPEN, pause_remaining=12.0)
    return replace(base, state=state)


@pytest.mark.parametrize("state", ls.STATES)
@pytest.mark.parametrize("action", ls.ACTIONS)
def test_every_transition_is_either_legal_or_refused_with_a_message(state, action):
    current = _in(state)
    if action in LEGAL[state]:
        assert transition(current, action, T0).state in ls.STATES
    else:
        with pytest.raises(IllegalTransition) as refused:
            transition(current, action, T0)
        assert refused.value.message.endswith(".")


@pytest.mark.parametrize("state", ls.STATES)
def test_allowed_lists_exactly_the_legal_actions(state):
    assert set(_in(state).allowed(T0)) == LEGAL[state]


def test_back_from_the_first_question_and_unknown_actions_are_refused():
    s = transition(fresh(), "start", T0)
    with pytest.raises(IllegalTransition, match="first question"):
        transition(s, "back", T0)
    with pytest.raises(IllegalTransition, match="Unknown action"):
        transition(s, "explode", T0)
    no_exercise = LiveState(question_count=2)
    with pytest.raises(IllegalTransition, match="no exercise round"):
        transition(no_exercise, "open_exercise", T0)


def test_answer_refusals_say_why():
    s = transition(fresh(), "start", at(0))
    assert ls.answer_refusal(s, 0, at(29)) is None
    assert ls.answer_refusal(s, 0, at(30)) == "Time is up: answers for this question are closed."
    assert ls.answer_refusal(s, 1, at(1)) == "This question is not open for answers."
    assert ls.answer_refusal(transition(s, "reveal", at(5)), 0, at(6)) == (
        "The answer has been revealed: answers are closed."
    )
    assert "paused" in ls.answer_refusal(transition(s, "pause", at(5)), 0, at(6))
    assert ls.answer_refusal(fresh(), 0, at(0)) == "This question is not open for answers."
    ex = transition(fresh(), "open_exercise", at(0))
    assert ls.check_refusal(ex, at(119)) is None
    assert ls.check_refusal(ex, at(120)) == "Time is up: the exercise round is closed."
    assert ls.check_refusal(fresh(), at(0)) == "The exercise round is not open."
