"""The exercise round end to end through the real sandbox runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.live import selectors
from courseware.live.services import live_check_submit, live_join, live_session_transition

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
