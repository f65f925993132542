from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courseware.exercises import selectors, services
from courseware.exercises.models import Draft, FiredRule, HintReveal, Status, Submission

URL = "/topics/demo-topic/exercises/set-a-timeout/"
STARTER = (
    Path(__file__).parent.parent / "fixtures/content/demo-topic/exercises/set-a-timeout/starter/template.yaml"
).read_text()
SOLUTION = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 60\n")
BROKEN = "Resources:\n  Fn: [unclosed\n"
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.usefixtures("fixture_content")


def check(client, text, **extra):
    return client.post(URL + "check/", {"file-0": text}, **extra)


def test_topic_exercise_list_shows_each_status(learner_client, learner, fake_runner):
    check(learner_client, SOLUTION)
    Draft.objects.create(user=learner, topic="demo-topic", exercise="keep-logs-bounded", files={})
    response = learner_client.get("/topics/demo-topic/exercises/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Keep the logs bounded" in body and "In progress" in body and "✓ Passed" in body


def test_the_topic_hub_lists_the_exercises(client):
    body = client.get("/topics/demo-topic/").content.decode()
    assert 'id="exercises-heading"' in body
    assert 'href="/topics/demo-topic/exercises/set-a-timeout/"' in body


def test_anonymous_visitors_read_the_prompt_and_check_keyed_to_their_session(client, fake_runner, settings):
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The report builder runs with whatever timeout" in body
    assert "You can check your files without an account" in body
    assert 'id="check-button"' in body
    assert check(client, SOLUTION).status_code == 302  # back to the page's feedback
    assert Submission.objects.get().user is None
    other = type(client)()
    assert "Passed." not in other.get(URL).content.decode()  # another visitor sees none of it
    assert Submission.objects.for_user(learner_or_visitor(client)).count() == 1
    settings.VISITOR_CHECKS_PER_MINUTE = 1
    limited = check(client, SOLUTION)
    assert limited.status_code == 429 and "Retry-After" in limited  # the same sandbox, a visitor's rate limit


def learner_or_visitor(client):
    from courseware.exercises.models import Visitor
    from courseware.quizzes.services import ANON_SESSION_KEY

    return Visitor(client.session[ANON_SESSION_KEY])


def test_the_page_has_a_labelled_editor_with_a_gutter_per_file(learner_client):
    body = learner_client.get(URL).content.decode()
    assert '<label for="file-0">template.yaml</label>' in body
    assert '<pre id="file-0-gutter" class="gutter" aria-hidden="true">1\n2\n' in body
    assert 'class="code-editor"' in body and 'name="file-0"' in body
    assert "AWSTemplateFormatVersion" in body


def test_checking_the_starter_lists_the_target_finding_with_links_and_marked_line(learner_client, fake_runner):
    response = check(learner_client, STARTER.replace("\n", "\r\n"), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not yet." in body
    assert 'href="#result-file-0-L-5">Line 5</a>' in body
    assert "aws-lambda/default-timeout" in body
    assert "Fix:" in body
    assert 'href="/topics/aws-lambda/footguns/#no-timeout-configuration"' in body
    assert '<span id="result-file-0-L-5"><span class="hll">' in body  # the offending line is marked
    assert 'hx-swap-oob="true"' in body  # hints and solution panel refreshed
    assert "<html" not in body  # only the partial
    submission = Submission.objects.get()
    assert submission.status == Status.OK and not submission.passed
    assert submission.counts_as_attempt and submission.check_number == 1
    assert submission.files == {"template.yaml": STARTER}  # CRLF from the browser is normalised
    assert list(FiredRule.objects.values_list("rule", "count")) == [("aws-lambda/default-timeout", 1)]


def test_a_passing_check_shows_what_was_fixed_and_the_anti_primer_hour(learner_client, fake_runner):
    body = check(learner_client, SOLUTION, **HTMX).content.decode()
    assert "Passed." in body
    assert "What you fixed" in body
    assert 'href="/topics/demo-topic/anti_primer/#hour-0"' in body
    assert "Hour 0: Defaults everywhere" in body
    assert Submission.objects.get().passed


def test_a_parse_error_points_at_its_line(learner_client, fake_runner):
    body = check(learner_client, BROKEN, **HTMX).content.decode()
    assert "a file does not parse" in body
    assert 'href="#result-file-0-L-' in body
    assert "does not parse" in body


def test_without_javascript_a_check_redirects_to_the_page_which_shows_the_feedback(learner_client, fake_runner):
    response = check(learner_client, STARTER)
    assert response.status_code == 302
    assert response["Location"] == URL + "#feedback"
    body = learner_client.get(URL).content.decode()
    assert "Not yet." in body
    assert "Your draft is restored." in body


def test_the_submission_is_stored_as_pending_before_the_runner_starts(learner_client, fake_runner):
    seen = []
    fake_runner.on_check = lambda files: seen.extend(Submission.objects.values_list("status", "files"))
    check(learner_client, STARTER)
    assert seen == [(Status.PENDING, {"template.yaml": STARTER})]
    assert Submission.objects.get().status == Status.OK


@pytest.mark.parametrize("status", ["timeout", "crashed", "cpu_limit", "memory_limit", "output_limit"])
def test_a_runner_failure_is_stored_but_never_counts(learner_client, fake_runner, status):
    fake_runner.status = status
    fake_runner.message = "The check did not finish."
    body = check(learner_client, STARTER, **HTMX).content.decode()
    assert "does not count as an attempt" in body
    submission = Submission.objects.get()
    assert submission.status == status
    assert not submission.counts_as_attempt and submission.check_number is None
    workspace = selectors.workspace_for(user=submission.user, exercise=_exercise())
    assert workspace.checks == 0 and workspace.failed_checks == 0


def test_busy_becomes_429_with_retry_after_and_keeps_the_text(learner_client, fake_runner):
    fake_runner.status = "busy"
    fake_runner.message = "Another check of yours is still running."
    fake_runner.retry_after_s = 3
    response = check(learner_client, "Resources: {}  # mine\n")
    assert response.status_code == 429
    assert response["Retry-After"] == "3"
    body = response.content.decode()
    assert "Another check of yours is still running." in body
    assert "Resources: {}  # mine" in body
    assert Submission.objects.get().status == Status.BUSY


def test_checks_over_the_rate_limit_get_429(learner_client, fake_runner, settings):
    settings.EXERCISE_CHECKS_PER_MINUTE = 2
    assert check(learner_client, STARTER, **HTMX).status_code == 200
    assert check(learner_client, STARTER, **HTMX).status_code == 200
    response = check(learner_client, "# third\n", **HTMX)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "which is the limit" in response.content.decode()
    assert len(fake_runner.calls) == 2
    assert Draft.objects.get().files == {"template.yaml": "# third\n"}


def test_oversized_files_get_413_and_the_text_is_kept(learner_client, fake_runner):
    huge = "# " + "x" * 300_000 + "\n"
    response = check(learner_client, huge)
    assert response.status_code == 413
    body = response.content.decode()
    assert "a file may be at most 256 KiB" in body
    assert "x" * 1000 in body
    assert fake_runner.calls == [] and not Submission.objects.exists()


def test_learner_text_is_escaped_everywhere(learner_client, fake_runner):
    hostile = STARTER + "# <script>alert(1)</script>\n"
    check(learner_client, hostile)
    for url in (URL, f"{URL}submissions/{Submission.objects.get().pk}/"):
        body = learner_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_draft_survives_a_reload_and_reset_restores_the_starter(learner_client, fake_runner):
    learner_client.post(URL + "draft/", {"file-0": "# my draft\n"}, **HTMX)
    assert "# my draft" in learner_client.get(URL).content.decode()
    assert learner_client.post(URL + "reset/").status_code == 302
    body = learner_client.get(URL).content.decode()
    assert "# my draft" not in body and "AWSTemplateFormatVersion" in body


def test_hints_are_revealed_one_at_a_time_and_recorded(learner_client, learner, fake_runner):
    body = learner_client.get(URL).content.decode()
    assert "Show hint 1 of 4" in body and "Set `Timeout`" not in body
    body = learner_client.post(URL + "hints/", **HTMX).content.decode()
    assert "Where the primer covers it" in body and "Show hint 2 of 4" in body
    learner_client.post(URL + "hints/")
    assert list(HintReveal.objects.values_list("level", flat=True)) == [1, 2]
    check(learner_client, STARTER)
    assert Submission.objects.get().hints_used == 2
    for _ in range(4):
        learner_client.post(URL + "hints/")
    assert HintReveal.objects.count() == 4
    assert "You have seen every hint." in learner_client.get(URL).content.decode()


def test_the_solution_unlocks_after_the_authors_number_of_failed_checks(learner_client, fake_runner):
    assert learner_client.get(URL + "solution/").status_code == 403
    check(learner_client, STARTER)
    assert "(1 to go)" in learner_client.get(URL).content.decode()
    fake_runner.status = "timeout"  # runner failures do not count towards the solution
    check(learner_client, STARTER)
    assert learner_client.get(URL + "solution/").status_code == 403
    fake_runner.status = "ok"
    check(learner_client, STARTER)
    response = learner_client.get(URL + "solution/")
    assert response.status_code == 200
    assert "Timeout" in response.content.decode()


def test_the_solution_unlocks_after_a_pass(learner_client, fake_runner):
    check(learner_client, SOLUTION)
    assert learner_client.get(URL + "solution/").status_code == 200


def test_learners_see_only_their_own_submissions(learner_client, fake_runner, django_user_model, client):
    check(learner_client, STARTER)
    mine = Submission.objects.get()
    assert learner_client.get(f"{URL}submissions/{mine.pk}/").status_code == 200
    other = django_user_model.objects.create_user(username="otto", password="another horse battery")
    client.force_login(other)
    assert client.get(f"{URL}submissions/{mine.pk}/").status_code == 404
    assert client.get(f"/topics/demo-topic/exercises/keep-logs-bounded/submissions/{mine.pk}/").status_code == 404


def test_unknown_topic_or_exercise_is_404(client):
    assert client.get("/topics/demo-topic/exercises/nope/").status_code == 404
    assert client.get("/topics/nope/exercises/").status_code == 404


def test_exercise_status_for_uses_one_query(learner, fake_runner, learner_client):
    check(learner_client, SOLUTION)
    topic = _exercise_topic()
    with CaptureQueriesContext(connection) as queries:
        statuses = selectors.exercise_status_for(user=learner, topic=topic)
    assert statuses == {"keep-logs-bounded": "not_started", "set-a-timeout": "passed"}
    assert len(queries) == 1


def test_check_numbers_count_only_counted_checks(learner_client, fake_runner):
    check(learner_client, STARTER)
    fake_runner.status = "crashed"
    check(learner_client, STARTER)
    fake_runner.status = "ok"
    check(learner_client, SOLUTION)
    body = learner_client.get(URL).content.decode()
    assert "Your recent checks" in body and "checker failed" in body and "passed</span>" in body
    rows = list(Submission.objects.order_by("id").values_list("status", "check_number", "passed"))
    assert rows == [("ok", 1, False), ("crashed", None, False), ("ok", 2, True)]
    assert list(Submission.objects.first_checks().values_list("check_number", flat=True)) == [1]


def _exercise_topic():
    from courseware.topics.library import get_library

    return get_library().topic("demo-topic")


def _exercise():
    from courseware.exercises.content import exercise_of

    return exercise_of(_exercise_topic(), "set-a-timeout")


def test_the_page_shows_the_learners_status_in_few_queries(learner_client, fake_runner):
    assert "Not started" in learner_client.get(URL).content.decode()
    check(learner_client, STARTER)
    assert "In progress" in learner_client.get(URL).content.decode()
    check(learner_client, SOLUTION)
    with CaptureQueriesContext(connection) as queries:
        body = learner_client.get(URL).content.decode()
    assert 'id="exercise-status" class="exercise-status status-passed">Passed' in body
    assert len(queries) <= 10, [q["sql"][:80] for q in queries]


def test_one_check_at_a_time_holds_across_workers(learner_client, learner, fake_runner):
    from courseware.exercises.services import IN_FLIGHT
    from courseware.ratelimit import limiter

    # Another worker (or server) is running this learner's check: the lock lives in the shared store.
    assert limiter.acquire(IN_FLIGHT, learner.pk, ttl_s=30)
    response = check(learner_client, "Resources: {}  # mine\n")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "still running" in response.content.decode()
    assert fake_runner.calls == []
    assert Submission.objects.get().status == Status.BUSY
    limiter.release(IN_FLIGHT, learner.pk)
    assert check(learner_client, STARTER, **HTMX).status_code == 200
    assert len(fake_runner.calls) == 1
    # Released after the check, whatever its ending: the next one is not refused.
    assert limiter.acquire(IN_FLIGHT, learner.pk, ttl_s=30)


def test_a_crashed_worker_cannot_hold_the_lock_for_longer_than_a_check(learner, fake_runner):
    import time

    from courseware.exercises.services import IN_FLIGHT
    from courseware.ratelimit import limiter

    longest = fake_runner.limits.queue_wait_s + fake_runner.limits.wall_s + 5
    now = time.time()
    assert limiter.acquire(IN_FLIGHT, learner.pk, ttl_s=longest, now=now)
    assert not limiter.acquire(IN_FLIGHT, learner.pk, ttl_s=longest, now=now + longest - 1)
    assert limiter.acquire(IN_FLIGHT, learner.pk, ttl_s=longest, now=now + longest + 1)


def test_a_check_whose_server_died_is_shown_as_interrupted_and_not_counted(learner_client, learner):
    import datetime as dt

    from django.utils import timezone

    exercise = _exercise()
    stale = services.submission_start(user=learner, exercise=exercise, files={"template.yaml": STARTER})
    recent = services.submission_start(user=learner, exercise=exercise, files={"template.yaml": STARTER})
    Submission.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    body = learner_client.get(URL).content.decode()
    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == Status.INTERRUPTED and not stale.counts_as_attempt and stale.finished_at
    assert recent.status == Status.PENDING  # still within the wall limit: it may yet finish
    assert "interrupted" in body
    assert "interrupted" in learner_client.get(f"{URL}submissions/{stale.pk}/").content.decode().lower()


def test_an_emptied_file_fixes_nothing_and_never_reads_as_zero_findings(learner_client, fake_runner):
    body = check(learner_client, "", **HTMX).content.decode()
    assert "Fixed so far" not in body and "What you fixed" not in body
    assert "is gone from your files" in body
    assert "0 findings" not in body  # neither the live region nor the history says nothing is wrong
    assert "Not yet: a function is gone from your files; 1 requirement not met." in body
    submission = Submission.objects.get()
    assert not submission.passed and submission.summary == "not passed"
    page = learner_client.get(URL).content.decode()
    assert "not passed" in page and "0 findings" not in page


def test_visitors_have_a_stricter_check_limit_than_learners(client, settings, fake_runner):
    settings.VISITOR_CHECKS_PER_MINUTE = 2
    statuses = [check(client, STARTER, **HTMX).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[2:] == [429, 429]
    assert len(fake_runner.calls) == 2


def test_visitors_sessions_share_an_allowance_per_address(settings, fake_runner):
    from django.test import Client

    settings.VISITOR_CHECKS_PER_MINUTE = 10
    settings.VISITOR_CHECKS_PER_ADDRESS_PER_MINUTE = 3
    statuses = [check(Client(), STARTER, **HTMX).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
