"""Who may use each quizzes URL, generated from the URLconf so a new view cannot be left out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courseware.quizzes import services, urls
from courseware.quizzes.content import quizzes_of
from courseware.topics.library import get_library

pytestmark = [pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db]

# name -> who may use it: "anyone" (visitors too), "owner" (the attempt's learner or visitor), "learner" (signed in)
OWNERS = {
    "quiz": "anyone",
    "start": "anyone",
    "attempt": "owner",
    "answer": "owner",
    "finish": "owner",
    "result": "owner",
    "review": "learner",
    "review_question": "learner",
}


def test_every_url_has_an_owner():
    assert {p.name for p in urls.urlpatterns} == set(OWNERS)


def _url(name: str, attempt) -> str:
    kwargs = {"topic": "demo-topic", "quiz": "demo"}
    if "<int:attempt>" in next(str(p.pattern) for p in urls.urlpatterns if p.name == name):
        kwargs["attempt"] = attempt.pk
    if name in ("answer", "review_question"):
        kwargs["question"] = "q-single"
    if name == "review":
        kwargs = {}
    return reverse(f"quizzes:{name}", kwargs=kwargs)


@pytest.fixture
def owned_attempt(learner):
    quiz = quizzes_of(get_library().topic("demo-topic"))["demo"]
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_submit(attempt=attempt, question=quiz.question("q-multiple"), response={"choices": ["many"]})
    return attempt


@pytest.mark.parametrize("name", sorted(n for n, owner in OWNERS.items() if owner == "owner"))
@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_but_the_owner_reaches_an_attempt(name, method, owned_attempt, django_user_model):
    other = Client()
    other.force_login(django_user_model.objects.create_user(username="bob", password="bob's long password"))
    staff = Client()
    staff.force_login(
        django_user_model.objects.create_user(username="sam", password="sam's long password", is_staff=True)
    )
    url = _url(name, owned_attempt)
    for client in (Client(), other, staff):
        response = getattr(client, method)(url, {"choice": "short"} if method == "post" else None)
        assert response.status_code in (404, 405), (name, method, response.status_code)
    owned_attempt.refresh_from_db()
    assert owned_attempt.finished_at is None and owned_attempt.answers.count() == 1


# What the owner gets: the attempt page (200); the result of an unfinished attempt sends them back to it (302); a
# POST without htmx redirects after the write (302). Each proves the request got past the ownership check.
OWNER_GETS = {"attempt": 200, "result": 302, "answer": 302, "finish": 302}


def test_every_owner_url_has_an_expected_answer():
    assert set(OWNER_GETS) == {n for n, owner in OWNERS.items() if owner == "owner"}


@pytest.mark.parametrize("name", sorted(n for n, owner in OWNERS.items() if owner == "owner"))
def test_the_owner_reaches_their_attempt(name, owned_attempt, learner):
    client = Client()
    client.force_login(learner)
    method = "post" if name in ("answer", "finish") else "get"
    response = getattr(client, method)(_url(name, owned_attempt), {"choice": "short"} if method == "post" else None)
    assert response.status_code == OWNER_GETS[name], (name, response.status_code)
    owned_attempt.refresh_from_db()
    if name == "answer":
        assert owned_attempt.answers.filter(question_id="q-single").exists()  # the owner's answer was stored
    if name == "result":
        assert response.headers["Location"] == _url("attempt", owned_attempt)
    if name == "finish":
        assert owned_attempt.finished_at is not None
        assert response.headers["Location"] == _url("result", owned_attempt)


@pytest.mark.parametrize("name", sorted(n for n, owner in OWNERS.items() if owner == "learner"))
def test_learner_pages_send_visitors_to_log_in(name, owned_attempt):
    response = Client().get(_url(name, owned_attempt))
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
