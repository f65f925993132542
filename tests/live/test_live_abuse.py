"""Threats to a live session in a real room, one test each (issue 14 "Abuse")."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from courseware.live import services, views
from courseware.live.models import LiveAnswer, LiveParticipant
from courseware.live.services import live_join, live_session_transition

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_wrong_codes_never_lock_out_a_real_code(client, make_session):
    session = make_session(allow_guests=True)
    for n in range(views.CODE_FAILURE_LIMIT + 5):
        client.get(f"/live/ZZZ{n:03d}/")
    assert client.get("/live/QQQQQQ/").status_code == 429  # wrong codes from this address are refused now
    assert client.get(f"/live/{session.code}/").status_code == 200  # the real one never is
    joined = client.post(f"/live/{session.code}/join/", {"name": "Ada"})
    assert joined.status_code == 302 and LiveParticipant.objects.filter(session=session).count() == 1


def test_misses_are_counted_on_every_live_endpoint_alike(client, make_session, monkeypatch):
    monkeypatch.setattr(views, "CODE_FAILURE_LIMIT", 8)
    for path in ("/live/AAAAAA/", "/live/AAAAAA/stage/"):
        client.get(path)
    for path in ("/live/AAAAAA/join/", "/live/AAAAAA/answer/", "/live/AAAAAA/check/"):
        client.post(path, {"name": "x", "index": "0"})
    session = make_session(allow_guests=True)
    for _ in range(3):
        client.get(f"/live/{session.code}/stage/")  # a real code this browser has not joined counts too
    assert client.get("/live/AAAAAA/stage/").status_code == 429


def test_a_wrong_code_and_a_real_code_the_requester_may_not_see_answer_alike(client, make_session):
    session = make_session(allow_guests=True)
    for suffix in ("stage/",):
        wrong = client.get(f"/live/BBBBBB/{suffix}")
        real = client.get(f"/live/{session.code}/{suffix}")
        assert (
            (wrong.status_code, wrong.content)
            == (real.status_code, real.content)
            == (404, b"No live session has that code.")
        )
    for suffix in ("answer/", "check/"):
        wrong = client.post(f"/live/BBBBBB/{suffix}", {"index": "0"})
        real = client.post(f"/live/{session.code}/{suffix}", {"index": "0"})
        assert (wrong.status_code, wrong.content) == (real.status_code, real.content)


def test_joins_are_limited_per_address_with_a_classroom_burst(make_session, monkeypatch):
    monkeypatch.setattr(views, "JOINS_PER_MINUTE", 5)
    session = make_session(allow_guests=True)
    statuses = [Client().post(f"/live/{session.code}/join/", {"name": f"g{n}"}).status_code for n in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert LiveParticipant.objects.filter(session=session).count() == 5


def test_the_participant_cap_holds(make_session, monkeypatch):
    monkeypatch.setattr(services, "MAX_PARTICIPANTS", 3)
    session = make_session(allow_guests=True)
    for n in range(3):
        live_join(session=session, guest_name=f"g{n}")
    with pytest.raises(services.LiveError, match="full"):
        live_join(session=session, guest_name="one too many")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_participant_cap_holds_under_concurrent_joins(make_session, monkeypatch):
    monkeypatch.setattr(services, "MAX_PARTICIPANTS", 10)
    session = make_session(allow_guests=True)
    barrier = threading.Barrier(30)

    def join(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            live_join(session=session, guest_name=f"g{n}")
        except services.LiveError:
            pass
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=join, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert LiveParticipant.objects.filter(session=session).count() == 10


def test_the_host_can_lock_the_lobby(client, teacher, make_session):
    session = make_session(allow_guests=True)
    client.force_login(teacher)
    assert client.post(f"/live/host/{session.pk}/lobby/", {"locked": "1"}).status_code == 302
    guest = Client()
    refused = guest.post(f"/live/{session.code}/join/", {"name": "Late"})
    assert refused.status_code == 422 and b"closed this session to new participants" in refused.content
    client.post(f"/live/host/{session.pk}/lobby/", {"locked": "0"})
    assert guest.post(f"/live/{session.code}/join/", {"name": "Late"}).status_code == 302


def test_the_host_can_remove_a_participant(client, teacher, make_session):
    session = make_session(allow_guests=True)
    prankster_browser = Client()
    prankster_browser.post(f"/live/{session.code}/join/", {"name": "RudeName"})
    prankster = LiveParticipant.objects.get(session=session, display_name="RudeName")
    live_session_transition(session_id=session.pk, action="start")
    answered = prankster_browser.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "0"}, **HTMX)
    assert answered.status_code in (200, 409, 422)  # answered, or refused on its merits, never the removal
    client.force_login(teacher)
    client.post(f"/live/host/{session.pk}/participants/{prankster.pk}/remove/")
    prankster.refresh_from_db()
    assert prankster.removed
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "RudeName" not in html
    refused = prankster_browser.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "0"}, **HTMX)
    assert refused.status_code == 403
    assert not LiveAnswer.objects.filter(session=session, participant__removed=False, participant=prankster).exists()
    rejoin = prankster_browser.post(f"/live/{session.code}/join/", {"name": "Again"})
    assert rejoin.status_code == 302 and LiveParticipant.objects.filter(session=session, removed=False).count() == 0


@pytest.mark.parametrize("index", ["²", "①", "9" * 5000, "-1", ""])
def test_a_malformed_answer_is_a_4xx_with_a_message(client, make_session, index):
    session = make_session(allow_guests=True)
    client.post(f"/live/{session.code}/join/", {"name": "Ada"})
    live_session_transition(session_id=session.pk, action="start")
    response = client.post(f"/live/{session.code}/answer/", {"index": index, "choice": "0"}, **HTMX)
    assert response.status_code == 422 and b"not part of the session" in response.content


def test_live_checks_count_against_the_same_per_learner_limit(client, make_session, settings, monkeypatch):
    from tests.live.test_live_services import FakeRunner

    settings.EXERCISE_CHECKS_PER_MINUTE = 3
    runner = FakeRunner({"": ["aws-lambda/default-timeout"]})
    monkeypatch.setattr("courseware.exercises.checker.checker", lambda: runner)
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=120)
    client.post(f"/live/{session.code}/join/", {"name": "Ada"})
    live_session_transition(session_id=session.pk, action="open_exercise")
    statuses = [client.post(f"/live/{session.code}/check/", {"file-0": "x"}, **HTMX).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429] and runner.calls == 3


def test_the_host_downloads_every_answer_as_a_formula_neutral_csv(client, teacher, make_session):
    import csv
    import io

    session = make_session(allow_guests=True)
    learner = Client()
    learner.post(f"/live/{session.code}/join/", {"name": "=HYPERLINK(evil)"})
    live_session_transition(session_id=session.pk, action="start")
    learner.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "short"}, **HTMX)
    live_session_transition(session_id=session.pk, action="finish")
    client.force_login(teacher)
    response = client.get(f"/live/host/{session.pk}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "participant",
        "signed in as",
        "question",
        "question id",
        "answer",
        "correct",
        "seconds",
        "points",
    ]
    first = rows[1]
    assert first[0] == "'=HYPERLINK(evil)" and first[2] == "1" and first[5] in ("yes", "no") and first[6] != ""
    assert len(rows) == 1 + len(session.questions[:1])  # questions reached: only the first was opened


def test_after_each_reveal_a_phone_shows_its_own_result_points_and_streak(client, make_session):
    from courseware.live.models import LiveAnswer

    session = make_session(allow_guests=True)
    client.post(f"/live/{session.code}/join/", {"name": "Ada"})
    participant = LiveParticipant.objects.get(session=session)
    live_session_transition(session_id=session.pk, action="start")
    for index in range(2):
        LiveAnswer.objects.create(
            session=session, participant=participant, question_index=index, topic="demo-topic", quiz="demo",
            question_id=f"q{index}", response={}, correct=True, score=1.0, points=850, created_at=session.created_at,
        )  # fmt: skip
    live_session_transition(session_id=session.pk, action="reveal")
    live_session_transition(session_id=session.pk, action="next")
    live_session_transition(session_id=session.pk, action="reveal")
    html = client.get(f"/live/{session.code}/").content.decode()
    assert "✓ Right · +850 points · streak 2" in html
