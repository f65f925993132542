from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courseware.live.models import LiveAnswer, LiveParticipant, LiveSession
from courseware.live.selectors import poll_caches_clear
from courseware.live.services import live_join, live_session_transition

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def etag_of(html: str) -> str:
    return re.search(r'data-etag="([^"]+)"', html).group(1).replace("&quot;", '"')


def join_as_guest(client, session, name="Gus"):
    response = client.post(f"/live/{session.code}/join/", {"as_guest": "1", "name": name})
    assert response.status_code == 302
    return LiveParticipant.objects.get(session=session, display_name=name)


def act(client, session, action, **extra):
    return client.post(f"/live/host/{session.pk}/{action}/", **extra)


def test_instructor_creates_a_session_from_a_quiz(client, teacher, cohort):
    client.force_login(teacher)
    page = client.get(f"/cohorts/{cohort.pk}/live/new/")
    assert page.status_code == 200 and b"Demo quiz" in page.content
    response = client.post(
        f"/cohorts/{cohort.pk}/live/new/",
        {"quiz": "demo-topic/demo", "question_seconds": "20", "exercise_minutes": "5", "show_leaderboard": "on"},
    )
    session = LiveSession.objects.get()
    assert response.headers["Location"] == f"/live/host/{session.pk}/"
    assert session.questions[0] == "demo-topic/demo#q-single" and len(session.questions) == 6
    assert (session.title, session.question_seconds, session.allow_guests) == ("Demo quiz", 20, False)


def test_instructor_picks_questions_ad_hoc(client, teacher, cohort):
    client.force_login(teacher)
    client.post(
        f"/cohorts/{cohort.pk}/live/new/",
        {
            "questions": ["demo-topic/demo#q-numeric", "demo-topic/demo#q-single"],
            "question_seconds": "30",
            "exercise_minutes": "5",
            "allow_guests": "on",
        },
    )
    session = LiveSession.objects.get()
    assert session.questions == ["demo-topic/demo#q-single", "demo-topic/demo#q-numeric"]  # content order
    assert session.allow_guests and session.title == "Live quiz"


def test_the_host_screen_shows_code_link_and_qr(client, teacher, session):
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    assert session.code in html and f"/live/{session.code}/" in html
    assert '<svg role="img" aria-label="QR code of the join link"' in html
    assert "<script>" not in html


def test_other_instructors_and_learners_get_404_on_every_host_url(client, other_teacher, member, session):
    for user in (other_teacher, member):
        client.force_login(user)
        assert client.get(f"/live/host/{session.pk}/").status_code == 404
        assert client.get(f"/live/host/{session.pk}/stage/").status_code == 404
        assert act(client, session, "start").status_code == 404
        assert client.get(f"/cohorts/{session.cohort.pk}/live/new/").status_code == 404
    session.refresh_from_db()
    assert session.state == "lobby"


def test_anonymous_visitors_are_sent_to_log_in_for_host_urls(client, session):
    for url in (f"/live/host/{session.pk}/", f"/live/host/{session.pk}/stage/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    assert act(client, session, "start").status_code == 302
    session.refresh_from_db()
    assert session.state == "lobby"


def test_host_actions_drive_the_session_and_illegal_ones_say_why(client, teacher, session):
    client.force_login(teacher)
    assert act(client, session, "start").status_code == 302
    response = act(client, session, "next", **HTMX)
    assert response.status_code == 409 and b"Close the current question" in response.content
    response = act(client, session, "reveal", **HTMX)
    assert response.status_code == 200 and b"Right answer" in response.content
    assert act(client, session, "warp").status_code == 404
    session.refresh_from_db()
    assert session.state == "revealed"


def test_host_poll_is_304_until_something_changes(client, teacher, session):
    client.force_login(teacher)
    first = client.get(f"/live/host/{session.pk}/stage/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store" and etag == etag_of(first.content.decode())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/live/host/{session.pk}/stage/", headers={"If-None-Match": etag}).status_code == 304
    assert len(queries) <= 6
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in queries)
    live_join(session=session, guest_name="Gus")  # a join changes the lobby
    changed = client.get(f"/live/host/{session.pk}/stage/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Gus" in changed.content


def test_guest_names_are_escaped_on_the_host_screen(client, teacher, session):
    join_as_guest(client, session, name='<img src=x onerror="alert(1)">')
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_guest_joins_answers_and_sees_the_reveal(client, session):
    page = client.get(f"/live/{session.code}/")
    assert b"Display name" in page.content
    join_as_guest(client, session)
    assert b"Waiting for the host" in client.get(f"/live/{session.code}/").content
    live_session_transition(session_id=session.pk, action="start")
    html = client.get(f"/live/{session.code}/").content.decode()
    assert 'name="choice" value="short"' in html and "Question 1 of 3" in html
    response = client.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "short"}, **HTMX)
    assert response.status_code == 200 and b"Answer sent and locked." in response.content
    assert b'name="choice"' not in response.content
    retry = client.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "long"}, **HTMX)
    assert b"already locked in" in retry.content
    assert LiveAnswer.objects.get().response == {"choice": "short"}
    live_session_transition(session_id=session.pk, action="reveal")
    assert "✓ Right" in client.get(f"/live/{session.code}/").content.decode()
    late = client.post(f"/live/{session.code}/answer/", {"index": "1", "value": "true"}, **HTMX)
    assert late.status_code == 409 and b"not open for answers" in late.content


