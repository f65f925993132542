from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courseware.cohorts.models import CODE_ALPHABET
from courseware.live import selectors
from courseware.live import state as live_state
from courseware.live.models import LiveAnswer, LiveCheck, LiveParticipant
from courseware.live.services import (
    CheckNotRun,
    LiveError,
    live_answer_submit,
    live_check_submit,
    live_join,
    live_session_create,
    live_session_transition,
)
from courseware.sandbox.outcome import Outcome

pytestmark = pytest.mark.django_db

RIGHT = {"choice": ["short"]}
WRONG = {"choice": ["long"]}


def go(session, *actions, now=None):
    for action in actions:
        session = live_session_transition(session_id=session.pk, action=action, now=now)
    return session


def test_a_session_gets_its_own_short_code(session, cohort):
    assert len(session.code) == 6 and set(session.code) <= set(CODE_ALPHABET)
    assert session.code != cohort.join_code
    assert (session.state, session.current_index, session.version) == (live_state.LOBBY, -1, 1)


def test_only_the_cohorts_instructors_start_sessions(cohort, other_teacher, member):
    for user in (other_teacher, member):
        with pytest.raises(LiveError, match="Only an instructor of this cohort"):
            live_session_create(cohort=cohort, instructor=user, title="x", questions=["demo-topic/demo#q-single"])


def test_unknown_questions_and_bad_timings_are_refused(cohort, teacher):
    with pytest.raises(LiveError, match="does not exist"):
        live_session_create(cohort=cohort, instructor=teacher, title="x", questions=["demo-topic/demo#nope"])
    with pytest.raises(LiveError, match="Choose a quiz"):
        live_session_create(cohort=cohort, instructor=teacher, title="x", questions=[])
    with pytest.raises(LiveError, match="seconds"):
        live_session_create(
            cohort=cohort, instructor=teacher, title="x", questions=["demo-topic/demo#q-single"], question_seconds=2
        )


def test_transitions_bump_the_version_and_illegal_ones_change_nothing(session):
    session = go(session, "start")
    assert (session.state, session.current_index, session.version) == (live_state.QUESTION_OPEN, 0, 2)
    assert session.started_at is not None
    with pytest.raises(LiveError, match="Close the current question"):
        go(session, "next")
    session.refresh_from_db()
    assert (session.state, session.version) == (live_state.QUESTION_OPEN, 2)
    session = go(session, "pause")
    assert session.state == live_state.PAUSED and 29 < session.pause_remaining <= 30
    session = go(session, "resume", "reveal", "next", "close", "reveal", "back")
    assert (session.state, session.current_index, session.reached_index) == (live_state.REVEALED, 0, 1)
    session = go(session, "finish")
    assert session.state == live_state.FINISHED and session.finished_at is not None


def test_state_survives_a_restart(session):
    """Everything lives in the row: a fresh read (another process, after a restart) sees the same session."""
    go(session, "start", "pause")
    from courseware.live.models import LiveSession

    again = LiveSession.objects.get(pk=session.pk)
    assert again.machine().state == live_state.PAUSED
    assert again.machine().paused_from == live_state.QUESTION_OPEN
    resumed = go(again, "resume")
    assert resumed.deadline > timezone.now() + dt.timedelta(seconds=28)


def test_members_join_once_and_guests_need_permission(make_session, member, outsider):
    closed = make_session(allow_guests=False)
    first = live_join(session=closed, user=member)
    assert live_join(session=closed, user=member) == first
    assert first.display_name == "mia" and not first.is_guest
    with pytest.raises(LiveError, match="Join the cohort first"):
        live_join(session=closed, user=outsider)
    with pytest.raises(LiveError, match="does not take guests"):
        live_join(session=closed, guest_name="Gus")


def test_guest_names_are_cleaned_and_capped(session, outsider):
    guest = live_join(session=session, guest_name="  Ada\t  <b>Lovelace</b>\x07 ")
    assert guest.display_name == "Ada <b>Lovelace</b>" and guest.is_guest  # kept as text, escaped on output
    with pytest.raises(LiveError, match="Give a display name"):
        live_join(session=session, guest_name="   ")
    with pytest.raises(LiveError, match="at most 40"):
        live_join(session=session, guest_name="x" * 41)
    assert live_join(session=session, user=outsider, guest_name="Otto").is_guest  # not a member: a guest


