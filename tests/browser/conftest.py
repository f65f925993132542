from __future__ import annotations

import os
import re
import shutil

import pytest

from tests.conftest import require_or_skip

# Playwright's sync API keeps an event loop in this thread; Django's guard against running the ORM
# inside an event loop would trip on the live server's test-side queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium_browser():
    available = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    require_or_skip(available, f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS, timeout=30_000)
        yield browser
        browser.close()


# Chromium logs every 4xx answer to the console. The refusals of the site's htmx convention (409, 413, 422, 429:
# swapped in with their message, static/js/errors.js) are expected answers, not page problems.
REFUSAL_LOGGED = re.compile(r"Failed to load resource: the server responded with a status of (409|413|422|429) ")


class PageProblems:
    """Collects CSP violations, console errors and dialogs (a dialog means injected script ran)."""

    def __init__(self, page) -> None:
        self.csp: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)
        elif message.type == "error" and "favicon" not in text and not REFUSAL_LOGGED.search(text):
            self.errors.append(text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.csp == [], self.csp
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.problems = PageProblems(page)
    yield page
    context.close()


@pytest.fixture
def axe_check(chromium_browser, live_server):
    """Run axe-core on a URL in a separate context and return serious/critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    def run(path: str, *, width: int = 1280, setup=None) -> list[dict]:
        context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        try:
            axe_page = context.new_page()
            if setup:
                setup(axe_page)
            axe_page.goto(path)
            results = Axe().run(axe_page)
            return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        finally:
            context.close()

    return run


def set_file_text(page, text: str, index: int = 0) -> None:
    """Replace a workspace file's text the way a learner would: in the CodeMirror editor when it is there (it
    keeps the form's textarea in sync), else in the textarea itself."""
    content = page.locator(".cm-host .cm-content").nth(index)
    if page.locator(".cm-host").count() > index:
        # Pasted, as a learner would: CodeMirror reads the clipboard event. (Playwright's insert_text goes
        # through the browser's own editing of the contenteditable, which writes style attributes.)
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        content.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Control+V")
        textarea = page.locator(f"#file-{index}")
        for _ in range(100):
            if textarea.input_value() == text:
                break
            page.wait_for_timeout(50)
        assert textarea.input_value() == text
    else:
        page.locator(f"#file-{index}").fill(text)


def in_editor(page) -> bool:
    """Whether focus is in a CodeMirror editor (it lives in a shadow root)."""
    return page.evaluate(
        "(document.activeElement.shadowRoot?.activeElement || document.activeElement).classList.contains('cm-content')"
    )


LIVE_PASSWORD = "a long browser passphrase"


def platform_team():
    """An instructor's cohort on the demo topic with two members, mia and max: (teacher, cohort, mia, max)."""
    import datetime as dt

    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create, cohort_join

    teacher = user_create(username="teacher", password=LIVE_PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])
    mia, max_ = user_create(username="mia", password=LIVE_PASSWORD), user_create(username="max", password=LIVE_PASSWORD)
    for user in (mia, max_):
        cohort_join(user=user, cohort=cohort)
    return teacher, cohort, mia, max_
