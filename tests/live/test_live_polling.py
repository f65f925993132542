"""What a learner's poll costs, and how soon it sees a change (docs/live.md, "Polling and its cost")."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client

from courseware.live import selectors, views
from courseware.live.models import LiveSession
from courseware.live.services import live_join, live_lobby_lock, live_session_transition

pytestmark = pytest.mark.django_db


def guest(session, name: str) -> Client:
    phone = Client()
    assert phone.post(f"/live/{session.code}/join/", {"as_guest": "1", "name": name}).status_code == 302
    return phone


def poll(phone: Client, session, etag: str = ""):
    headers = {"HX-Request": "true"} | ({"If-None-Match": etag} if etag else {})
    return phone.get(f"/live/{session.code}/stage/", headers=headers)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(selectors, "_monotonic", lambda: now[0])
    return now


def test_an_unchanged_poll_is_a_304_without_a_query(session, django_assert_num_queries):
    phone = guest(session, "Gus")
    etag = poll(phone, session).headers["ETag"]
    with django_assert_num_queries(0):
        again = poll(phone, session, etag)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "no-store"


def test_an_unchanged_poll_reads_one_row_once_the_remembered_state_is_older_than_its_ttl(
    session, clock, django_assert_num_queries
):
    phone = guest(session, "Gus")
    etag = poll(phone, session).headers["ETag"]
    clock[0] += selectors.POLL_STATE_TTL_S
    with django_assert_num_queries(1) as captured:
        again = poll(phone, session, etag)
    assert again.status_code == 304
    sql = captured.captured_queries[0]["sql"]
    assert "cohorts_livesession" in sql and sql.lstrip().upper().startswith("SELECT")


def test_a_change_made_by_another_app_server_is_seen_within_the_ttl(session, clock):
    phone = guest(session, "Gus")
    etag = poll(phone, session).headers["ETag"]
    # Another process moves the session on: this process has not heard of it.
    LiveSession.objects.filter(pk=session.pk).update(version=session.version + 1)
    assert poll(phone, session, etag).status_code == 304  # still within POLL_STATE_TTL_S
    clock[0] += selectors.POLL_STATE_TTL_S
    assert poll(phone, session, etag).status_code == 200


def test_a_change_made_in_this_process_is_seen_by_the_next_poll(session, clock):
    phone = guest(session, "Gus")
    etag = poll(phone, session).headers["ETag"]
    live_session_transition(session_id=session.pk, action="start")
    opened = poll(phone, session, etag)
    assert opened.status_code == 200 and b"Question 1 of 3" in opened.content
    etag = opened.headers["ETag"]
    live_lobby_lock(session=session, locked=True)
    assert poll(phone, session, etag).status_code == 200


def test_after_a_question_opens_each_phone_draws_it_with_one_query(session, django_assert_num_queries):
    phones = [guest(session, name) for name in ("Ann", "Bob", "Cy")]
    etags = [poll(phone, session).headers["ETag"] for phone in phones]
    live_session_transition(session_id=session.pk, action="start")
    first = poll(phones[0], session, etags[0])  # the first poll in this process reads the session row again
    assert first.status_code == 200
    for phone, etag in zip(phones[1:], etags[1:], strict=True):
        with django_assert_num_queries(1) as captured:  # its own answer to the question, if any
            response = poll(phone, session, etag)
        assert response.status_code == 200 and b"Question 1 of 3" in response.content
        assert "cohorts_liveanswer" in captured.captured_queries[0]["sql"]


def test_a_remembered_participant_is_only_served_to_its_own_token(session):
    phone = guest(session, "Gus")
    assert poll(phone, session).status_code == 200  # Gus is remembered by this process
    other = live_join(session=session, guest_name="Mallory")
    gus = session.participants.get(display_name="Gus")
    assert selectors.polling_participant(session=session, pk=gus.pk, token=other.token) is None
    assert selectors.polling_participant(session=session, pk=gus.pk, token=gus.token) == gus


def test_the_phone_polls_often_enough_to_see_a_new_question_within_two_seconds(session):
    phone = guest(session, "Gus")
    html = poll(phone, session).content.decode()
    every = float(re.search(r'hx-trigger="every ([0-9.]+)s"', html).group(1))
    assert every == views.LEARNER_POLL_SECONDS
    # One interval, plus the poll state's time to live, plus half a second for the reply that finds the change.
    assert every + selectors.POLL_STATE_TTL_S + 0.4 <= views.SEEN_WITHIN_SECONDS == 2.0


def test_an_answer_reads_its_participant_and_the_session_once_each(session, django_assert_max_num_queries):
    phone = guest(session, "Gus")
    etag = poll(phone, session).headers["ETag"]
    live_session_transition(session_id=session.pk, action="start")
    poll(phone, session, etag)
    # The participant (is it removed?), an earlier answer, the session row, then the insert (savepoint, INSERT,
    # release: the test runs inside a transaction). The reply reuses the answer it stored.
    with django_assert_max_num_queries(6) as captured:
        sent = phone.post(
            f"/live/{session.code}/answer/", {"index": "0", "choice": "short"}, headers={"HX-Request": "true"}
        )
    assert sent.status_code == 200 and b"Answer sent and locked." in sent.content
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert sum("cohorts_livesession" in sql for sql in reads) == 1
    assert sum('FROM "cohorts_liveparticipant"' in sql for sql in reads) == 1


def _comparable(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="-"', html)
    return re.sub(r'data-seconds-left="\d+" role="timer" aria-live="off">\d+ s', "(countdown)", html)


def test_the_open_question_drawn_once_is_each_phones_own_screen(session, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from courseware.live.views import _learner_context

    phones = {name: guest(session, name) for name in ("Ann <b>", "Bob")}
    etags = {name: poll(phone, session).headers["ETag"] for name, phone in phones.items()}
    session = live_session_transition(session_id=session.pk, action="start")
    poll(phones["Bob"], session, etags["Bob"])  # draws the shared screen
    with django_assert_num_queries(1):  # has Ann answered? The screen itself is not drawn again.
        shared = poll(phones["Ann <b>"], session, etags["Ann <b>"])
    ann = session.participants.get(display_name="Ann <b>")
    assert shared.headers["ETag"] == f'"L{session.pk}.{session.version}.0.{ann.pk}"'
    request = RequestFactory().get("/", headers={"HX-Request": "true"})
    request.htmx = HtmxDetails(request)
    request.user = AnonymousUser()
    full = render_to_string("live/learner.html#stage", _learner_context(request, session, ann), request)
    assert _comparable(shared.content.decode()) == _comparable(full)
    assert "Ann &lt;b&gt;" in full and "Bob" not in full
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shared.content.decode()).group(1)
    assert "LIVESTANDIN" not in shared.content.decode() and len(token) == 64
