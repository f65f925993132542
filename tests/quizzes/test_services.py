from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connections
from fsrs import State

from courseware.quizzes import selectors, services
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Answer, Attempt, ReviewItem
from courseware.topics.library import get_library

pytestmark = pytest.mark.usefixtures("fixture_content")

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def quiz():
    return quizzes_of(get_library().topic("demo-topic"))["demo"]


@pytest.mark.django_db
def test_attempt_start_stores_seed_and_content_hash(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner, now=NOW)
    assert (attempt.topic, attempt.quiz, attempt.content_hash) == ("demo-topic", "demo", quiz.content_hash)
    assert attempt.seed > 0 and attempt.started_at == NOW and attempt.finished_at is None


@pytest.mark.django_db
def test_attempt_needs_an_owner(quiz):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError):
        services.attempt_start(quiz=quiz, user=AnonymousUser())


@pytest.mark.django_db
def test_repeat_submission_returns_the_stored_answer(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    question = quiz.question("q-single")
    first = services.answer_submit(attempt=attempt, question=question, response={"choice": "short"})
    again = services.answer_submit(attempt=attempt, question=question, response={"choice": "short"})
    other = services.answer_submit(attempt=attempt, question=question, response={"choice": "long"})
    assert first.created and not again.created and not other.created
    assert first.answer.pk == again.answer.pk == other.answer.pk
    assert again.message == "" and other.message == services.ALREADY_ANSWERED
    assert other.grade.correct and other.answer.response == {"choice": "short"}
    assert Answer.objects.count() == 1


@pytest.mark.django_db
def test_finished_attempt_refuses_answers(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.attempt_finish(attempt=attempt, quiz=quiz)
    with pytest.raises(services.AttemptFinished):
        services.answer_submit(attempt=attempt, question=quiz.question("q-single"), response={"choice": "short"})


@pytest.mark.django_db
def test_finish_scores_with_partial_credit_and_is_idempotent(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_submit(attempt=attempt, question=quiz.question("q-multiple"), response={"choices": ["many"]})
    services.answer_submit(attempt=attempt, question=quiz.question("q-spot"), response={"lines": [3]})
    finished = services.attempt_finish(attempt=attempt, quiz=quiz, now=NOW)
    assert (finished.score, finished.max_score, finished.passed, finished.finished_at) == (1.5, 6.0, False, NOW)
    again = services.attempt_finish(attempt=attempt, quiz=quiz, now=NOW + timedelta(hours=1))
    assert again.finished_at == NOW


@pytest.mark.django_db
def test_wrong_answers_are_scheduled_for_review_and_right_ones_are_not(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_submit(attempt=attempt, question=quiz.question("q-single"), response={"choice": "long"}, now=NOW)
    services.answer_submit(attempt=attempt, question=quiz.question("q-true-false"), response={"value": True}, now=NOW)
    item = ReviewItem.objects.get()
    assert (item.question_id, item.state, item.due_at, item.last_result) == (
        "q-single",
        State.Learning,
        NOW + timedelta(minutes=1),
        False,
    )
    assert selectors.review_due_count(user=learner, now=NOW) == 0
    assert selectors.review_due_count(user=learner, now=NOW + timedelta(minutes=1)) == 1


@pytest.mark.django_db
def test_review_with_a_controlled_clock(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_submit(attempt=attempt, question=quiz.question("q-single"), response={"choice": "long"}, now=NOW)
    item = ReviewItem.objects.get()
    soon = NOW + timedelta(minutes=1)
    item = services.review_record(item=item, correct=True, now=soon)
    assert (item.state, item.step, item.due_at) == (State.Learning, 1, soon + timedelta(minutes=10))
    assert selectors.review_items_due(user=learner, now=soon + timedelta(minutes=5)) == []
    later = soon + timedelta(minutes=10)
    assert [i.pk for i in selectors.review_items_due(user=learner, now=later)] == [item.pk]
    item = services.review_record(item=item, correct=True, now=later)
    assert item.state == State.Review and item.due_at >= later + timedelta(days=1)
    when = item.due_at
    item = services.review_record(item=item, correct=False, now=when)
    assert (item.state, item.due_at, item.last_result) == (State.Relearning, when + timedelta(minutes=10), False)
    # A wrong answer in a later attempt rates the same card Again: back within minutes, still one row.
    item = services.review_record(item=item, correct=True, now=item.due_at)
    attempt2 = services.attempt_start(quiz=quiz, user=learner)
    when = item.due_at + timedelta(days=1)
    services.answer_submit(attempt=attempt2, question=quiz.question("q-single"), response={"choice": "none"}, now=when)
    item.refresh_from_db()
    assert item.due_at == when + timedelta(minutes=10) and item.state == State.Relearning
    assert ReviewItem.objects.count() == 1


@pytest.mark.django_db
def test_anonymous_results_are_carried_into_the_account(quiz, learner, rf):
    token = "visitor-token"
    attempt = services.attempt_start(quiz=quiz, anon_token=token, now=NOW)
    services.answer_submit(attempt=attempt, question=quiz.question("q-single"), response={"choice": "long"}, now=NOW)
    services.answer_submit(attempt=attempt, question=quiz.question("q-numeric"), response={"value": "1769"}, now=NOW)
    services.attempt_finish(attempt=attempt, quiz=quiz)
    other = services.attempt_start(quiz=quiz, anon_token="someone-else")
    request = rf.get("/")
    request.session = {services.ANON_SESSION_KEY: token}
    moved = services.session_carry_over(request=request, user=learner, previous=dict(request.session))
    assert moved == 1
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert attempt.user == learner and attempt.anon_token == ""
    assert other.user is None
    item = ReviewItem.objects.get(user=learner)
    assert (item.question_id, item.due_at) == ("q-single", NOW + timedelta(minutes=1))
    assert services.ANON_SESSION_KEY not in request.session
    assert selectors.best_scores(topic="demo-topic", user=learner, anon_token="")["demo"].attempts == 1


@pytest.mark.django_db
def test_carry_over_without_a_token_does_nothing(learner, rf):
    request = rf.get("/")
    request.session = {}
    assert services.session_carry_over(request=request, user=learner, previous={}) == 0


# In-memory shared-cache SQLite (the test database) fails table locks at once instead of waiting, so this
# threaded test runs in the PostgreSQL pass; the file-database subprocess test covers SQLite.
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_identical_posts_store_one_answer(quiz, learner):
    attempt = services.attempt_start(quiz=quiz, user=learner)
    question = quiz.question("q-multiple")
    workers = 8
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.answer_submit(attempt=attempt, question=question, response={"choices": ["many"]}))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == workers
    assert Answer.objects.filter(attempt=attempt).count() == 1
    assert sum(r.created for r in results) == 1
    assert {r.answer.pk for r in results} == {Answer.objects.get().pk}
    assert {(r.grade.score, r.grade.correct) for r in results} == {(0.5, False)}
    assert ReviewItem.objects.count() == 1


def test_parallel_identical_posts_store_one_answer_on_a_file_sqlite_database(tmp_path):
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "CONTENT_DIR": str(Path(__file__).parents[1] / "fixtures" / "content"),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
        "TESTING": "1",
    }
    worker = Path(__file__).with_name("concurrency_worker.py")
    done = subprocess.run(
        [sys.executable, str(worker), "12"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["vendor"] == "sqlite"
    assert report["errors"] == []
    assert len(report["results"]) == 12
    assert report["stored"] == 1 and report["review_items"] == 1
    assert len({pk for pk, _, _ in report["results"]}) == 1
    assert sum(created for _, created, _ in report["results"]) == 1
    assert {score for _, _, score in report["results"]} == {0.5}


@pytest.mark.django_db
def test_selectors_only_return_the_owners_attempts(quiz, learner, django_user_model):
    other = django_user_model.objects.create_user(username="otto", password="x long password here")
    mine = services.attempt_start(quiz=quiz, user=learner)
    anon = services.attempt_start(quiz=quiz, anon_token="tok")
    args = {"pk": mine.pk, "topic": "demo-topic", "quiz": "demo"}
    assert selectors.attempt_owned(**args, user=learner, anon_token="") == mine
    assert selectors.attempt_owned(**args, user=other, anon_token="") is None
    assert selectors.attempt_owned(**{**args, "pk": anon.pk}, user=learner, anon_token="tok") is None
    assert selectors.attempt_owned(**{**args, "pk": anon.pk}, user=None, anon_token="tok") == anon
    assert selectors.attempt_owned(**{**args, "pk": anon.pk}, user=None, anon_token="") is None
    assert selectors.attempt_owned(**{**args, "quiz": "one-page"}, user=learner, anon_token="") is None
    assert Attempt.objects.count() == 2
