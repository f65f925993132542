"""The CodeMirror editor is an enhancement: with JavaScript the textareas become editors with highlighting, line
numbers, findings at their lines and "Line N" links that move the cursor; without it the textarea form works."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

URL = "/topics/demo-topic/exercises/set-a-timeout/"
PASSWORD = "a long editor passphrase"


@pytest.fixture
def lena(django_user_model):
    return django_user_model.objects.create_user(username="lena", password=PASSWORD)


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def in_editor(page) -> bool:
    """The editor lives in a shadow root (its styles are a constructed sheet, so the CSP stays strict)."""
    return page.evaluate(
        "(document.activeElement.shadowRoot?.activeElement || document.activeElement).classList.contains('cm-content')"
    )


def test_the_editor_highlights_shows_findings_and_line_links_move_the_cursor(page, lena, axe_check):
    log_in(page)
    page.goto(URL)
    editor = page.locator(".cm-editor")
    editor.wait_for()
    assert page.locator("#file-0").is_hidden()  # the textarea stays in the form, hidden
    assert page.locator(".cm-gutters .cm-lineNumbers").count() == 1
    highlighted = page.evaluate(
        "[...new Set([...document.querySelector('.cm-host').shadowRoot.querySelectorAll('.cm-line span[class]')]"
        ".map(s => s.className))]"
    )
    assert len(highlighted) >= 2  # keys, strings, numbers and comments in different styles
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not yet.").wait_for()
    page.locator(".cm-lintRange-error, .cm-lintRange-warning").first.wait_for()  # the finding at its line
    link = page.locator("#feedback .finding a[href*='-L-']").first
    line = int(link.get_attribute("href").split("-L-")[-1])
    link.click()
    assert in_editor(page)
    assert page.locator(".cm-activeLine").inner_text() == page.locator("#file-0").input_value().split("\n")[line - 1]
    # Typing in the editor changes what is sent; Tab indents, Escape then Tab leaves.
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert in_editor(page)
    page.keyboard.type("Timeout: 60")
    assert "Timeout: 60" in page.locator("#file-0").input_value()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not in_editor(page)
    page.problems.assert_clean()  # no CSP violation: no inline style or script

    def as_lena(axe_page):
        log_in(axe_page)

    assert axe_check(URL, setup=as_lena) == []


def test_without_javascript_the_textarea_form_still_checks(chromium_browser, live_server, lena):
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page)
    page.goto(URL)
    assert page.locator(".cm-editor").count() == 0
    textarea = page.locator("#file-0")
    assert textarea.is_visible()
    textarea.fill(textarea.input_value().replace("MemorySize: 1024", "MemorySize: 1024\n      Timeout: 60"))
    page.get_by_role("button", name="Check").click()
    page.locator("#feedback").get_by_text("Passed.", exact=True).wait_for()
    context.close()