def test_without_javascript_an_answer_posts_and_redirects(client, session):
    join_as_guest(client, session)
    live_session_transition(session_id=session.pk, action="start")
    response = client.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "long"})
    assert response.status_code == 302 and response.headers["Location"] == f"/live/{session.code}/"
    assert b"Answer sent and locked." in client.get(response.headers["Location"]).content
    empty = client.post(f"/live/{session.code}/answer/", {"index": "9"})
    assert empty.status_code == 302


def test_the_learner_poll_notices_the_countdown_running_out(client, session):
    from datetime import timedelta

    join_as_guest(client, session)
    session = live_session_transition(session_id=session.pk, action="start")
    etag = client.get(f"/live/{session.code}/stage/").headers["ETag"]
    LiveSession.objects.filter(pk=session.pk).update(deadline=session.deadline - timedelta(seconds=60))
    poll_caches_clear()  # the row changed behind the services' back: as if the poll state's time to live had passed
    expired = client.get(f"/live/{session.code}/stage/", headers={"If-None-Match": etag})
    assert expired.status_code == 200 and b"Time is up" in expired.content


def test_members_join_with_their_account_and_outsiders_cannot_without_guests(client, make_session, member, outsider):
    session = make_session(allow_guests=False)
    client.force_login(member)
    assert b"Join as mia" in client.get(f"/live/{session.code}/").content
    client.post(f"/live/{session.code}/join/")
    assert LiveParticipant.objects.get().user == member
    client.force_login(outsider)
    page = client.get(f"/live/{session.code}/")
    assert b"Join the cohort" in page.content  # the member's cookie does not carry over to another account
    refused = client.post(f"/live/{session.code}/join/", {"name": "Otto"})
    assert refused.status_code == 422 and b"Join the cohort first" in refused.content
    client.logout()
    assert client.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "short"}).status_code == 404


def test_polls_and_answers_without_joining_are_refused(client, session):
    assert client.get(f"/live/{session.code}/stage/").status_code == 404
    assert client.post(f"/live/{session.code}/answer/", {"index": "0"}).status_code == 404
    assert client.get("/live/ZZZZZZ/").status_code == 404


def test_a_forged_cookie_is_ignored(client, session):
    guest = join_as_guest(client, session)
    client.cookies[f"live-{session.pk}"] = f"{guest.pk}:{guest.token}"  # unsigned
    assert client.get(f"/live/{session.code}/stage/").status_code == 404


def test_the_code_form_redirects_and_wrong_codes_are_throttled(client, session, monkeypatch):
    from courseware.live import views

    monkeypatch.setattr(views, "CODE_FAILURE_LIMIT", 20)
    response = client.post("/live/", {"code": session.code.lower()})
    assert response.headers["Location"] == f"/live/{session.code}/"
    for _ in range(20):
        assert client.get("/live/ZZZZZZ/").status_code == 404
    locked = client.get("/live/ZZZZZZ/")
    assert locked.status_code == 429 and b"Too many wrong codes" in locked.content
    # Wrong codes from one address (a classroom behind NAT) never lock anyone out of a real session.
    assert client.post(f"/live/{session.code}/join/", {"as_guest": "1", "name": "Gus"}).status_code == 302


