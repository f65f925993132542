"""Issue 6: the real AWS Lambda course, primer → quiz → exercise, plus the anti-primer drill, in Chromium."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import set_file_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long course passphrase"


def test_primer_then_quiz_then_exercise_on_the_real_course(page, django_user_model):
    django_user_model.objects.create_user(username="ops", password=PASSWORD)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    page.goto("/topics/aws-lambda/")
    page.get_by_role("link", name="Primer", exact=True).click()
    assert page.locator("h1").inner_text() == "AWS Lambda: Primer"
    page.get_by_role("navigation", name="On this page").get_by_role("link", name=re.compile("Timeouts")).click()
    assert page.url.endswith("#timeouts")
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this page.").wait_for()

    page.goto("/topics/aws-lambda/")
    page.locator("a[href='/topics/aws-lambda/quizzes/basics/']").first.click()
    page.get_by_role("button", name="Start the quiz").click()
    first = page.locator(".question-card").first
    answerable = "input[type='radio'], input[type='checkbox'], input[name='value'], button[name='move']"
    first.locator(answerable).first.wait_for()
    if first.locator("input[type='radio']").count():
        first.locator("input[type='radio']").first.check()
    elif first.locator("input[name='value']").count():
        first.locator("input[name='value']").fill("1")
    elif first.locator("button[name='move']").count():
        pass  # an ordering question: answer with the order shown
    else:
        first.locator("input[type='checkbox']").first.check()
    first.get_by_role("button", name="Check answer").click()
    first.locator(".feedback").wait_for()
    assert first.locator(".feedback a[href*='/topics/aws-lambda/']").count() >= 1  # learn more

    page.goto("/topics/aws-lambda/exercises/importer-timeout/")
    editor = page.locator("textarea.code-editor").first
    page.get_by_role("button", name="Check").click()
    page.locator(".verdict .status-bad").wait_for()
    assert "aws-lambda/default-timeout" in page.locator("#feedback").inner_text()
    set_file_text(
        page, editor.input_value().replace("  MemorySize: 1024\n", "  MemorySize: 1024\n      Timeout: 300\n", 1)
    )
    page.get_by_role("button", name="Check").click()
    page.locator(".verdict .status-ok").wait_for()
    page.problems.assert_clean()


def test_anti_primer_drill_with_the_keyboard(page, axe_check):
    page.goto("/topics/aws-lambda/anti_primer/")
    page.get_by_role("link", name="Take the interactive drill").click()
    hours = 0
    while page.locator(".drill-choices").count():
        # Alternate: the shortcut, then the primer's way, and so on (their order on screen varies).
        page.locator(f".drill-choices button[value='{'sp'[hours % 2]}']").focus()
        page.keyboard.press("Enter")
        hours += 1
        page.locator(".drill-step").nth(hours - 1).wait_for()
    assert page.get_by_role("heading", name="Your postmortem").is_visible()
    summary = page.locator(".drill-postmortem").inner_text()
    assert f"{hours // 2} of {hours}" in summary
    assert page.locator(".drill-postmortem tbody tr").count() == (hours + 1) // 2
    page.problems.assert_clean()
    assert axe_check("/topics/aws-lambda/anti_primer/drill/?path=sp") == []