def test_a_full_session_takes_no_more_guests(session, monkeypatch):
    monkeypatch.setattr("courseware.live.services.MAX_PARTICIPANTS", 2)
    live_join(session=session, guest_name="One")
    live_join(session=session, guest_name="Two")
    with pytest.raises(LiveError, match="full"):
        live_join(session=session, guest_name="Three")


def test_finished_sessions_take_no_one(session):
    session = go(session, "finish")
    with pytest.raises(LiveError, match="finished"):
        live_join(session=session, guest_name="Late")


def test_an_answer_is_graded_and_stored_with_the_quiz_answer_fields(session, member):
    participant = live_join(session=session, user=member)
    go(session, "start")
    answer, created = live_answer_submit(session_id=session.pk, participant=participant, index=0, form=RIGHT)
    assert created
    assert (answer.topic, answer.quiz, answer.question_id) == ("demo-topic", "demo", "q-single")
    assert (answer.correct, answer.score, answer.points, answer.user) == (True, 1.0, 1000, member)
    assert answer.footgun == "forgot-the-limit"
    assert list(selectors.cohort_live_answers(cohort=session.cohort)) == [answer]


def test_a_retry_returns_the_stored_answer_and_a_change_of_mind_is_not_taken(session):
    guest = live_join(session=session, guest_name="Gus")
    go(session, "start")
    first, created = live_answer_submit(session_id=session.pk, participant=guest, index=0, form=WRONG)
    again, created_again = live_answer_submit(session_id=session.pk, participant=guest, index=0, form=WRONG)
    other, created_other = live_answer_submit(session_id=session.pk, participant=guest, index=0, form=RIGHT)
    assert created and not created_again and not created_other
    assert first == again == other and not other.correct
    assert LiveAnswer.objects.count() == 1
    # Even after the countdown, a retry gets the stored result rather than an error.
    late, _ = live_answer_submit(
        session_id=session.pk, participant=guest, index=0, form=WRONG, now=timezone.now() + dt.timedelta(minutes=5)
    )
    assert late == first


def test_late_answers_are_refused_with_a_clear_message(session):
    guest = live_join(session=session, guest_name="Gus")
    go(session, "start")
    after = timezone.now() + dt.timedelta(seconds=31)
    with pytest.raises(LiveError, match="Time is up"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form=RIGHT, now=after)
    go(session, "reveal")
    with pytest.raises(LiveError, match="revealed"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form=RIGHT)
    with pytest.raises(LiveError, match="not open"):
        live_answer_submit(session_id=session.pk, participant=guest, index=1, form={"value": ["true"]})
    assert LiveAnswer.objects.count() == 0


def test_answers_before_the_start_while_paused_and_invalid_ones_are_refused(session):
    guest = live_join(session=session, guest_name="Gus")
    with pytest.raises(LiveError, match="not open"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form=RIGHT)
    go(session, "start", "pause")
    with pytest.raises(LiveError, match="paused"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form=RIGHT)
    go(session, "resume")
    with pytest.raises(LiveError, match="Choose an answer"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form={})
    with pytest.raises(LiveError, match="not part of this question"):
        live_answer_submit(session_id=session.pk, participant=guest, index=0, form={"choice": ["forged"]})
    assert LiveAnswer.objects.count() == 0


def test_speed_scoring_gives_quick_right_answers_more_points(make_session, cohort):
    session = make_session(allow_guests=True, speed_scoring=True)
    quick, slow = live_join(session=session, guest_name="Quick"), live_join(session=session, guest_name="Slow")
    session = go(session, "start")
    a, _ = live_answer_submit(session_id=session.pk, participant=quick, index=0, form=RIGHT, now=session.started_at)
    later = session.deadline - dt.timedelta(seconds=3)
    b, _ = live_answer_submit(session_id=session.pk, participant=slow, index=0, form=RIGHT, now=later)
    assert a.points == 1000 and 500 < b.points < 600
    (first, second, *_) = selectors.podium(session=session)
    assert [(p.rank, [c.name for c in p.contestants]) for p in (first, second)] == [(1, ["Quick"]), (2, ["Slow"])]


