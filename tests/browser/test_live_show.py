"""A live session as a room sees it: the host's projector and three phones, from the lobby to the podium.

The projector must show every stage without scrolling at 1280×720 and 1920×1080, with long questions, long
choices and long code; the phones must fit 360 px without scrolling sideways, with large tap targets; both
must be free of serious and critical axe violations on every stage. One phone runs without JavaScript.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client

from tests.browser.conftest import LIVE_PASSWORD, PageProblems, platform_team
from tests.browser.sweep import page_report
from tests.conftest import FIXTURE_CONTENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = LIVE_PASSWORD
PROJECTORS = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
STARTER = (FIXTURE_CONTENT / "demo-topic/exercises/set-a-timeout/starter/template.yaml").read_text()
SOLUTION = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 60\n")
WORDS = "the function times out while the queue keeps redelivering the same batch to a cold worker"
LONG_LINE = "      Description: " + "a description that goes on well past the edge of any phone " * 2
SNIPPET = "\n".join(
    ["Resources:", "  ReportBuilder:", "    Type: AWS::Serverless::Function", "    Properties:"]
    + [f"      Tag{n}: value-{n}" if n % 9 else LONG_LINE for n in range(1, 34)]
    + ["      Runtime: python3.13", "      Timeout: 3", "      MemorySize: 1024"]
)
KEY_LINE = SNIPPET.split("\n").index("      Timeout: 3") + 1
PROJECTOR_QUIZ = f"""title: Projector quiz
description: Long questions, long choices and long code, as a real course has them.
mode: one_at_a_time
pass_mark: 0.5
questions:
  - id: q-long-single
    kind: single
    prompt: >-
      A nightly job reads a queue of reports; {WORDS}; {WORDS}. Which setting ends this first?
    learn: footgun:forgot-the-limit
    explanation: EXPLAIN-LONG-SINGLE {WORDS}.
    choices:
      - id: timeout
        text: Set a timeout that covers the longest report, with room to spare, and a visibility timeout above it
        correct: true
      - id: memory
        text: Give the function the most memory allowed, so that every report finishes before the default ends
      - id: retries
        text: Raise the queue's retry count so that each batch gets many more chances to finish in the end
      - id: nothing
        text: Nothing; the platform notices a stuck batch on its own and moves it to a dead-letter queue
  - id: q-long-multiple
    kind: multiple
    prompt: >-
      Retries are piling up after an outage; {WORDS}. Which of these make the storm worse?
    learn: footgun:retry-storm
    explanation: EXPLAIN-LONG-MULTIPLE every retry without backoff is one more request on a struggling service.
    choices:
      - id: no-backoff
        text: Retrying at once, without any backoff between attempts, from every client at the same moment
        correct: true
      - id: many
        text: A hundred retries per request, so that no request is ever given up on, whatever happens
        correct: true
      - id: jitter
        text: Adding random jitter to each client's backoff, so that the retries spread out over time
      - id: cap
        text: Capping retries at two and sending what still fails to a dead-letter queue for a person to read
  - id: q-long-spot
    kind: spot_the_footgun
    prompt: Which line leaves this function with a limit far below what a report needs?
    learn: footgun:forgot-the-limit
    explanation: EXPLAIN-LONG-SPOT a three-second limit cuts a report off halfway.
    language: yaml
    snippet: |
{chr(10).join("      " + line for line in SNIPPET.split(chr(10)))}
    lines: [{KEY_LINE}]
