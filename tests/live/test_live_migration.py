"""Live sessions moved from the cohorts app to their own: a database that holds live data keeps every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _latest(executor):
    return executor.loader.graph.leaf_nodes()


def test_live_rows_survive_the_move_to_their_own_app(django_user_model):
    executor = MigrationExecutor(connection)
    before = [("cohorts", "0002_live_sessions"), ("live", None)]
    executor.migrate(before)
    executor.loader.build_graph()
    old = executor.loader.project_state([("cohorts", "0002_live_sessions")]).apps
    User = old.get_model("auth", "User")
    Cohort = old.get_model("cohorts", "Cohort")
    LiveSession = old.get_model("cohorts", "LiveSession")
    LiveParticipant = old.get_model("cohorts", "LiveParticipant")
    LiveAnswer = old.get_model("cohorts", "LiveAnswer")
    teacher = User.objects.create(username="teacher")
    cohort = Cohort.objects.create(name="Platform team", join_code="ABC234")
    session = LiveSession.objects.create(cohort=cohort, created_by=teacher, code="XYZ789", title="Monday", questions=[])
    participant = LiveParticipant.objects.create(session=session, display_name="ada", token="t" * 32)
    LiveAnswer.objects.create(
        session=session, participant=participant, question_index=0, topic="aws-lambda", quiz="basics",
        question_id="q1", response={}, correct=True, score=1.0, points=900, created_at=session.created_at,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(_latest(executor))

    from courseware.live.models import LiveAnswer as NewAnswer
    from courseware.live.models import LiveSession as NewSession

    moved = NewSession.objects.get(code="XYZ789")
    assert moved.title == "Monday" and moved.cohort.name == "Platform team"
    assert [a.participant.display_name for a in NewAnswer.objects.filter(session=moved)] == ["ada"]
    assert NewSession._meta.db_table == "cohorts_livesession"
