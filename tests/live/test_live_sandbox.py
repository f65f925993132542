"""The exercise round end to end through the real sandbox runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.live import selectors
from courseware.live.services import live_check_submit, live_join, live_session_transition
from tests.footguns.test_hostile_input import BOMB

pytestmark = pytest.mark.django_db
STARTER = (
    Path(__file__).parent.parent / "fixtures/content/demo-topic/exercises/set-a-timeout/starter/template.yaml"
).read_text()
SOLUTION = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 60\n")


def test_the_room_heatmap_counts_each_learners_latest_check(make_session):
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=300)
    ada, bob, cy = (live_join(session=session, guest_name=name) for name in ("Ada", "Bob", "Cy"))
    live_session_transition(session_id=session.pk, action="open_exercise")
    path = selectors.exercise_for(session.exercise).paths[0]
    for person in (ada, bob, cy):
        check, message = live_check_submit(session_id=session.pk, participant=person, files={path: STARTER})
        assert check is not None and not check.passed, message
        assert "aws-lambda/default-timeout" in check.rules
    check, message = live_check_submit(session_id=session.pk, participant=ada, files={path: SOLUTION})
    assert check.passed, message
    room = selectors.exercise_room(session=session, with_config=True)
    assert (room.checked, room.passed) == (3, 1)
    heat = {h.rule: h.failing for h in room.heat}
    assert heat["aws-lambda/default-timeout"] == 2
    assert room.common_config == {path: STARTER} and room.common_count == 2


def test_the_learner_is_told_what_is_wrong_in_the_exercise_pages_terms(make_session):
    """Through the exercises app's check: a deleted function, a YAML error with its line, a footgun by name."""
    from courseware.live.services import CheckNotRun

    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=300)
    ada = live_join(session=session, guest_name="Ada")
    live_session_transition(session_id=session.pk, action="open_exercise")
    path = selectors.exercise_for(session.exercise).paths[0]
    _, starter = live_check_submit(session_id=session.pk, participant=ada, files={path: STARTER})
    assert starter.startswith("Not yet.") and "still fires at " + path in starter and "rules still fire" not in starter
    _, deleted = live_check_submit(session_id=session.pk, participant=ada, files={path: "Resources: {}\n"})
    assert "is gone from your files" in deleted
    _, broken = live_check_submit(session_id=session.pk, participant=ada, files={path: "Resources:\n  - a\n b: [\n"})
    assert "does not parse (line " in broken
    with pytest.raises(CheckNotRun) as refused:
        live_check_submit(session_id=session.pk, participant=ada, files={path: BOMB})
    assert refused.value.status == 422


def test_an_unavailable_runner_is_a_503_message_never_a_500(client, make_session, monkeypatch):
    from courseware.exercises import checker
    from courseware.sandbox import RunnerUnavailable

    def down():
        raise RunnerUnavailable("zygote did not start")

    monkeypatch.setattr(checker, "checker", down)
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=300)
    client.post(f"/live/{session.code}/join/", {"name": "Ada"})
    live_session_transition(session_id=session.pk, action="open_exercise")
    response = client.post(f"/live/{session.code}/check/", {"file-0": STARTER})
    assert response.status_code == 503
    assert "Resources" in response.content.decode()  # what the learner typed is still in the form