"""
QUESTIONS = [f"demo-topic/projector#q-long-{kind}" for kind in ("single", "multiple", "spot")]

# What must be on screen at every projector stage: the title, the countdown when there is one, the question or
# the round, and every control (with the whole of each button inside the screen).
MUST_SHOW = ["#live-title", ".live-countdown", "#q-heading", ".live-prompt", "#ex-heading", "#podium-heading",
             ".live-controls button", ".live-huge", "svg.qr"]  # fmt: skip
FIT_JS = """(selectors) => {
  const d = document.documentElement;
  const hidden = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.left < 0 || r.bottom > d.clientHeight + 1 || r.right > d.clientWidth + 1 || r.height === 0) {
        const box = [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
        hidden.push(selector + ' at ' + box);
      }
    }
  }
  return {scrollHeight: d.scrollHeight, height: d.clientHeight,
          scrollWidth: d.scrollWidth, width: d.clientWidth, hidden};
}"""
SHOTS = os.environ.get("LIVE_SHOW_SCREENSHOTS")  # a folder: save each stage's screenshot there, to look at


@pytest.fixture
def show_content(settings, tmp_path):
    """The test pack plus a quiz of long questions, long choices and long code."""
    from courseware.topics import library

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "demo-topic/quizzes/projector.yaml").write_text(PROJECTOR_QUIZ)
    settings.CONTENT_DIR = root
    library.clear()
    yield root
    library.clear()


def _context(browser, live_server, *, size, user=None, javascript=True):
    context = browser.new_context(base_url=live_server.url, viewport=size, java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def _report_without_javascript(page) -> list[str]:
    """axe runs on timers, which a page without JavaScript never fires: audit the same page in a twin context
    (same cookies and size) whose page scripts are refused and whose <noscript> content is shown, as a browser
    without JavaScript renders it."""

    def as_without_javascript(route) -> None:
        if route.request.resource_type == "script":
            route.abort()
        elif route.request.resource_type == "document":
            response = route.fetch()
            body = response.text().replace("<noscript>", "").replace("</noscript>", "")
            route.fulfill(response=response, body=body)
        else:
            route.continue_()

    twin = page.context.browser.new_context(viewport=page.viewport_size, storage_state=page.context.storage_state())
    try:
        twin.route("**/*", as_without_javascript)
        twin_page = twin.new_page()
        twin_page.goto(page.url)
        return page_report(twin_page)
    finally:
        twin.close()


class Room:
    def __init__(self, host, phones, problems: list[str]) -> None:
        self.host, self.phones, self.problems = host, phones, problems

    def projector(self, stage: str, *, sizes=PROJECTORS) -> None:
        """The host's stage fits each projector size, with what matters in view, and axe finds nothing serious
        in the light or the dark colour scheme."""
        host = self.host
        for size in sizes:
            host.set_viewport_size(size)
            fit = host.evaluate(FIT_JS, MUST_SHOW)
            where = f"projector {size['width']}×{size['height']} {stage}"
            if fit["scrollHeight"] > fit["height"] or fit["scrollWidth"] > fit["width"]:
                self.problems.append(f"{where}: the page scrolls ({fit['scrollWidth']}×{fit['scrollHeight']})")
            self.problems += [f"{where}: not in view: {item}" for item in fit["hidden"]]
            if SHOTS:
                host.screenshot(path=str(Path(SHOTS) / f"host-{stage}-{size['width']}.png"))
        host.set_viewport_size(PROJECTORS[0])
        for scheme in ("light", "dark"):  # a projector's laptop may well be in dark mode
            host.emulate_media(color_scheme=scheme)
            self.problems += [f"projector {stage} ({scheme}): {p}" for p in page_report(host)]

    def phone(self, page, stage: str) -> None:
        """A phone's stage: no sideways scrolling, tap targets of 44 px and more, nothing serious for axe."""
        name = page.viewport_size["width"]
        report = page_report(page) if page.context_has_js else _report_without_javascript(page)
        self.problems += [f"phone {name} {stage}: {p}" for p in report]
        small = page.evaluate("""() => [...document.querySelectorAll(
            '#live-stage button, #live-stage .live-choice, #live-stage label.live-line, #live-stage select')]
          .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && r.height < 44)
          .map(r => Math.round(r.height))""")
        if small:
            self.problems.append(f"phone {name} {stage}: tap targets under 44 px high: {small}")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"phone{name}-{stage}.png"), full_page=True)

    def phones_see(self, text: str, stage: str) -> None:
        for page in self.phones:
            if not page.context_has_js:
                page.get_by_role("link", name="Refresh").click()
            page.locator("#live-stage").get_by_text(text).first.wait_for()
            self.phone(page, stage)

    def press(self, key: str, then: str) -> None:
        """The host presses a shortcut key; `then` is text the new stage shows."""
        self.host.locator("body").press(key)
        self.host.locator("#live-stage").get_by_text(then).first.wait_for()


def _answer(page, *, choices=(), lines=()) -> None:
    if not page.context_has_js:  # without polling, the phone shows the stage as it was when it last loaded
        page.get_by_role("link", name="Refresh").click()
    for text in choices:
        page.get_by_label(text).check()
    for number in lines:
        page.locator(f"input[name='line'][value='{number}']").check()
    page.get_by_role("button", name="Send answer").click()
    # With htmx the notice comes in the stage; without JavaScript in the page's messages after the redirect.
    page.locator("main").get_by_text("Answer sent and locked.").first.wait_for()


