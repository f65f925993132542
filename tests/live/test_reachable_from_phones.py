"""Phones must be able to open the join link: the host is told when it cannot, and SITE_URL fixes it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from courseware.addresses import is_loopback_url, serving_urls
from courseware.live.services import live_session_transition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "loopback"),
    [("http://127.0.0.1:8000/live/X/", True), ("http://localhost/live/X/", True), ("http://[::1]:8000/", True),
     ("http://192.168.1.20:8000/live/X/", False), ("https://training.example.com/live/X/", False)],
)  # fmt: skip
def test_loopback_urls_are_recognised(url, loopback):
    assert is_loopback_url(url) is loopback


def test_serving_on_all_interfaces_lists_the_lan_addresses(monkeypatch):
    monkeypatch.setattr("courseware.addresses.lan_addresses", lambda: ["192.168.1.20", "fd00::2"])
    assert serving_urls("0.0.0.0", 8000) == [  # noqa: S104 - a string, not a bind
        "http://127.0.0.1:8000/", "http://192.168.1.20:8000/", "http://[fd00::2]:8000/",
    ]  # fmt: skip
    assert serving_urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]


def test_make_run_prints_where_it_serves_and_how_to_reach_phones():
    result = subprocess.run(
        [sys.executable, "-m", "courseware.addresses", "127.0.0.1", "8000"], capture_output=True, text=True,
        timeout=30, check=True,
    )  # fmt: skip
    assert "http://127.0.0.1:8000/" in result.stdout and "HOST=0.0.0.0 make run" in result.stdout


def test_the_host_screen_warns_about_a_loopback_join_url(client, teacher, make_session):
    session = make_session(allow_guests=True)
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "Phones cannot open this join address" in html
    html = client.get(f"/live/host/{session.pk}/", HTTP_HOST="localhost").content.decode()
    assert "Phones cannot open this join address" in html


def test_site_url_sets_the_join_link_and_qr(client, teacher, make_session, settings):
    settings.SITE_URL = "https://training.example.com"
    settings.ALLOWED_HOSTS = ["*"]
    session = make_session(allow_guests=True)
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert f"https://training.example.com/live/{session.code}/" in html
    assert "Phones cannot open this join address" not in html
    live_session_transition(session_id=session.pk, action="finish")


def test_the_host_screen_is_a_show_without_the_sites_chrome(client, teacher, make_session):
    session = make_session(allow_guests=True)
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    assert 'class="site-header"' not in html and 'class="site-footer"' not in html
    assert 'class="site-header"' in client.get("/").content.decode()