def test_distribution_results_and_personal_summary(session):
    people = [live_join(session=session, guest_name=f"P{n}") for n in range(4)]
    go(session, "start")
    for person, form in zip(people, (RIGHT, RIGHT, WRONG, {"choice": ["none"]}), strict=True):
        live_answer_submit(session_id=session.pk, participant=person, index=0, form=form)
    session = go(session, "reveal")
    bars, total = selectors.answer_distribution(
        session=session, index=0, question=selectors.question_for(session.questions[0])
    )
    assert total == 4
    # Bars follow the session's shuffled choice order, which depends on the session: compare as a multiset.
    assert sorted((b.count, b.correct, b.percent) for b in bars) == [(1, False, 25), (1, False, 25), (2, True, 50)]
    session = go(session, "next")
    live_answer_submit(session_id=session.pk, participant=people[0], index=1, form={"value": ["true"]})
    session = go(session, "finish")
    results = selectors.question_results(session=session)
    assert [(r.answered, r.correct) for r in results] == [(4, 2), (1, 1)]
    summary = selectors.personal_summary(session=session, participant=people[0])
    assert (summary.answered, summary.correct, summary.points, summary.rank) == (2, 2, 2000, 1)
    assert summary.answers[1][1] is not None and len(summary.answers) == 2


class FakeRunner:
    def __init__(self, fired_by_text: dict[str, list[str]], status: str = "ok") -> None:
        from courseware.sandbox import limits_from_environment

        self.fired_by_text = fired_by_text
        self.status = status
        self.calls = 0
        self.limits = limits_from_environment()

    def check(self, files, *, learner_key, accept=(), topic=None):
        self.calls += 1
        if self.status != "ok":
            return Outcome(self.status, "The checker is busy; try again in a moment.", None, 1.0, retry_after_s=2)
        text = "".join(files.values())
        rules = next((r for marker, r in self.fired_by_text.items() if marker in text), [])
        findings = [{"rule": r, "line": 1} for r in rules]
        report = {"files": [{"path": p, "status": "ok", "findings": findings} for p in files]}
        # Requirements hold in this fake: the tests here are about the live round, not the grading.
        report["requirements"] = [{"index": i, "ok": True, "message": "m"} for i, _ in enumerate(accept)]
        return Outcome("ok", "", report, 1.0)


def test_exercise_round_records_rules_per_check_and_finds_the_common_failing_config(make_session):
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=120)
    exercise = selectors.exercise_for(session.exercise)
    runner = FakeRunner({"Timeout: 60": [], "": ["aws-lambda/default-timeout"]})
    people = [live_join(session=session, guest_name=f"P{n}") for n in range(3)]
    with pytest.raises(LiveError, match="not open"):
        live_check_submit(session_id=session.pk, participant=people[0], files=exercise.starter_files(), runner=runner)
    go(session, "open_exercise")
    starter = exercise.starter_files()
    fixed = {path: text + "\n      Timeout: 60\n" for path, text in starter.items()}
    check, message = live_check_submit(session_id=session.pk, participant=people[0], files=starter, runner=runner)
    assert not check.passed and check.rules == ["aws-lambda/default-timeout"] and "still fire" in message
    live_check_submit(session_id=session.pk, participant=people[1], files=starter, runner=runner)
    live_check_submit(session_id=session.pk, participant=people[2], files=fixed, runner=runner)
    check, message = live_check_submit(session_id=session.pk, participant=people[0], files=fixed, runner=runner)
    assert check.passed and message.startswith("Passed")
    room = selectors.exercise_room(session=session, with_config=True)
    assert (room.checked, room.passed) == (3, 2)
    assert [(h.rule, h.failing) for h in room.heat] == [("aws-lambda/default-timeout", 1)]
    assert room.common_config == starter and room.common_count == 1


def test_a_runner_failure_is_not_recorded(make_session):
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout")
    guest = live_join(session=session, guest_name="Gus")
    go(session, "open_exercise")
    with pytest.raises(CheckNotRun) as refused:
        live_check_submit(session_id=session.pk, participant=guest, files={}, runner=FakeRunner({}, status="busy"))
    assert refused.value.status == 429 and "busy" in refused.value.message
    assert LiveCheck.objects.count() == 0
    assert LiveParticipant.objects.count() == 1