def test_a_room_plays_three_questions_and_an_exercise_round_on_a_projector_and_phones(
    chromium_browser, live_server, show_content
):
    from courseware.live.services import live_session_create

    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
    teacher, cohort, mia, max_ = platform_team()
    session = live_session_create(
        cohort=cohort,
        instructor=teacher,
        title="Friday quiz for the platform team on timeouts, retries and the footguns behind them",
        questions=QUESTIONS,
        exercise="demo-topic/set-a-timeout",
        question_seconds=300,
        exercise_seconds=600,
        allow_guests=True,
        show_leaderboard=True,
        speed_scoring=True,
    )
    contexts, problems = [], []
    try:
        host_ctx, host = _context(chromium_browser, live_server, size=PROJECTORS[0], user=teacher)
        contexts.append(host_ctx)
        host.goto(f"/live/host/{session.pk}/")
        # Three phones: Mia at 360 px, Max with JavaScript off, a guest on a bigger phone.
        phones = []
        for user, width, javascript in ((mia, 360, True), (max_, 390, False), (None, 412, True)):
            ctx, page = _context(
                chromium_browser, live_server, size={"width": width, "height": 800}, user=user, javascript=javascript
            )
            page.context_has_js = javascript
            contexts.append(ctx)
            phones.append(page)
        room = Room(host, phones, problems)
        mia_phone, max_phone, guest_phone = phones

        # Join.
        for page, user in zip(phones, (mia, max_, None), strict=True):
            page.goto(f"/live/{session.code}/")
            if user is None:
                room.phone(page, "join")
                page.get_by_label("Display name").fill("Gwendolyn from the night shift, on call")
                page.get_by_role("button", name="Join").click()
            else:
                page.get_by_role("button", name=f"Join as {user.username}").click()
            page.locator("#live-stage").get_by_text("Waiting for the host to start").wait_for()
            room.phone(page, "lobby")
        host.get_by_role("heading", name="3 joined").wait_for()
        assert host.get_by_text("Gwendolyn from the night shift, on call").is_visible()
        room.projector("lobby")

        # Question 1, single choice: S starts it; two right, one wrong; C closes, R reveals.
        room.press("s", "Question 1 of 3")
        assert host.locator(".live-countdown").inner_text().endswith(" s")
        room.projector("single-open")
        room.phones_see("Question 1 of 3", "single-open")
        assert max_phone.locator(".live-countdown").inner_text().endswith(" s")  # without JavaScript too
        # Bars grow: each keeps its id from poll to poll (so htmx carries the old width into the new stage and the
        # CSS transition runs from it) and its width follows the answers. Transition events themselves are not
        # asserted: a page in the background of a headless browser may not run them.
        assert host.locator("#answered-1").get_attribute("width") == "0"
        motion = host.evaluate(
            "() => { const s = getComputedStyle(document.getElementById('answered-1'));"
            " return [s.transitionProperty, s.transitionDuration]; }"
        )
        assert motion == ["width", "0.6s"]
        right_single = "Set a timeout that covers the longest report"
        _answer(mia_phone, choices=[right_single])
        _answer(max_phone, choices=[right_single])
        _answer(guest_phone, choices=["Nothing; the platform notices"])
        host.get_by_text("3 of 3 answered").wait_for()
        assert host.get_by_role("table", name="Answers so far (3)").is_visible()
        assert host.locator("#answered-1").get_attribute("width") == "100"
        assert sorted(int(float(w)) for w in host.locator("rect[id^='bar-1-']").evaluate_all(
            "rects => rects.map(r => r.getAttribute('width'))")) [-2:] == [33, 67]  # fmt: skip
        room.press("c", "Answers closed")
        room.projector("single-closed")
        room.press("r", "Answer revealed")
        right_row = host.locator(".live-bars tr.right")
        assert right_row.count() == 1 and "✓ right" in right_row.inner_text()
        assert right_single in right_row.inner_text() and "2 (67%)" in right_row.inner_text()
        room.projector("single-revealed")
        room.phones_see("Right answer", "single-revealed")
        assert "✓ Right · +" in mia_phone.locator(".live-verdict").inner_text()
        assert guest_phone.locator(".live-verdict").inner_text() == "✗ Wrong"

        # Question 2, multiple choice: N moves on; the host reveals while answers are still open.
        room.press("n", "Question 2 of 3")
        room.projector("multiple-open")
        room.phones_see("Question 2 of 3", "multiple-open")
        both = ["Retrying at once, without any backoff", "A hundred retries per request"]
        _answer(mia_phone, choices=both)
        _answer(max_phone, choices=both[:1])
        _answer(guest_phone, choices=both)
        host.get_by_text("3 of 3 answered").wait_for()
        room.press("r", "Answer revealed")
        assert host.locator(".live-bars tr.right").count() == 2
        room.projector("multiple-revealed")
        room.phones_see("Right answer", "multiple-revealed")
        assert "streak 2" in mia_phone.locator(".live-verdict").inner_text()
        assert max_phone.locator(".live-verdict").inner_text().startswith("Partly right")

        # Question 3, spot the footgun, in long code that scrolls inside its own region; P pauses and resumes.
        room.press("n", "Question 3 of 3")
        room.projector("spot-open")
        room.phones_see("Question 3 of 3", "spot-open")
        code = mia_phone.get_by_role("region", name="Code: scrolls sideways")
        assert code.get_attribute("tabindex") == "0"
        assert code.evaluate("el => el.scrollWidth > el.clientWidth"), "the long lines scroll inside the region"
        room.press("p", "Paused")
        room.projector("spot-paused")
        room.phones_see("Paused", "spot-paused")
        room.press("p", "Question open")
        _answer(mia_phone, lines=[KEY_LINE])
        _answer(max_phone, lines=[KEY_LINE, 2])
        _answer(guest_phone, lines=[1])
        host.get_by_text("3 of 3 answered").wait_for()
        room.press("r", "Answer revealed")
        key_line = host.locator(".live-code-region .line.is-key")
        assert key_line.count() == 1 and "◀ the footgun" in key_line.inner_text()
        assert "Timeout: 3" in key_line.inner_text() and "2 picked" in key_line.inner_text()
        MUST_SHOW.append(".live-code-region .is-key")  # the footgun's line is scrolled into view
        try:
            room.projector("spot-revealed")
        finally:
            MUST_SHOW.pop()
        room.phones_see("Right answer", "spot-revealed")
        assert "✓ Right · +" in mia_phone.locator(".live-verdict").inner_text()
        assert "streak 3" in mia_phone.locator(".live-verdict").inner_text()
        assert mia_phone.locator(".live-line.is-key").inner_text().endswith("◀ the footgun")

        # The exercise round: E opens it; one check passes, one fails; C closes it.
        room.press("e", "Exercise round open")
        room.projector("exercise-open")
        room.phones_see("Exercise: Give the report builder a timeout", "exercise-open")
        for page, text in ((mia_phone, SOLUTION), (guest_phone, STARTER)):
            page.get_by_label("template.yaml").fill(text)
            page.get_by_role("button", name="Check").click()
        mia_phone.locator("#live-stage").get_by_text("Passed").first.wait_for()
        guest_phone.locator("#live-stage").get_by_text("Not yet.").first.wait_for()
        host.get_by_text("2 of 3 checked").wait_for()
        room.phone(mia_phone, "exercise-passed")
        room.phone(guest_phone, "exercise-failed")
        room.projector("exercise-checked")
        room.press("c", "Exercise round closed")
        assert host.get_by_role("heading", name="Most common failing config").is_visible()
        room.projector("exercise-closed")
        room.phones_see("The exercise round is closed.", "exercise-closed")

        # N after the last question ends the session: the podium, Mia first (three right, the fastest).
        room.press("n", "Finished")
        podium = host.locator(".podium")
        # The podium rises and bars grow where motion is welcome, and everything stands still where it is not.
        bar_transition = "() => getComputedStyle(document.querySelector('.live-heatmap rect')).transitionDuration"
        assert host.evaluate("() => document.getAnimations().length") > 0
        assert host.evaluate(bar_transition) == "0.6s"
        host.emulate_media(reduced_motion="reduce")
        assert host.evaluate("() => document.getAnimations().length") == 0
        assert host.evaluate(bar_transition) == "0s"
        assert podium.locator(".place-1 .podium-name").inner_text() == "mia"
        assert "best streak 3" in podium.locator(".place-1").inner_text()
        assert "for speed" in podium.locator(".place-1").inner_text()
        room.projector("podium")
        room.phones_see("Your results", "finished")
        assert "3 of 3 right" in mia_phone.locator("#live-stage").inner_text()

        assert problems == [], "\n".join(problems)
        for page in (host, mia_phone, guest_phone):
            page.problems.assert_clean()
    finally:
        for ctx in contexts:
            ctx.close()


