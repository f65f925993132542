"""Issue 7 journeys: an instructor creates a cohort, a learner joins by code, takes a quiz and an exercise
(storing hostile text through the forms), and the instructor sees it on the dashboard, with no script run and no
CSP violation anywhere."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

PASSWORD = "a long journey passphrase"
PAYLOADS = ('"><img src=x onerror=alert(1)>', "<script>alert(2)</script>", "javascript:alert(3)")


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_cohort_to_dashboard_journey_with_hostile_learner_text(
    chromium_browser, live_server, django_user_model, axe_check
):
    from courseware.accounts.services import user_create

    user_create(username="teacher", password=PASSWORD, instructor=True)
    teacher = chromium_browser.new_context(base_url=live_server.url)
    host = teacher.new_page()
    from tests.browser.conftest import PageProblems, set_file_text

    host_problems = PageProblems(host)
    log_in(host, "teacher")
    host.goto("/cohorts/new/")
    host.get_by_label("Name").fill("Onboarding")
    host.get_by_role("checkbox", name="Demo Topic").check()
    host.get_by_role("button", name="Save").click()
    code = host.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    learner_context = chromium_browser.new_context(base_url=live_server.url)
    learner = learner_context.new_page()
    learner_problems = PageProblems(learner)
    learner.goto("/join/")
    learner.get_by_label("Join code").fill(code.lower())
    learner.get_by_role("button", name="Find cohort").click()
    learner.get_by_label("Username").fill("lena")
    learner.get_by_label("Password", exact=True).fill(PASSWORD)
    learner.get_by_label("Password confirmation").fill(PASSWORD)
    learner.get_by_role("button", name="Create account").click()
    learner.get_by_role("button", name="Join Onboarding").click()
    learner.get_by_role("heading", name="Assigned topics").wait_for()

    # A quiz: a hostile numeric answer is refused with a message (nothing stored, nothing run), then a wrong
    # number; the spot-the-footgun question is right.
    learner.goto("/topics/demo-topic/quizzes/one-page/")
    learner.get_by_role("button", name="Start the quiz").click()
    learner.locator("input[name='value']").fill(PAYLOADS[0][:40])
    learner.locator("#q-q-tolerance").get_by_role("button", name="Check answer").click()
    learner.locator("#q-q-tolerance-error").wait_for()
    learner.locator("input[name='value']").fill("30")
    learner.locator("#q-q-tolerance").get_by_role("button", name="Check answer").click()
    learner.locator("#q-q-tolerance-feedback").wait_for()
    for line in ("2", "3"):
        learner.locator(f"#q-q-spot-two input[type='checkbox'][value='{line}']").check()
    learner.locator("#q-q-spot-two").get_by_role("button", name="Check answer").click()
    learner.locator("#q-q-spot-two-feedback").wait_for()
    learner.get_by_role("button", name=re.compile("Finish")).first.click()
    learner.locator(".score-summary").wait_for()

    # An exercise: check the starter with hostile comments, then fix it and pass.
    learner.goto("/topics/demo-topic/exercises/set-a-timeout/")
    editor = learner.locator("#file-0")
    starter = editor.input_value()
    hostile = "".join(f"# {p}\n" for p in PAYLOADS) + starter
    set_file_text(learner, hostile)
    learner.get_by_role("button", name="Check").click()
    learner.locator(".verdict .status-bad").wait_for()
    set_file_text(learner, hostile.replace("MemorySize: 1024", "MemorySize: 1024\n      Timeout: 60"))
    learner.get_by_role("button", name="Check").click()
    learner.locator(".verdict .status-ok").wait_for()

    # The instructor sees it all on the dashboard.
    host.goto("/dashboard/")
    host.get_by_role("link", name="Onboarding").click()
    matrix_url = host.url
    assert "lena" in host.locator("table.matrix").inner_text()
    assert "Exercises 1/2" in host.locator("table.matrix").inner_text()
    host.get_by_role("link", name="Footguns").click()
    row = host.locator("tr", has=host.get_by_role("link", name="Forgot the Limit"))
    assert row.locator("td").nth(3).inner_text().strip() == "1"  # wrong in quizzes
    host.get_by_role("link", name="Questions").click()
    host.get_by_role("link", name="Exercises").click()
    assert "set-a-timeout" in host.content() or "Set a timeout" in host.content()
    host.goto(matrix_url)
    host.get_by_role("link", name="lena").click()
    learner_url = host.url
    host.locator("a[href*='/submissions/']").first.click()
    assert "alert(2)" in host.locator(".submitted-file").first.inner_text()  # shown as text, not run
    pages = [
        matrix_url,
        matrix_url + "footguns/",
        matrix_url + "questions/",
        matrix_url + "exercises/",
        learner_url,
        host.url,
    ]
    for url in pages:
        host.goto(url)
    host_problems.assert_clean()
    learner_problems.assert_clean()

    def as_teacher(page):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("teacher")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()

    for url in pages:
        path = url.replace(live_server.url, "")
        assert axe_check(path, setup=as_teacher) == [], path
    teacher.close()
    learner_context.close()
