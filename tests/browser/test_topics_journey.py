from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]


def test_sign_up_read_a_topic_mark_read_and_log_out(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill("journey")
    page.get_by_label("Password", exact=True).fill("a long journey passphrase")
    page.get_by_label("Password confirmation").fill("a long journey passphrase")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Your learning").wait_for()  # a signed-in learner lands on their home
    page.get_by_role("link", name="Demo Topic", exact=True).first.click()
    page.get_by_role("link", name="Primer", exact=True).click()
    assert page.locator("h1").inner_text() == "Demo Topic: Primer"
    url_before = page.url
    page.get_by_role("button", name="Mark as read").click()
    page.get_by_text("You have read this page.").wait_for()
    assert page.url == url_before  # swapped in by htmx, no navigation
    page.get_by_role("link", name="Demo Topic", exact=True).click()
    assert "1 of 5" in page.content()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").wait_for()
    page.problems.assert_clean()


def test_keyboard_only_reaches_mark_as_read(page, django_user_model):
    django_user_model.objects.create_user(username="kb", password="a long keyboard passphrase")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kb")
    page.get_by_label("Password").fill("a long keyboard passphrase")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/topics/demo-topic/trivia/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.textContent.trim()") == "Mark as read":
            break
    else:
        pytest.fail("Mark as read is not reachable with Tab")
    page.keyboard.press("Enter")
    page.get_by_text("You have read this page.").wait_for()
    page.problems.assert_clean()


def test_readable_at_360_pixels_without_horizontal_scroll(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("/", "/topics/demo-topic/", "/topics/demo-topic/primer/", "/topics/demo-topic/footguns/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/topics/demo-topic/",
        "/topics/demo-topic/primer/",
        "/topics/demo-topic/footguns/",
        "/topics/demo-topic/anti_primer/",
    ],
)
def test_axe_finds_no_serious_or_critical_violations(axe_check, path):
    assert axe_check(path) == []


def test_axe_in_dark_scheme(axe_check):
    def dark(page):
        page.emulate_media(color_scheme="dark")

    assert axe_check("/topics/demo-topic/primer/", setup=dark) == []