def test_a_full_lobby_shows_the_count_and_the_latest_names_and_still_fits(chromium_browser, live_server, show_content):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_join, live_session_create

    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", None)])
    session = live_session_create(
        cohort=cohort, instructor=teacher, title="A full room", questions=QUESTIONS, allow_guests=True
    )
    for n in range(150):
        live_join(session=session, guest_name=f"Participant number {n} with a long name" if n % 7 else f"P{n}")
    context, host = _context(chromium_browser, live_server, size=PROJECTORS[0], user=teacher)
    problems: list[str] = []
    try:
        host.goto(f"/live/host/{session.pk}/")
        assert host.get_by_role("heading", name="150 joined").is_visible()
        assert host.get_by_text("+90 more").is_visible()
        assert host.locator(".live-names li").first.inner_text().startswith("Participant number 149")
        Room(host, [], problems).projector("full-lobby")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_shortcuts_fire_only_legal_buttons_and_never_while_typing(chromium_browser, live_server, show_content):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_session_create

    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", None)])
    session = live_session_create(
        cohort=cohort, instructor=teacher, title="Keys", questions=QUESTIONS, exercise="demo-topic/set-a-timeout"
    )
    context, host = _context(chromium_browser, live_server, size=PROJECTORS[0], user=teacher)
    posts: list[str] = []
    host.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    try:
        host.goto(f"/live/host/{session.pk}/")
        controls = host.get_by_role("group", name="Session controls")
        assert controls.get_by_role("button", name="Start").get_attribute("aria-keyshortcuts") == "s"
        assert controls.locator("kbd").all_inner_texts() == ["S", "E"]
        # R, N and C have no button in the lobby; E (open the exercise round) has one, but not with a modifier
        # (the browser's shortcuts) and not while typing: the letter goes into the field.
        for key in ("r", "n", "c", "Control+e", "Alt+e", "Meta+e"):
            host.locator("body").press(key)
        host.evaluate("() => { const i = document.createElement('input'); i.id = 'typing'; document.body.append(i); }")
        host.locator("#typing").press("e")
        assert host.locator("#typing").input_value() == "e"
        host.locator("#typing").evaluate("el => el.blur()")
        host.locator("body").press("s")
        host.locator("#live-stage").get_by_text("Question 1 of 3").wait_for()
        # Requests go out in the order the keys were pressed: had an earlier key clicked, its request would be first.
        assert [url.removeprefix(live_server.url) for url in posts] == [f"/live/host/{session.pk}/start/"]
        host.problems.assert_clean()
    finally:
        context.close()