def test_the_finished_session_shows_results_leaderboard_and_a_personal_summary(client, teacher, session):
    join_as_guest(client, session, name="Gus")
    live_session_transition(session_id=session.pk, action="start")
    client.post(f"/live/{session.code}/answer/", {"index": "0", "choice": "short"})
    live_session_transition(session_id=session.pk, action="finish")
    mine = client.get(f"/live/{session.code}/").content.decode()
    assert "1 of 3 right" in mine and "1000 points" in mine and "rank 1" in mine and "hx-trigger" not in mine
    client.force_login(teacher)
    host = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "Leaderboard" in host and "Gus" in host and "1000 points" in host


def test_the_leaderboard_can_be_switched_off(client, teacher, make_session):
    session = make_session(allow_guests=True, show_leaderboard=False)
    live_session_transition(session_id=session.pk, action="finish")
    client.force_login(teacher)
    assert b"Leaderboard" not in client.get(f"/live/host/{session.pk}/").content


def test_exercise_round_check_and_host_heatmap(client, teacher, make_session, monkeypatch):
    from tests.live.test_live_services import FakeRunner

    runner = FakeRunner({"Timeout: 60": [], "": ["aws-lambda/default-timeout"]})
    monkeypatch.setattr("courseware.exercises.checker.checker", lambda: runner)
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=120)
    join_as_guest(client, session)
    closed = client.post(f"/live/{session.code}/check/", {"file-0": "x"}, **HTMX)
    assert closed.status_code == 409 and b"not open" in closed.content
    live_session_transition(session_id=session.pk, action="open_exercise")
    page = client.get(f"/live/{session.code}/").content.decode()
    assert "Exercise: Give the report builder a timeout" in page and 'name="file-0"' in page
    response = client.post(f"/live/{session.code}/check/", {"file-0": "Resources: {}  # <b>mine</b>"}, **HTMX)
    assert response.status_code == 200 and b"still fire" in response.content
    client.force_login(teacher)
    host = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "aws-lambda/default-timeout" in host and "1 (100%)" in host
    live_session_transition(session_id=session.pk, action="close_exercise")
    host = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "Most common failing config" in host and "&lt;b&gt;mine&lt;/b&gt;" in host and "Gus" not in host


@pytest.mark.parametrize(
    ("ref", "rendered", "fields", "correct"),
    [
        ("demo-topic/demo#q-numeric", 'name="value"', {"value": "1,769 MB"}, True),
        (
            "demo-topic/demo#q-ordering",
            'name="pos-read"',
            {"pos-read": "1", "pos-compare": "2", "pos-raise": "4", "pos-verify": "3"},
            False,
        ),
        ("demo-topic/demo#q-spot", 'name="line" value="3"', {"line": ["3"]}, True),
    ],
)
def test_every_question_kind_can_be_answered_on_the_phone(client, make_session, ref, rendered, fields, correct):
    session = make_session(questions=[ref], allow_guests=True)
    join_as_guest(client, session)
    live_session_transition(session_id=session.pk, action="start")
    assert rendered in client.get(f"/live/{session.code}/").content.decode()
    response = client.post(f"/live/{session.code}/answer/", {"index": "0", **fields}, **HTMX)
    assert b"Answer sent and locked." in response.content
    assert LiveAnswer.objects.get().correct is correct
    live_session_transition(session_id=session.pk, action="reveal")
    assert b"Right answer" in client.get(f"/live/{session.code}/").content


def test_reveal_bars_for_kinds_without_choices(client, teacher, make_session):
    from courseware.live import selectors
    from courseware.live.services import live_answer_submit

    session = make_session(questions=["demo-topic/demo#q-spot"], allow_guests=True)
    people = [live_join(session=session, guest_name=f"P{n}") for n in range(3)]
    session = live_session_transition(session_id=session.pk, action="start")
    for person, lines in zip(people, (["3"], ["3", "4"], ["1"]), strict=True):
        live_answer_submit(session_id=session.pk, participant=person, index=0, form={"line": lines})
    question = selectors.question_for(session.questions[0])
    bars, total = selectors.answer_distribution(session=session, index=0, question=question)
    assert total == 3
    assert [(b.label_html, b.count) for b in bars] == [("Right", 1), ("Partly right", 0), ("Wrong", 2)]
    live_session_transition(session_id=session.pk, action="reveal")
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "Line 3" in html and "EXPLAIN-SPOT" in html


