from __future__ import annotations

import pytest

from tests.browser.conftest import in_editor, set_file_text

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

URL = "/topics/demo-topic/exercises/set-a-timeout/"
PASSWORD = "a long keyboard passphrase"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tab_to(page, predicate_js: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => !!el && ({predicate_js}))(document.activeElement)"):
            return
    pytest.fail(f"not reachable with Tab: {predicate_js}")


def test_keyboard_only_check_the_starter_fix_it_and_pass(page, django_user_model):
    django_user_model.objects.create_user(username="kb", password=PASSWORD)
    log_in(page, "kb")
    page.goto(URL)
    tab_to(page, "el.classList.contains('cm-host')")  # the CodeMirror editor (its content is in a shadow root)
    assert in_editor(page)
    # Check the starter as it is: leave the editor with Escape then Tab, land on Check.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "check-button"
    page.keyboard.press("Enter")
    page.get_by_text("Not yet.").wait_for()
    assert page.locator("#feedback").get_by_text("aws-lambda/default-timeout").first.is_visible()
    assert page.locator("#feedback .hll").count() >= 1  # the offending line is marked
    assert page.evaluate("document.activeElement.id") == "feedback"  # focus moved to the result
    # Back into the editor, add the timeout under MemorySize (line 11), indenting with Tab.
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if in_editor(page):
            break
    assert in_editor(page)
    page.keyboard.press("Control+Home")
    for _ in range(10):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("Enter")  # the new line keeps the indentation of MemorySize
    page.keyboard.press("Tab")  # Tab indents; focus stays in the editor
    assert in_editor(page)
    page.keyboard.press("Shift+Tab")  # and Shift+Tab takes the indent back
    page.keyboard.type("Timeout: 60")
    assert "\n      Timeout: 60\n" in page.locator("#file-0").input_value()
    page.get_by_text("Draft saved at").wait_for()  # autosaved after a pause in typing
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("#feedback").get_by_text("Passed.", exact=True).wait_for()
    assert page.locator("#check-announcer").inner_text() == "Check passed."  # a live region announces it
    assert page.locator("#exercise-status").inner_text() == "Passed"
    assert page.get_by_text("What you fixed").is_visible()
    assert page.get_by_role("link", name="Show the reference solution").is_visible()
    assert page.url.endswith(URL)  # swapped in by htmx
    # The draft survives a reload.
    page.reload()
    assert "Timeout: 60" in page.locator("#file-0").input_value()
    page.problems.assert_clean()


def test_without_javascript_check_still_works(chromium_browser, live_server, django_user_model):
    django_user_model.objects.create_user(username="nojs", password=PASSWORD)
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "nojs")
    page.goto(URL)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not yet.").wait_for()
    context.close()


def test_exercise_pages_fit_360_pixels(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("/topics/demo-topic/exercises/", URL):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    context.close()


@pytest.mark.parametrize("path", ["/topics/demo-topic/exercises/", URL])
def test_axe_finds_no_serious_or_critical_violations_for_visitors(axe_check, path):
    assert axe_check(path) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_workspace_with_feedback(axe_check, django_user_model, scheme):
    django_user_model.objects.create_user(username="axe", password=PASSWORD)

    def checked(page):
        page.emulate_media(color_scheme=scheme)
        log_in(page, "axe")
        page.goto(URL)
        page.get_by_role("button", name="Check").click()
        page.get_by_text("Not yet.").wait_for()
        page.get_by_role("button", name="Show hint 1 of 4: where the primer covers it").click()
        page.get_by_text("Read").first.wait_for()

    assert _dump(axe_check(URL, setup=checked)) == []


def _dump(violations):
    return [(v["id"], [n["target"] for n in v["nodes"]][:5], v["nodes"][0].get("failureSummary")) for v in violations]


def test_a_refused_check_is_shown_and_the_text_stays(page, django_user_model, settings):
    settings.EXERCISE_CHECKS_PER_MINUTE = 1
    django_user_model.objects.create_user(username="rl", password=PASSWORD)
    log_in(page, "rl")
    page.goto(URL)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not yet.").wait_for()
    set_file_text(page, "# my own text\n")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("which is the limit").wait_for()  # the 429 answer is swapped in
    assert page.locator("#file-0").input_value() == "# my own text\n"
    # Over what the server reads at all (set on the form's textarea: typing 1.6 MB would take minutes).
    page.locator("#file-0").evaluate("(el, text) => { el.value = text; }", "x: " + "y" * 1_600_000)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("could not read what was sent").wait_for()  # js/errors.js, next to the form
    assert "still here" in page.locator(".request-error").inner_text()
    assert page.locator("#file-0").input_value().startswith("x: yyy")
    # The browser and htmx log the 429 and 400 answers to the console; they are expected here.
    expected = ("status of 4", "Response Status Error Code 4")
    page.problems.errors = [e for e in page.problems.errors if not any(x in e for x in expected)]
    page.problems.assert_clean()
