"""One htmx error convention site-wide: a failure is said where the learner acted, and their input stays."""

from __future__ import annotations

import pytest
from django.db import OperationalError

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

QUIZ = "/topics/demo-topic/quizzes/demo/"
NOISE = ("status of 5", "Response Status Error Code 5", "ERR_CONNECTION_RESET", "htmx:afterRequest", "htmx:sendError")


def _start_quiz(page) -> None:
    page.goto(QUIZ)
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()


def _quiet(page) -> None:
    page.problems.errors = [e for e in page.problems.errors if not any(n in e for n in NOISE)]
    page.problems.assert_clean()


def test_a_database_outage_during_an_answer_is_a_visible_503_and_the_choice_stays(page, monkeypatch):
    _start_quiz(page)
    form = page.locator("form.question-form").first

    def database_down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("courseware.quizzes.services.answer_submit", database_down)
    form.get_by_role("radio").first.check()
    form.get_by_role("button", name="Check answer").click()
    alert = page.locator("form.question-form + .request-error[role=alert]").first
    alert.wait_for()
    text = alert.inner_text()
    assert "unavailable for a moment (HTTP 503)" in text and "Try again in 5 seconds" in text
    assert "still here" in text
    assert form.get_by_role("radio").first.is_checked()  # nothing was swapped away

    monkeypatch.undo()  # the database is back: the same form works and the message goes
    form.get_by_role("button", name="Check answer").click()
    page.locator(".question-feedback, [id$='-feedback']").first.wait_for()
    assert page.locator(".request-error").count() == 0
    _quiet(page)


def test_a_reset_connection_is_said_in_the_same_place(page):
    _start_quiz(page)
    page.route("**/answer/**", lambda route: route.abort("connectionreset"))
    form = page.locator("form.question-form").first
    form.get_by_role("radio").first.check()
    form.get_by_role("button", name="Check answer").click()
    alert = page.locator("form.question-form + .request-error[role=alert]").first
    alert.wait_for()
    assert "could not be reached" in alert.inner_text()
    assert form.get_by_role("radio").first.is_checked()
    _quiet(page)


def test_the_outage_page_without_javascript_is_styled_with_retry_after(page, monkeypatch):
    _start_quiz(page)

    def database_down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("courseware.quizzes.services.answer_submit", database_down)
    page.route("**/*.js", lambda route: route.abort())  # as without JavaScript: a full-page post
    page.reload()
    form = page.locator("form.question-form").first
    form.get_by_role("radio").first.check()
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Check answer").click()
    response = navigation.value
    assert response.status == 503 and response.headers["retry-after"] == "5"
    assert page.get_by_role("heading", name="Back in a moment").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.error-page')).maxWidth") == "640px"
