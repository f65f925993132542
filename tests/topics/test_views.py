from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courseware.topics.models import PageRead

pytestmark = pytest.mark.usefixtures("fixture_content")


@pytest.mark.django_db
def test_catalogue_lists_topics(client):
    response = client.get("/topics/")
    assert response.status_code == 200
    assert b"Demo Topic" in response.content


@pytest.mark.django_db
def test_home_page_is_the_catalogue_for_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/topics/demo-topic/"' in response.content


@pytest.mark.django_db
def test_hub_shows_summary_pages_prerequisites_and_related(client):
    response = client.get("/topics/demo-topic/")
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("primer", "footguns", "street_ops", "anti_primer", "trivia"):
        assert f'href="/topics/demo-topic/{kind}/"' in html
    assert "Shell basics" in html and "pipes and exit codes" in html
    assert "Something else" in html


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["primer", "footguns", "street_ops", "anti_primer", "trivia"])
def test_every_page_kind_renders_without_an_account(client, kind):
    response = client.get(f"/topics/demo-topic/{kind}/")
    assert response.status_code == 200
    assert b"Log in</a> to keep track" in response.content


@pytest.mark.django_db
def test_footgun_catalogue_has_one_anchor_per_footgun(client):
    html = client.get("/topics/demo-topic/footguns/").content.decode()
    assert 'id="forgot-the-limit"' in html and 'id="retry-storm"' in html
    assert "✗ Wrong" in html and "✓ Right" in html


@pytest.mark.django_db
def test_anti_primer_postmortem_is_generated_from_the_catalogue(client):
    html = client.get("/topics/demo-topic/anti_primer/").content.decode()
    assert "Root cause chain" in html
    # The consequence and prevention come from footguns.yaml, not from the story file.
    assert "Work is cut off halfway." in html
    assert "Back off." in html
    assert html.index("Hour 0: Defaults everywhere") < html.index("Hour 1: Retry forever")
    assert "2 hours" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/topics/nope/", "/topics/nope/primer/", "/topics/demo-topic/nope/"])
def test_unknown_topic_or_page_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_every_html_response_carries_a_strict_csp(client):
    response = client.get("/topics/demo-topic/primer/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_pages_have_no_inline_scripts_and_htmx_is_served_locally(client):
    html = client.get("/topics/demo-topic/primer/").content.decode()
    assert "/static/django_htmx/" in html or "htmx" in html
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag, f"inline script found: <script{tag}>"
        assert "://" not in tag.split("src=", 1)[1].split()[0], "scripts come from this server, never a CDN"
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.django_db
def test_mark_read_needs_login(client):
    response = client.post("/topics/demo-topic/primer/read/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]
    assert PageRead.objects.count() == 0


def test_mark_read_without_javascript_redirects_back(learner_client, learner):
    response = learner_client.post("/topics/demo-topic/primer/read/", {"read": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/topics/demo-topic/primer/"
    read = PageRead.objects.get(user=learner)
    assert (read.topic, read.kind) == ("demo-topic", "primer")
    assert len(read.content_hash) == 16


def test_mark_read_with_htmx_returns_the_partial_and_is_idempotent(learner_client, learner):
    for _ in range(2):
        response = learner_client.post("/topics/demo-topic/primer/read/", {"read": "1"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "You have read this page" in html
        assert "<html" not in html
    assert PageRead.objects.filter(user=learner).count() == 1
    response = learner_client.post("/topics/demo-topic/primer/read/", {"read": "0"}, headers={"HX-Request": "true"})
    assert "Mark as read" in response.content.decode()
    assert PageRead.objects.filter(user=learner).count() == 0


def test_progress_shows_on_hub_for_signed_in_learner(learner_client):
    learner_client.post("/topics/demo-topic/primer/read/")
    learner_client.post("/topics/demo-topic/trivia/read/")
    html = learner_client.get("/topics/demo-topic/").content.decode()
    assert "2 of 5" in html
    assert html.count("✓ read") == 2


def test_mark_read_rejects_get_and_unknown_kind(learner_client):
    assert learner_client.get("/topics/demo-topic/primer/read/").status_code == 405
    assert learner_client.post("/topics/demo-topic/nope/read/").status_code == 404


@pytest.mark.parametrize("path", ["/topics/demo-topic/", "/topics/demo-topic/primer/", "/topics/demo-topic/footguns/"])
def test_topic_page_query_budget(learner_client, path):
    learner_client.get(path)  # warm the content cache and the remembered role
    with CaptureQueriesContext(connection) as queries:
        response = learner_client.get(path)
    assert response.status_code == 200
    assert len(queries) <= 6, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_pygments_stylesheet_has_light_and_dark_schemes(client):
    response = client.get("/pygments.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert ".codehilite" in css and "prefers-color-scheme: dark" in css


@pytest.mark.django_db
def test_drill_starts_with_the_setup_and_the_first_decision(client):
    html = client.get("/topics/demo-topic/anti_primer/drill/").content.decode()
    assert "A team in a hurry." in html
    assert "Hour 0: Defaults everywhere" in html and "Set a limit?" in html
    assert 'name="choice" value="s"' in html and 'name="choice" value="p"' in html


@pytest.mark.django_db
def test_drill_shows_the_outcome_of_each_choice_and_ends_with_my_postmortem(client):
    html = client.get("/topics/demo-topic/anti_primer/drill/", {"path": "s", "choice": "p"}).content.decode()
    assert "Jobs die at 3 seconds." in html  # hour 0: the shortcut's outcome
    assert "Calm." in html  # hour 1: the primer's way
    assert "1 of 2</strong> hours handled the primer's way" in html
    # The postmortem lists only the footgun the learner set off, with the catalogue's words.
    assert "Work is cut off halfway." in html and "The service falls over." not in html


@pytest.mark.django_db
def test_drill_with_htmx_returns_only_the_drill_and_tampered_paths_are_cleaned(client):
    response = client.get(
        "/topics/demo-topic/anti_primer/drill/", {"path": "x<b>ss!!sss"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "<script>" not in html
    assert "0 of 2</strong>" in html  # two valid 's' kept, the rest dropped


@pytest.mark.django_db
def test_drill_of_a_topic_without_story_is_404(client):
    assert client.get("/topics/nope/anti_primer/drill/").status_code == 404
