from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

QUIZ = "/topics/demo-topic/quizzes/demo/"
PASSWORD = "a long keyboard passphrase"


def tab_to(page, predicate: str, *, limit: int = 80) -> None:
    """Press Tab until `predicate` (a JS expression over `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({predicate})); }})()"):
            return
    pytest.fail(f"never reached with Tab: {predicate}")


def focused(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def check_answer_and_see_feedback(page, question: str) -> None:
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Check answer'")
    page.keyboard.press("Enter")
    page.locator(f"#q-{question}-feedback").wait_for()
    # htmx swapped the feedback in and moved focus to it: no page load happened.
    assert page.evaluate("window.__noReload") is True
    # Focus moves once htmx has settled the swap; wait for it (bounded) rather than racing the settle delay.
    # (Polled from here: wait_for_function evaluates a string, which the page's CSP rightly forbids.)
    for _ in range(100):
        if focused(page, "el.id") == f"q-{question}-feedback":
            break
        page.wait_for_timeout(50)
    assert focused(page, "el.id") == f"q-{question}-feedback"


def next_question(page) -> None:
    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Next question'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.evaluate("window.__noReload = true")


def shown_order(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('input[name=order]')].map(i => i.value)")


def sort_with_move_buttons(page, right: list[str]) -> None:
    """Bubble each step up to its place with the keyboard: focus stays on the button that was pressed."""
    for place, item in enumerate(right):
        while shown_order(page).index(item) > place:
            if focused(page, "el.value") != f"up:{item}":
                tab_to(page, f"el.value === 'up:{item}'")
            before = shown_order(page)
            page.keyboard.press("Enter")
            for _ in range(50):
                if shown_order(page) != before:
                    break
                page.wait_for_timeout(50)
            page.wait_for_timeout(50)
            assert focused(page, "el.value") in (f"up:{item}", f"down:{item}")  # focus follows the step


def pick_radio(page, value: str) -> None:
    tab_to(page, "el.type === 'radio'")
    for _ in range(6):
        if focused(page, "el.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert focused(page, "el.checked && el.value") == value


def test_take_a_quiz_with_the_keyboard_only_then_results_and_retry(page):
    page.goto(QUIZ)
    tab_to(page, "el.textContent.trim() === 'Start the quiz'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.evaluate("window.__noReload = true")

    pick_radio(page, "short")
    check_answer_and_see_feedback(page, "q-single")
    assert "✓ Right" in page.locator("#q-q-single").inner_text()
    next_question(page)

    for _ in range(4):  # the four checkboxes, in their shuffled order
        tab_to(page, "el.type === 'checkbox'")
        if focused(page, "el.value") in ("no-backoff", "many"):
            page.keyboard.press("Space")
    check_answer_and_see_feedback(page, "q-multiple")
    next_question(page)

    pick_radio(page, "true")
    check_answer_and_see_feedback(page, "q-true-false")
    next_question(page)

    tab_to(page, "el.name === 'value'")
    page.keyboard.type("1,769 MB")
    check_answer_and_see_feedback(page, "q-numeric")
    next_question(page)

    sort_with_move_buttons(page, ["read", "compare", "raise", "verify"])
    check_answer_and_see_feedback(page, "q-ordering")
    assert "✓ Right" in page.locator("#q-q-ordering").inner_text()
    next_question(page)

    tab_to(page, "el.type === 'checkbox' && el.value === '3'")
    page.keyboard.press("Space")
    check_answer_and_see_feedback(page, "q-spot")

    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'See your results'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Results: Demo quiz"
    summary = page.locator(".score-summary").inner_text()
    assert "6 of 6" in summary and "100%" in summary and "Passed" in summary
    assert page.locator(".result-item").count() == 6

    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Try again'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/attempts/" in page.url and not page.url.endswith("/result/")
    assert page.locator("#q-q-single form").count() == 1
    page.problems.assert_clean()


def test_a_wrong_answer_shows_why_without_a_reload(page):
    page.goto(QUIZ)
    page.get_by_role("button", name="Start the quiz").click()
    page.evaluate("window.__noReload = true")
    page.get_by_label("The longest allowed limit").check()
    page.get_by_role("button", name="Check answer").click()
    feedback = page.locator("#q-q-single-feedback")
    feedback.wait_for()
    text = feedback.inner_text()
    assert "Not right" in text and "FEEDBACK-LONG" in text and "EXPLAIN-SINGLE" in text
    assert "The short default limit" in text  # the right answer, shown after answering
    assert page.evaluate("window.__noReload") is True
    page.problems.assert_clean()


@pytest.fixture
def signed_in_attempts(django_user_model):
    from courseware.quizzes import services
    from courseware.quizzes.content import quizzes_of
    from courseware.topics.library import get_library

    user = django_user_model.objects.create_user(username="axe", password=PASSWORD)
    quizzes = quizzes_of(get_library().topic("demo-topic"))
    demo = quizzes["demo"]
    open_attempt = services.attempt_start(quiz=demo, user=user)
    services.answer_submit(attempt=open_attempt, question=demo.question("q-multiple"), response={"choices": ["many"]})
    done = services.attempt_start(quiz=demo, user=user)
    services.answer_submit(attempt=done, question=demo.question("q-spot"), response={"lines": [2]})
    services.attempt_finish(attempt=done, quiz=demo)
    one_page = services.attempt_start(quiz=quizzes["one-page"], user=user)
    base = f"{QUIZ}attempts/"
    return {
        "question": f"{base}{open_attempt.pk}/?q=q-spot",
        "ordering": f"{base}{open_attempt.pk}/?q=q-ordering",
        "feedback": f"{base}{open_attempt.pk}/?q=q-multiple",
        "one_page": f"/topics/demo-topic/quizzes/one-page/attempts/{one_page.pk}/",
        "result": f"{base}{done.pk}/result/",
        "review": "/review/",
        "quiz": QUIZ,
    }


def _log_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("axe")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("name", ["quiz", "question", "ordering", "feedback", "one_page", "result", "review"])
def test_axe_finds_no_serious_or_critical_violations_on_quiz_pages(axe_check, signed_in_attempts, name):
    assert axe_check(signed_in_attempts[name], setup=_log_in) == []


@pytest.mark.parametrize("name", ["question", "feedback", "result"])
def test_axe_in_dark_scheme_on_quiz_pages(axe_check, signed_in_attempts, name):
    def dark_and_logged_in(page):
        page.emulate_media(color_scheme="dark")
        _log_in(page)

    assert axe_check(signed_in_attempts[name], setup=dark_and_logged_in) == []


def test_quiz_pages_fit_360_pixels(chromium_browser, live_server, signed_in_attempts):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    _log_in(page)
    for name in ("question", "feedback", "result"):
        page.goto(signed_in_attempts[name])
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360px"
    context.close()


def test_one_page_quiz_answers_each_card_in_place_and_explains_empty_answers(page):
    page.goto("/topics/demo-topic/quizzes/one-page/")
    page.get_by_role("button", name="Start the quiz").click()
    page.evaluate("window.__noReload = true")
    spot = page.locator("#q-q-spot-two")
    spot.get_by_role("button", name="Check answer").click()
    error = spot.locator(".form-errors")
    error.wait_for()
    assert error.inner_text() == "Select at least one line."
    assert focused(page, "el.id") == "q-q-spot-two-error"
    page.get_by_label("Your answer (in s)").fill("3.3 s")
    page.locator("#q-q-tolerance").get_by_role("button", name="Check answer").click()
    page.locator("#q-q-tolerance-feedback").wait_for()
    assert "✓ Right" in page.locator("#q-q-tolerance-feedback").inner_text()
    spot.locator("input[value='2']").check()
    spot.get_by_role("button", name="Check answer").click()
    page.locator("#q-q-spot-two-feedback").wait_for()
    assert "Partly right (50%)" in page.locator("#q-q-spot-two-feedback").inner_text()
    assert page.evaluate("window.__noReload") is True
    page.get_by_role("button", name="Finish and see results").click()
    assert "1.5 of 2" in page.locator(".score-summary").inner_text()
    page.problems.assert_clean()
