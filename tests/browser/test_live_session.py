from __future__ import annotations

import pytest
from django.test import Client

from tests.browser.conftest import LIVE_PASSWORD, PageProblems, platform_team

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]
PASSWORD = LIVE_PASSWORD
QUESTIONS = ["demo-topic/demo#q-single", "demo-topic/demo#q-true-false", "demo-topic/demo#q-multiple"]


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _context(browser, live_server, *, user=None, phone=True):
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(base_url=live_server.url, viewport=size)
    context.set_default_timeout(15_000)
    if user is not None:
        context.add_cookies([_session_cookie(user, live_server)])
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def _serious(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_one_host_and_three_learners_play_a_three_question_session(chromium_browser, live_server):
    from courseware.live.services import live_session_create

    teacher, cohort, mia, max_ = platform_team()
    session = live_session_create(
        cohort=cohort,
        instructor=teacher,
        title="Monday quiz",
        questions=QUESTIONS,
        question_seconds=120,
        allow_guests=True,
    )
    contexts = []
    try:
        host_ctx, host = _context(chromium_browser, live_server, user=teacher, phone=False)
        contexts.append(host_ctx)
        host.goto(f"/cohorts/{cohort.pk}/")
        host.get_by_role("link", name="Start a live session").click()
        assert host.get_by_role("heading", name="Start a live session").is_visible()
        host.goto(f"/live/host/{session.pk}/")
        assert host.get_by_role("img", name="QR code of the join link").is_visible()
        assert _serious(host) == []

        learners = []
        for user in (mia, max_, None):
            ctx, page = _context(chromium_browser, live_server, user=user)
            contexts.append(ctx)
            page.goto(f"/live/{session.code}/")
            if user is None:
                page.get_by_label("Display name").fill("Guest <Gwen>")
                page.get_by_role("button", name="Join").click()
            else:
                page.get_by_role("button", name=f"Join as {user.username}").click()
            page.locator("#live-stage").get_by_text("Waiting for the host to start").wait_for()
            learners.append(page)
        assert _serious(learners[2]) == []
        host.get_by_text("3 joined").first.wait_for()
        assert host.get_by_text("Guest <Gwen>").is_visible()  # escaped text, shown as typed

        # Question 1 (single choice): two right, one wrong; the host reveals.
        host.get_by_role("button", name="Start").click()
        host.get_by_text("Question 1 of 3").wait_for()
        for page, choice in zip(
            learners, ("The short default limit", "The short default limit", "There is no limit at all"), strict=True
        ):
            page.locator("#live-stage").get_by_text("Question 1 of 3").wait_for()
            page.get_by_label(choice).check()
            page.get_by_role("button", name="Send answer").click()
            page.locator("#live-stage").get_by_text("Answer sent and locked.").wait_for()
        host.get_by_text("3 of 3 answered").wait_for()
        host.reload()  # a reload (or a new laptop) resumes from the server's state
        host.get_by_text("3 of 3 answered").wait_for()
        host.get_by_role("button", name="Reveal").click()
        host.get_by_role("table", name="Answers (3)").wait_for()
        assert host.get_by_text("EXPLAIN-SINGLE").is_visible()
        learners[0].locator("#live-stage").get_by_text("✓ Right").wait_for()
        learners[2].locator("#live-stage").get_by_text("✗ Wrong").wait_for()
        assert _serious(host) == []
        assert _serious(learners[0]) == []

        # Question 2 (true/false): the host closes answers early, then reveals; one learner never answered.
        host.get_by_role("button", name="Next").click()
        host.get_by_text("Question 2 of 3").wait_for()
        for page in learners[:2]:
            page.locator("#live-stage").get_by_text("Question 2 of 3").wait_for()
            page.get_by_label("True").check()
            page.get_by_role("button", name="Send answer").click()
            page.locator("#live-stage").get_by_text("Answer sent and locked.").wait_for()
        host.get_by_text("2 of 3 answered").wait_for()
        host.get_by_role("button", name="Close answers").click()
        learners[2].locator("#live-stage").get_by_text("Time is up").wait_for()
        host.get_by_role("button", name="Reveal").click()
        learners[2].locator("#live-stage").get_by_text("You did not answer this one.").wait_for()

        # Question 3 (multiple choice), then the end: results, leaderboard, personal summaries.
        host.get_by_role("button", name="Next").click()
        for page in learners:
            page.locator("#live-stage").get_by_text("Question 3 of 3").wait_for()
            page.get_by_label("Retrying without backoff").check()
            page.get_by_label("A hundred retries").check()
            page.get_by_role("button", name="Send answer").click()
            page.locator("#live-stage").get_by_text("Answer sent and locked.").wait_for()
        host.get_by_text("3 of 3 answered").wait_for()
        host.get_by_role("button", name="Reveal").click()
        host.get_by_role("button", name="Next").click()
        host.get_by_role("heading", name="Results").wait_for()
        host.get_by_role("heading", name="Leaderboard").wait_for()
        assert host.get_by_role("table", name="Right answers per question").is_visible()
        for page, right in zip(learners, (3, 3, 1), strict=True):
            page.get_by_role("heading", name="Your results").wait_for()
            assert page.locator("#live-stage").get_by_text(f"{right} of 3 right").is_visible()
        assert _serious(host) == []
        assert _serious(learners[1]) == []
        for page in (host, *learners):
            page.problems.assert_clean()
    finally:
        for ctx in contexts:
            ctx.close()


def test_the_learner_screen_fits_a_360_pixel_phone(chromium_browser, live_server):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_session_create, live_session_transition

    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", None)])
    refs = ["demo-topic/demo#q-spot", "demo-topic/demo#q-ordering"]
    session = live_session_create(cohort=cohort, instructor=teacher, title="Phone", questions=refs, allow_guests=True)
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto("/live/")
        page.get_by_label("Session code").fill(session.code.lower())
        page.get_by_role("button", name="Join").click()
        page.get_by_label("Display name").fill("A very long display name that goes on and on")
        page.get_by_role("button", name="Join").click()
        page.locator("#live-stage").get_by_text("Waiting for the host to start").wait_for()
        live_session_transition(session_id=session.pk, action="start")
        page.locator("#live-stage").get_by_text("Question 1 of 2").wait_for()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the learner screen scrolls sideways by {overflow}px at 360px"
        assert _serious(page) == []
    finally:
        context.close()


def test_a_late_answer_is_refused_on_screen_with_the_reason(chromium_browser, live_server):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_session_create, live_session_transition

    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", None)])
    session = live_session_create(
        cohort=cohort, instructor=teacher, title="Late", questions=QUESTIONS, allow_guests=True
    )
    context, page = _context(chromium_browser, live_server)
    try:
        page.goto(f"/live/{session.code}/")
        page.get_by_label("Display name").fill("Slowpoke")
        page.get_by_role("button", name="Join").click()
        page.locator("#live-stage").get_by_text("Waiting for the host to start").wait_for()
        live_session_transition(session_id=session.pk, action="start")
        page.locator("#live-stage").get_by_text("Question 1 of 3").wait_for()
        # Polls see nothing new from here on, so the form stays up after the host reveals.
        page.route("**/stage/", lambda route: route.fulfill(status=304))
        live_session_transition(session_id=session.pk, action="reveal")
        page.get_by_label("The short default limit").check()
        page.get_by_role("button", name="Send answer").click()
        page.locator("#live-stage").get_by_text("The answer has been revealed: answers are closed.").wait_for()
        # Screen readers hear it from a live region that stays in the page across swaps.
        assert page.locator("#live-announce").inner_text() == "The answer has been revealed: answers are closed."
        assert page.locator("#live-stage").get_by_text("You did not answer this one.").is_visible()
        # The refusal is a real 409 (the conftest accepts the convention's refusals); nothing else may show up.
        page.problems.assert_clean()
    finally:
        context.close()
