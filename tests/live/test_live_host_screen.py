"""What the projector shows at each stage (the layout itself is proven in tests/browser/test_live_show.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from courseware.live import selectors
from courseware.live.services import live_answer_submit, live_join, live_session_transition

pytestmark = pytest.mark.django_db


def host_page(client, teacher, session) -> str:
    client.force_login(teacher)
    return client.get(f"/live/host/{session.pk}/").content.decode()


def test_a_full_lobby_names_the_latest_joiners_and_counts_the_rest(client, teacher, session, monkeypatch):
    monkeypatch.setattr("courseware.live.views.LOBBY_NAMES", 5)
    for n in range(8):
        live_join(session=session, guest_name=f"Learner {n}")
    html = host_page(client, teacher, session)
    names = re.findall(r"<li>(Learner \d) <form", html)
    assert names == ["Learner 7", "Learner 6", "Learner 5", "Learner 4", "Learner 3"]
    assert "8 joined" in html and "+3 more" in html


def test_option_bars_grow_while_answers_are_open(client, teacher, session):
    gus, ida = (live_join(session=session, guest_name=name) for name in ("Gus", "Ida"))
    live_session_transition(session_id=session.pk, action="start")
    live_answer_submit(session_id=session.pk, participant=gus, index=0, form={"choice": ["short"]})
    html = host_page(client, teacher, session)
    assert "Answers so far (1)" in html
    # Stable ids let htmx carry the old width into the new one, so CSS can animate the growth.
    assert sorted(re.findall(r'<rect id="bar-1-\d" width="(\d+)"', html)) == ["0", "0", "100"]
    assert '<rect id="answered-1" width="50"' in html
    assert "✓ right" not in html and 'class="right"' not in html  # which one is right waits for the reveal
    live_answer_submit(session_id=session.pk, participant=ida, index=0, form={"choice": ["none"]})
    live_session_transition(session_id=session.pk, action="reveal")
    html = host_page(client, teacher, session)
    assert "Answers (2)" in html and html.count("✓ right") == 1


def test_graded_bars_and_picked_lines_wait_until_answers_close(client, teacher, make_session):
    session = make_session(questions=["demo-topic/demo#q-spot"], allow_guests=True)
    gus = live_join(session=session, guest_name="Gus")
    live_session_transition(session_id=session.pk, action="start")
    live_answer_submit(session_id=session.pk, participant=gus, index=0, form={"line": ["3"]})
    html = host_page(client, teacher, session)
    # Open: the code, but no right/wrong counts, which would tell the room how answers are graded.
    assert "Timeout" in html and ">Right<" not in html and "picked" not in html and "is-key" not in html
    live_session_transition(session_id=session.pk, action="close")
    html = host_page(client, teacher, session)
    assert ">Right<" in html and "1 picked" in html and "is-key" not in html
    live_session_transition(session_id=session.pk, action="reveal")
    html = host_page(client, teacher, session)
    key_line = re.search(r'<span class="line is-key">(.*?)</span></span>', html, re.S)
    assert html.count('class="line is-key"') == 1 and "◀ the footgun" in html
    assert key_line and ">3<" in key_line.group(1)


def test_shortcut_keys_are_on_the_legal_buttons_only(client, teacher, session):
    html = host_page(client, teacher, session)
    assert re.findall(r'aria-keyshortcuts="(\w)"', html) == ["s"]
    assert 'id="live-finish"' in html  # ending the session has a button, and no key: a stray key must not end a class
    live_session_transition(session_id=session.pk, action="start")
    html = host_page(client, teacher, session)
    assert re.findall(r'aria-keyshortcuts="(\w)"', html) == ["c", "r", "p"]


def test_the_podium_shows_ties_speed_points_and_streaks(client, teacher, make_session):
    session = make_session(allow_guests=True, speed_scoring=True, question_seconds=100)
    ada, bob, cy = (live_join(session=session, guest_name=name) for name in ("Ada", "Bob", "Cy"))
    start = timezone.now()
    live_session_transition(session_id=session.pk, action="start", now=start)
    for person in (ada, bob):  # both right at once: a tie at 1000 points
        live_answer_submit(session_id=session.pk, participant=person, index=0, form={"choice": ["short"]}, now=start)
    later = start + dt.timedelta(seconds=50)
    live_answer_submit(session_id=session.pk, participant=cy, index=0, form={"choice": ["short"]}, now=later)
    podium = selectors.podium(session=session)
    assert [(p.rank, p.points, [c.name for c in p.contestants]) for p in podium] == [
        (1, 1000, ["Ada", "Bob"]),
        (3, 750, ["Cy"]),
    ]
    assert [(c.speed_points, c.best_streak) for c in podium[0].contestants] == [(500, 1), (500, 1)]
    assert (podium[1].contestants[0].speed_points, podium[1].contestants[0].best_streak) == (250, 1)
    live_session_transition(session_id=session.pk, action="finish")
    html = host_page(client, teacher, session)
    assert "Leaderboard: the top three" in html and "1st" in html and "3rd" in html and "2nd" not in html
    assert "500 of them for speed · best streak 1" in html


def test_without_speed_scoring_the_podium_shows_points_only(client, teacher, session):
    gus = live_join(session=session, guest_name="Gus")
    live_session_transition(session_id=session.pk, action="start")
    live_answer_submit(session_id=session.pk, participant=gus, index=0, form={"choice": ["short"]})
    live_session_transition(session_id=session.pk, action="finish")
    html = host_page(client, teacher, session)
    assert "1st" in html and "1000 points" in html and "for speed" not in html
