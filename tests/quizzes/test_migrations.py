"""Existing Leitner review rows become FSRS cards and keep their due dates (migration 0002)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("quizzes", "0001_initial")]
AFTER = [("quizzes", "0002_review_fsrs")]


def test_leitner_rows_migrate_to_fsrs_cards():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("auth", "User")
    ReviewItem = old_apps.get_model("quizzes", "ReviewItem")
    user = User.objects.create(username="old-learner")
    now = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    due = now + dt.timedelta(days=7)
    common = {"user_id": user.pk, "topic": "aws-lambda", "quiz": "basics", "updated_at": now}
    ReviewItem.objects.create(question_id="wrong", box=0, due_at=now, last_result=False, **common)
    seen = {"last_result": True, "last_reviewed_at": now}
    ReviewItem.objects.create(question_id="spaced", box=2, due_at=due, **seen, **common)
    ReviewItem.objects.create(question_id="retired", box=5, due_at=None, **seen, **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    rows = {r.question_id: r for r in new_apps.get_model("quizzes", "ReviewItem").objects.all()}
    assert (rows["wrong"].state, rows["wrong"].step, rows["wrong"].due_at) == (1, 0, now)
    assert (rows["spaced"].state, rows["spaced"].stability, rows["spaced"].due_at) == (2, 7.0, due)
    assert rows["retired"].due_at == now + dt.timedelta(days=60)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