def test_the_other_question_kinds_and_a_paused_round_fit_the_projector(chromium_browser, live_server, show_content):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.services import live_answer_submit, live_join, live_session_create, live_session_transition

    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", None)])
    kinds = ["demo-topic/demo#q-true-false", "demo-topic/demo#q-numeric", "demo-topic/demo#q-ordering"]
    session = live_session_create(
        cohort=cohort,
        instructor=teacher,
        title="Other kinds",
        questions=kinds,
        exercise="demo-topic/set-a-timeout",
        allow_guests=True,
    )
    ada = live_join(session=session, guest_name="Ada")
    context, host = _context(chromium_browser, live_server, size=PROJECTORS[0], user=teacher)
    problems: list[str] = []
    room = Room(host, [], problems)
    answers = (
        {"value": ["true"]},
        {"value": ["1769"]},
        {"pos-read": ["1"], "pos-compare": ["2"], "pos-raise": ["4"], "pos-verify": ["3"]},
    )
    try:
        for index, (ref, form) in enumerate(zip(kinds, answers, strict=True)):
            kind = ref.rpartition("#q-")[2]
            live_session_transition(session_id=session.pk, action="start" if index == 0 else "next")
            live_answer_submit(session_id=session.pk, participant=ada, index=index, form=form)
            for action, label in ((None, "open"), ("close", "closed"), ("reveal", "revealed")):
                if action:
                    live_session_transition(session_id=session.pk, action=action)
                host.goto(f"/live/host/{session.pk}/")
                host.get_by_role("heading", name=f"Question {index + 1} of 3").wait_for()
                room.projector(f"{kind}-{label}")
        live_session_transition(session_id=session.pk, action="open_exercise")
        live_session_transition(session_id=session.pk, action="pause")
        host.goto(f"/live/host/{session.pk}/")
        host.get_by_role("heading", name="Exercise round: Give the report builder a timeout").wait_for()
        room.projector("exercise-paused")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