def test_a_busy_checker_without_javascript_keeps_what_the_learner_typed(client, make_session, monkeypatch):
    from tests.live.test_live_services import FakeRunner

    monkeypatch.setattr("courseware.exercises.checker.checker", lambda: FakeRunner({}, status="busy"))
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=120)
    join_as_guest(client, session)
    live_session_transition(session_id=session.pk, action="open_exercise")
    typed = "Resources: {}  # my unsaved <edit>"
    response = client.post(f"/live/{session.code}/check/", {"file-0": typed})
    assert response.status_code == 429 and response.headers["Retry-After"]  # busy is not an outage (503)
    html = response.content.decode()
    assert "busy" in html and "my unsaved &lt;edit&gt;" in html


def test_the_projector_never_shows_ordering_items_in_the_answers_order(client, teacher, make_session):
    session = make_session(questions=["demo-topic/demo#q-ordering"])
    live_session_transition(session_id=session.pk, action="start")
    client.force_login(teacher)
    html = client.get(f"/live/host/{session.pk}/").content.decode()
    listed = html[html.index("Put these in order:") :]
    listed = listed[: listed.index("</ul>")]
    from courseware.live.selectors import question_for

    question = question_for("demo-topic/demo#q-ordering")
    positions = [listed.index(item.html) for item in question.items]
    assert positions != sorted(positions), "the host screen lists the items in the right order"


@pytest.mark.parametrize("index", ["²", "①", "9" * 5000, "-1", ""])
def test_a_malformed_answer_index_is_a_422_not_a_500(index, client, session):
    join_as_guest(client, session)
    live_session_transition(session_id=session.pk, action="start")
    response = client.post(f"/live/{session.code}/answer/", {"index": index, "choice": "short"}, **HTMX)
    assert response.status_code == 422 and b"not part of the session" in response.content


def test_a_closed_round_shows_how_many_configs_survive_the_scenario(client, teacher, make_session, monkeypatch):
    from collections import OrderedDict

    from django.utils import timezone

    from courseware.footguns.simulation import read_scenario, simulate_models
    from courseware.live import selectors
    from courseware.live.models import LiveCheck
    from courseware.live.selectors import files_hash
    from courseware.sandbox import Outcome

    class SimulatingRunner:  # in process here: the sandbox's own tests cover the confined child
        calls = 0

        def simulate(self, files, *, learner_key, topic, name, scenario):
            SimulatingRunner.calls += 1
            parsed = read_scenario(scenario, topic=topic, name=name, source=name)[0]
            return Outcome("ok", "", simulate_models(files, parsed).compact().to_dict(), 1.0)

    monkeypatch.setattr("courseware.exercises.checker.checker", lambda: SimulatingRunner())
    monkeypatch.setattr("courseware.exercises.services._learner_simulations", OrderedDict())
    session = make_session(allow_guests=True, exercise="demo-topic/set-a-timeout", exercise_seconds=120)
    exercise = selectors.exercise_for(session.exercise)
    starter = exercise.starter_files()
    fixed = {path: text.replace("MemorySize: 1024\n", "MemorySize: 1024\n      Timeout: 60\n")
             for path, text in starter.items()}  # fmt: skip
    for name, files in (("Ann", starter), ("Bo", fixed), ("Cy", fixed)):
        participant = LiveParticipant.objects.create(session=session, display_name=name)
        LiveCheck.objects.create(
            session=session, participant=participant, exercise=session.exercise, passed=files is fixed,
            files=files, files_hash=files_hash(files), created_at=timezone.now(),
        )  # fmt: skip
    live_session_transition(session_id=session.pk, action="open_exercise")
    client.force_login(teacher)
    assert "survive" not in client.get(f"/live/host/{session.pk}/").content.decode()  # not while it is open
    live_session_transition(session_id=session.pk, action="close_exercise")
    host = client.get(f"/live/host/{session.pk}/").content.decode()
    assert "<strong>2</strong> of 3 latest configs survive the exercise's traffic in the simulator." in host
    assert SimulatingRunner.calls == 1  # the fixed config in the sandbox; the untouched starter is the author's
    client.get(f"/live/host/{session.pk}/")
    assert SimulatingRunner.calls == 1  # and remembered
