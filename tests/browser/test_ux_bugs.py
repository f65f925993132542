"""Issue 15's bugs, as a learner and an instructor meet them in Chromium: each test failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

PASSWORD = "a long keyboard passphrase"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.fixture
def teacher():
    from courseware.accounts.services import user_create

    return user_create(username="teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def student():
    from courseware.accounts.services import user_create

    return user_create(username="lena", password=PASSWORD)


def test_editing_a_cohort_keeps_its_due_dates(page, teacher):
    from courseware.cohorts.services import cohort_create

    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 12, 31))])
    log_in(page, "teacher")
    page.goto(f"/cohorts/{cohort.pk}/edit/")
    due = page.get_by_label("Due date for Demo Topic (optional)")
    assert due.input_value() == "2030-12-31"  # the browser shows the date, not a blank field
    page.get_by_label("Name").fill("Platform team, renamed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    cohort.refresh_from_db()
    assert cohort.name == "Platform team, renamed"
    assert list(cohort.topics.values_list("topic", "due_date")) == [("demo-topic", dt.date(2030, 12, 31))]
    page.problems.assert_clean()


def focused(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def test_the_first_tab_reaches_the_skip_link(page):
    page.goto("/topics/demo-topic/quizzes/demo/")
    page.keyboard.press("Tab")
    assert focused(page, "el.textContent.trim()") == "Skip to content"


def test_quiz_steps_focus_the_heading_and_check_focuses_the_feedback(page):
    page.goto("/topics/demo-topic/quizzes/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    assert focused(page, "el.tagName") == "H1"  # a full-page step starts at the main heading
    page.keyboard.press("Tab")
    assert focused(page, "el.type") == "radio"  # the first Tab reaches the answer, not the site menu
    page.get_by_label("The short default limit").check()
    page.get_by_role("button", name="Check answer").click()
    page.locator("#q-q-single-feedback").wait_for()
    assert focused(page, "el.id") == "q-q-single-feedback"
    with page.expect_navigation():
        page.get_by_role("link", name="Next question").click()
    assert focused(page, "el.tagName") == "H1"
    page.keyboard.press("Tab")
    assert focused(page, "el.type") == "checkbox"


def test_exercise_check_moves_focus_to_the_feedback(page, student):
    log_in(page, "lena")
    page.goto("/topics/demo-topic/exercises/set-a-timeout/")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not yet.").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'feedback'")
    assert focused(page, "el.id") == "feedback"  # not <body>: the disabled button lost it
    assert page.locator("#check-announcer").inner_text().startswith("Not yet")
    page.problems.assert_clean()


def test_the_drill_does_not_give_the_answer_away(chromium_browser, live_server, settings):
    from django.conf import settings as django_settings

    from courseware.topics import library

    settings.CONTENT_DIR = django_settings.BASE_DIR / "content"  # the real story has six hours
    library.clear()
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/topics/aws-lambda/anti_primer/drill/")
    first_values, styles = [], set()
    while page.locator(".drill-choices").count():
        buttons = page.locator(".drill-choices button")
        assert buttons.count() == 2
        first_values.append(buttons.nth(0).get_attribute("value"))
        styles |= {buttons.nth(i).evaluate("b => getComputedStyle(b).backgroundColor + b.className") for i in (0, 1)}
        page.locator(".drill-choices button[value='p']").click()
        page.locator(".drill-step").nth(len(first_values) - 1).wait_for()
    assert len(first_values) == 6
    assert set(first_values) == {"s", "p"}  # the primer's way is sometimes first, sometimes second
    assert len(styles) == 1  # and both buttons look the same
    context.close()


def progress_line(page) -> str:
    return " ".join(page.locator("#quiz-progress-line").inner_text().split())


def test_quiz_progress_counts_each_answer_as_it_is_checked(page):
    page.goto("/topics/demo-topic/quizzes/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    assert progress_line(page).endswith("answered 0 of 6")
    page.get_by_label("The short default limit").check()
    page.get_by_role("button", name="Check answer").click()
    page.locator("#q-q-single-feedback").wait_for()
    assert progress_line(page).endswith("answered 1 of 6")
    assert page.locator("#quiz-progress").get_attribute("value") == "1"


def test_a_one_page_quiz_answered_in_full_does_not_warn_about_unanswered_questions(page):
    page.goto("/topics/demo-topic/quizzes/one-page/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    assert "unanswered count as wrong" in page.locator("#unanswered-note").inner_text()
    page.locator("input[name='value']").fill("30")
    page.locator("#q-q-tolerance").get_by_role("button", name="Check answer").click()
    page.locator("#q-q-tolerance-feedback").wait_for()
    assert progress_line(page).endswith("answered 1 of 2")
    page.locator("#q-q-spot-two input[type='checkbox'][value='2']").check()
    page.locator("#q-q-spot-two").get_by_role("button", name="Check answer").click()
    page.locator("#q-q-spot-two-feedback").wait_for()
    assert progress_line(page).endswith("answered 2 of 2")
    assert page.locator("#unanswered-note").inner_text() == "Every question is answered."
    page.problems.assert_clean()


def test_clicking_the_feedback_box_draws_no_focus_ring(page):
    page.goto("/topics/demo-topic/quizzes/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("The short default limit").check()
    page.get_by_role("button", name="Check answer").click()
    feedback = page.locator("#q-q-single-feedback")
    feedback.wait_for()
    feedback.click(position={"x": 5, "y": 5})
    assert focused(page, "el.id") == "q-q-single-feedback"
    assert feedback.evaluate("el => getComputedStyle(el).outlineStyle") == "none"


def test_a_host_button_pressed_during_a_poll_wins_without_htmx_errors(page, teacher):

    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_session_create

    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])
    session = live_session_create(
        cohort=cohort,
        instructor=teacher,
        title="Monday quiz",
        questions=["demo-topic/demo#q-single"],
        question_seconds=120,
        allow_guests=True,
    )
    log_in(page, "teacher")
    page.set_viewport_size({"width": 1280, "height": 720})
    held = []

    def hold_poll(route):  # keep every poll in flight until the button has been pressed
        held.append(route)

    page.route("**/stage/", hold_poll)
    page.goto(f"/live/host/{session.pk}/")
    page.wait_for_event("request", lambda r: r.url.endswith("/stage/"), timeout=15_000)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Question 1 of 1").wait_for()
    for route in held:
        route.continue_()
    page.wait_for_timeout(500)
    assert page.get_by_text("Question 1 of 1").is_visible()  # the older poll did not undo the click
    page.problems.assert_clean()


def test_progress_bars_stay_inside_the_topic_card(page, student, teacher):
    from courseware.cohorts.services import cohort_create, cohort_join

    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])
    cohort_join(user=student, cohort=cohort)
    log_in(page, "lena")
    for width in (1280, 1000, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        card = page.locator(".card", has=page.locator(".progress-parts")).first
        inner_right = card.evaluate(
            "c => c.getBoundingClientRect().right - parseFloat(getComputedStyle(c).paddingRight)"
        )
        bars = card.locator("progress")
        assert bars.count() >= 2
        for i in range(bars.count()):
            assert bars.nth(i).evaluate("b => b.getBoundingClientRect().right") <= inner_right + 0.5, width
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_ordering_with_move_buttons_works_without_javascript(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/topics/demo-topic/quizzes/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    page.goto(page.url + "?q=q-ordering")
    right = ["read", "compare", "raise", "verify"]

    def order():
        return [i.get_attribute("value") for i in page.locator("input[name=order]").all()]

    assert sorted(order()) == sorted(right) and order() != right  # a shuffled start
    for place, item in enumerate(right):
        while order().index(item) > place:
            page.locator(f"button[value='up:{item}']").click()
    page.get_by_role("button", name="Check answer").click()
    assert "✓ Right" in page.locator("#q-q-ordering").inner_text()
    context.close()


def test_the_move_buttons_name_the_step_and_its_place(page):
    page.goto("/topics/demo-topic/quizzes/demo/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the quiz").click()
    page.goto(page.url + "?q=q-ordering")
    first = page.locator("input[name=order]").first.get_attribute("value")
    text = page.locator(".ordering-text").first.inner_text()
    button = page.get_by_role("button", name=f"Move down: {text} (step 1 of 4)")
    assert button.get_attribute("value") == f"down:{first}"
    button.click()
    page.get_by_role("button", name=f"Move down: {text} (step 2 of 4)").wait_for()
    assert focused(page, "el.value") == f"down:{first}"  # htmx swapped the card and focus stayed with the step
    assert page.get_by_role("status").filter(has_text="Now step 2 of 4.").count() == 1
    page.problems.assert_clean()


def test_the_copy_buttons_copy_the_join_code_and_link(chromium_browser, live_server, teacher):
    from courseware.cohorts.services import cohort_create

    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])
    context = chromium_browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    log_in(page, "teacher")
    page.goto(f"/cohorts/{cohort.pk}/")
    page.get_by_role("button", name="Copy code").click()
    page.get_by_role("status").filter(has_text=f"Copied: {cohort.join_code}").wait_for(state="attached")
    assert page.evaluate("navigator.clipboard.readText()") == cohort.join_code
    page.get_by_role("button", name="Copy link").click()
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/join/{cohort.join_code}/")
    page.get_by_role("link", name="Open the cohort's dashboard").click()
    page.get_by_role("heading", name="Who is ready").wait_for()
    context.close()
