"""The state machine of a live session: pure, no database, the clock passed in.

A countdown that has run out is read as closed (`settle`), so the server enforces deadlines without a
timer: whoever looks next (a poll, an answer, a transition) sees the question closed.

    lobby ─start→ question_open ─close/timeout→ question_closed ─reveal→ revealed ─next→ question_open …
    question_open ─reveal→ revealed            (reveal ends answering at once)
    question_open / exercise_open ─pause→ paused ─resume→ (where it was, with the time that was left)
    lobby / question_closed / revealed / exercise_closed ─open_exercise→ exercise_open ─close→ exercise_closed
    revealed / question_closed / question_open ─back→ revealed (the previous question, answers stay closed)
    any state but finished ─finish→ finished   (ending early included)

`next` opens a question only the first time it is reached; a question already played (after `back`)
comes back revealed, so going back and forth never reopens a question whose answer was shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

LOBBY = "lobby"
QUESTION_OPEN = "question_open"
QUESTION_CLOSED = "question_closed"
REVEALED = "revealed"
EXERCISE_OPEN = "exercise_open"
EXERCISE_CLOSED = "exercise_closed"
PAUSED = "paused"
FINISHED = "finished"
STATES = (LOBBY, QUESTION_OPEN, QUESTION_CLOSED, REVEALED, EXERCISE_OPEN, EXERCISE_CLOSED, PAUSED, FINISHED)
STATE_LABELS = {
    LOBBY: "Lobby",
    QUESTION_OPEN: "Question open",
    QUESTION_CLOSED: "Answers closed",
    REVEALED: "Answer revealed",
    EXERCISE_OPEN: "Exercise round open",
    EXERCISE_CLOSED: "Exercise round closed",
    PAUSED: "Paused",
    FINISHED: "Finished",
}
ACTIONS = ("start", "close", "reveal", "next", "back", "pause", "resume", "open_exercise", "close_exercise", "finish")


class IllegalTransition(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LiveState:
    state: str = LOBBY
    index: int = -1
    reached: int = -1
    deadline: dt.datetime | None = None
    paused_from: str = ""
    pause_remaining: float | None = None
    question_count: int = 0
    question_seconds: int = 30
    has_exercise: bool = False
    exercise_seconds: int = 300

    def settle(self, now: dt.datetime) -> LiveState:
        """The state as it is at `now`: an open round whose countdown ran out is closed."""
        if self.deadline is not None and now >= self.deadline:
            if self.state == QUESTION_OPEN:
                return replace(self, state=QUESTION_CLOSED)
            if self.state == EXERCISE_OPEN:
                return replace(self, state=EXERCISE_CLOSED)
        return self

    def seconds_left(self, now: dt.datetime) -> int | None:
        if self.state == PAUSED and self.pause_remaining is not None:
            return max(0, round(self.pause_remaining))
        settled = self.settle(now)
        if settled.state in (QUESTION_OPEN, EXERCISE_OPEN) and settled.deadline is not None:
            return max(0, int((settled.deadline - now).total_seconds() + 0.999))
        return None

    def allowed(self, now: dt.datetime) -> tuple[str, ...]:
        """The actions that are legal at `now` (for the host's buttons)."""
        legal = []
        for action in ACTIONS:
            try:
                transition(self, action, now)
            except IllegalTransition:
                continue
            legal.append(action)
        return tuple(legal)


def _refuse(message: str) -> IllegalTransition:
    return IllegalTransition(message)


def _open_question(state: LiveState, index: int, now: dt.datetime) -> LiveState:
    if index <= state.reached:
        # Already played: shown again with its results, never reopened.
        return replace(state, state=REVEALED, index=index, deadline=None, paused_from="", pause_remaining=None)
    return replace(
        state,
        state=QUESTION_OPEN,
        index=index,
        reached=index,
        deadline=now + dt.timedelta(seconds=state.question_seconds),
        paused_from="",
        pause_remaining=None,
    )


def start(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state != LOBBY:
        raise _refuse("The session has already started.")
    if state.question_count == 0:
        raise _refuse("This session has no questions; open the exercise round instead.")
    return _open_question(state, 0, now)


def close(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state != QUESTION_OPEN:
        raise _refuse("Only an open question can be closed.")
    return replace(state, state=QUESTION_CLOSED, deadline=min(state.deadline or now, now))


def reveal(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state not in (QUESTION_OPEN, QUESTION_CLOSED):
        raise _refuse("Only the current question's answer can be revealed.")
    deadline = min(state.deadline or now, now)
    return replace(state, state=REVEALED, deadline=deadline)


def next_step(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state not in (QUESTION_CLOSED, REVEALED, EXERCISE_CLOSED):
        raise _refuse("Close the current question (or round) before moving on.")
    if state.index + 1 >= state.question_count:
        return replace(state, state=FINISHED, deadline=None)
    return _open_question(state, state.index + 1, now)


def back(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state not in (QUESTION_OPEN, QUESTION_CLOSED, REVEALED):
        raise _refuse("Going back works from a question.")
    if state.index <= 0:
        raise _refuse("This is the first question.")
    return replace(state, state=REVEALED, index=state.index - 1, deadline=None)


def pause(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state not in (QUESTION_OPEN, EXERCISE_OPEN):
        raise _refuse("Only a running countdown can be paused.")
    assert state.deadline is not None
    return replace(
        state,
        state=PAUSED,
        paused_from=state.state,
        pause_remaining=(state.deadline - now).total_seconds(),
        deadline=None,
    )


def resume(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state != PAUSED:
        raise _refuse("The session is not paused.")
    remaining = state.pause_remaining or 0.0
    return replace(
        state,
        state=state.paused_from,
        deadline=now + dt.timedelta(seconds=remaining),
        paused_from="",
        pause_remaining=None,
    )


def open_exercise(state: LiveState, now: dt.datetime) -> LiveState:
    if not state.has_exercise:
        raise _refuse("This session has no exercise round.")
    if state.state not in (LOBBY, QUESTION_CLOSED, REVEALED, EXERCISE_CLOSED):
        raise _refuse("Close the current question before opening the exercise round.")
    return replace(
        state,
        state=EXERCISE_OPEN,
        deadline=now + dt.timedelta(seconds=state.exercise_seconds),
        paused_from="",
        pause_remaining=None,
    )


def close_exercise(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state != EXERCISE_OPEN:
        raise _refuse("The exercise round is not open.")
    return replace(state, state=EXERCISE_CLOSED, deadline=min(state.deadline or now, now))


def finish(state: LiveState, now: dt.datetime) -> LiveState:
    if state.state == FINISHED:
        raise _refuse("The session has already finished.")
    return replace(state, state=FINISHED, deadline=None, paused_from="", pause_remaining=None)


_TRANSITIONS = {
    "start": start,
    "close": close,
    "reveal": reveal,
    "next": next_step,
    "back": back,
    "pause": pause,
    "resume": resume,
    "open_exercise": open_exercise,
    "close_exercise": close_exercise,
    "finish": finish,
}


def transition(state: LiveState, action: str, now: dt.datetime) -> LiveState:
    """Apply one host action at `now`. Raises IllegalTransition with a message for the host."""
    step = _TRANSITIONS.get(action)
    if step is None:
        raise IllegalTransition(f"Unknown action '{action}'.")
    return step(state.settle(now), now)


def answer_refusal(state: LiveState, index: int, now: dt.datetime) -> str | None:
    """Why an answer to question `index` is refused at `now`, or None when it is accepted."""
    settled = state.settle(now)
    if settled.state == QUESTION_OPEN and settled.index == index:
        return None
    if settled.state == PAUSED and settled.paused_from == QUESTION_OPEN and settled.index == index:
        return "The session is paused: answer when it resumes."
    if settled.index != index or settled.state not in (QUESTION_CLOSED, REVEALED):
        return "This question is not open for answers."
    if settled.state == REVEALED:
        return "The answer has been revealed: answers are closed."
    return "Time is up: answers for this question are closed."


def check_refusal(state: LiveState, now: dt.datetime) -> str | None:
    settled = state.settle(now)
    if settled.state == EXERCISE_OPEN:
        return None
    if settled.state == PAUSED and settled.paused_from == EXERCISE_OPEN:
        return "The session is paused: check again when it resumes."
    if settled.state == EXERCISE_CLOSED:
        return "Time is up: the exercise round is closed."
    return "The exercise round is not open."
