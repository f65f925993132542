from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courseware.quizzes.models import Answer, Attempt, ReviewItem

pytestmark = [pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db]

QUIZ = "/topics/demo-topic/quizzes/demo/"
ONE_PAGE = "/topics/demo-topic/quizzes/one-page/"
HTMX = {"HX-Request": "true"}


def start(client, quiz: str = QUIZ) -> Attempt:
    response = client.post(quiz + "start/")
    assert response.status_code == 302
    attempt = Attempt.objects.latest("pk")
    assert response.headers["Location"] == f"{quiz}attempts/{attempt.pk}/"
    return attempt


def url(attempt: Attempt, tail: str = "") -> str:
    return f"/topics/{attempt.topic}/quizzes/{attempt.quiz}/attempts/{attempt.pk}/{tail}"


def test_quiz_page_describes_the_quiz_and_offers_a_start(client):
    response = client.get(QUIZ)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Demo quiz" in html and "6 questions" in html and "one at a time" in html
    assert f'action="{QUIZ}start/"' in html


def test_unknown_quiz_is_404(client):
    assert client.get("/topics/demo-topic/quizzes/nope/").status_code == 404
    assert client.get("/topics/nope/quizzes/demo/").status_code == 404


def test_start_needs_post(client):
    assert client.get(QUIZ + "start/").status_code == 405


def test_question_page_never_contains_the_answer_key(client):
    attempt = start(client)
    for question in ("q-single", "q-multiple", "q-true-false", "q-numeric", "q-ordering", "q-spot"):
        html = client.get(url(attempt) + f"?q={question}").content.decode()
        assert f'id="q-{question}"' in html
        assert "EXPLAIN-" not in html and "FEEDBACK-" not in html
        assert "correct" not in html.lower()
        assert "is-key" not in html and "right answer" not in html.lower()


def test_ordering_is_never_shown_in_the_right_order(client):
    for _ in range(5):
        attempt = start(client)
        html = client.get(url(attempt) + "?q=q-ordering").content.decode()
        shown = re.findall(r'name="order" value="([a-z-]+)"', html)
        assert sorted(shown) == ["compare", "raise", "read", "verify"]
        assert shown != ["read", "compare", "raise", "verify"]


def test_choice_order_is_stable_across_reloads(client):
    attempt = start(client)

    def order() -> list[str]:
        html = client.get(url(attempt) + "?q=q-multiple").content.decode()
        return re.findall(r'name="choice" value="([a-z-]+)"', html)

    first = order()
    assert sorted(first) == ["cap", "jitter", "many", "no-backoff"]
    assert order() == first == order()


def test_htmx_answer_returns_the_feedback_partial(client):
    attempt = start(client)
    response = client.post(url(attempt, "answer/q-single/"), {"choice": "long"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="q-q-single"' in html
    assert "Not right" in html and "FEEDBACK-LONG" in html and "EXPLAIN-SINGLE" in html
    assert 'href="/topics/demo-topic/footguns/#forgot-the-limit"' in html
    assert "autofocus" in html
    assert f'href="{url(attempt)}?q=q-multiple"' in html
    answer = Answer.objects.get(attempt=attempt)
    assert (answer.question_id, answer.correct, answer.score) == ("q-single", False, 0.0)
    assert (answer.footgun, answer.primer, answer.topic, answer.quiz) == (
        "forgot-the-limit",
        "limits",
        "demo-topic",
        "demo",
    )


def test_answer_without_javascript_redirects_to_the_question_with_feedback(client):
    attempt = start(client)
    response = client.post(url(attempt, "answer/q-single/"), {"choice": "short"})
    assert response.status_code == 302
    assert response.headers["Location"] == url(attempt) + "?q=q-single#q-q-single"
    html = client.get(response.headers["Location"]).content.decode()
    assert "✓ Right" in html and "EXPLAIN-SINGLE" in html


def test_same_answer_twice_is_stored_once_and_gives_the_same_result(client):
    attempt = start(client)
    first = client.post(url(attempt, "answer/q-numeric/"), {"value": "1,769 MB"}, headers=HTMX).content
    second = client.post(url(attempt, "answer/q-numeric/"), {"value": "1,769 MB"}, headers=HTMX).content
    assert first == second
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_a_different_second_answer_keeps_the_first_and_says_so(client):
    attempt = start(client)
    client.post(url(attempt, "answer/q-true-false/"), {"value": "false"}, headers=HTMX)
    html = client.post(url(attempt, "answer/q-true-false/"), {"value": "true"}, headers=HTMX).content.decode()
    assert "already answered" in html and "Not right" in html
    assert Answer.objects.get(attempt=attempt).response == {"value": False}


@pytest.mark.parametrize(
    ("question", "data", "message"),
    [
        ("q-single", {}, "Choose an answer."),
        ("q-single", {"choice": "made-up"}, "That choice is not part of this question."),
        ("q-multiple", {"choice": ["many", "evil"]}, "One of the choices is not part of this question."),
        ("q-true-false", {"value": "maybe"}, "The answer must be true or false."),
        ("q-numeric", {"value": "lots"}, "Enter a number"),
        (
            "q-ordering",
            {"pos-read": "1", "pos-compare": "1", "pos-raise": "2", "pos-verify": "3"},
            "different position",
        ),
        ("q-ordering", {"pos-read": "1"}, "Give every step a position."),
        ("q-spot", {"line": "99"}, "Lines go from 1 to 4."),
        ("q-spot", {"line": "x"}, "Lines go from 1 to 4."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_stored(client, question, data, message):
    attempt = start(client)
    response = client.post(url(attempt, f"answer/{question}/"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    htmx = client.post(url(attempt, f"answer/{question}/"), data, headers=HTMX)
    assert htmx.status_code == 422  # the site's htmx-config swaps 422: the form comes back with the message
    assert message in htmx.content.decode() and 'role="alert"' in htmx.content.decode()
    assert not Answer.objects.exists()


def test_oversized_field_is_refused_not_a_500(client):
    attempt = start(client)
    response = client.post(url(attempt, "answer/q-numeric/"), {"value": "9" * 5000})
    assert response.status_code == 422


def test_unknown_question_is_404(client):
    attempt = start(client)
    assert client.post(url(attempt, "answer/q-nope/"), {"choice": "a"}).status_code == 404


def test_answer_to_a_finished_attempt_is_refused_with_409(client):
    attempt = start(client)
    client.post(url(attempt, "finish/"))
    response = client.post(url(attempt, "answer/q-single/"), {"choice": "short"})
    assert response.status_code == 409
    assert "attempt is finished" in response.content.decode()
    htmx = client.post(url(attempt, "answer/q-single/"), {"choice": "short"}, headers=HTMX)
    assert htmx.status_code == 409
    assert htmx.headers["HX-Redirect"] == url(attempt, "result/")
    assert not Answer.objects.exists()


def test_full_run_result_page_and_retry(client):
    attempt = start(client)
    answers = {
        "q-single": {"choice": "short"},
        "q-multiple": {"choice": ["no-backoff", "jitter"]},
        "q-true-false": {"value": "true"},
        "q-numeric": {"value": "1769"},
        "q-ordering": {"pos-read": "1", "pos-compare": "2", "pos-raise": "3", "pos-verify": "4"},
        "q-spot": {"line": ["3"]},
    }
    for question, data in answers.items():
        assert client.post(url(attempt, f"answer/{question}/"), data).status_code == 302
    last = client.get(url(attempt) + "?q=q-spot").content.decode()
    assert f'action="{url(attempt, "finish/")}"' in last and "See your results" in last
    response = client.post(url(attempt, "finish/"))
    assert response.headers["Location"] == url(attempt, "result/")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score, attempt.passed) == (5.0, 6.0, True)
    html = client.get(url(attempt, "result/")).content.decode()
    assert "5 of 6" in html and "83%" in html and "Passed" in html
    for marker in ("EXPLAIN-SINGLE", "EXPLAIN-MULTIPLE", "EXPLAIN-SPOT", "FEEDBACK-JITTER", "✗ not right"):
        assert marker in html
    assert "Retrying without backoff" in html and "Line 3" in html
    # A finished attempt's page leads to its results; retry starts a new attempt.
    assert client.get(url(attempt)).headers["Location"] == url(attempt, "result/")
    retry = start(client)
    assert retry.pk != attempt.pk


def test_unfinished_result_page_redirects_to_the_attempt(client):
    attempt = start(client)
    assert client.get(url(attempt, "result/")).headers["Location"] == url(attempt)


def test_one_page_quiz_shows_every_question_and_a_finish_button(client):
    attempt = start(client, ONE_PAGE)
    html = client.get(url(attempt)).content.decode()
    assert 'id="q-q-tolerance"' in html and 'id="q-q-spot-two"' in html
    assert "Finish and see results" in html
    response = client.post(url(attempt, "answer/q-tolerance/"), {"value": "3.2 s"})
    assert response.headers["Location"] == url(attempt) + "#q-q-tolerance"
    assert Answer.objects.get().correct is True


def test_another_learner_can_never_read_an_attempt(client, learner_client, django_user_model):
    attempt = start(learner_client)
    learner_client.post(url(attempt, "answer/q-single/"), {"choice": "short"})
    other = django_user_model.objects.create_user(username="mallory", password="another long password")
    client.force_login(other)
    for tail in ("", "result/"):
        assert client.get(url(attempt, tail)).status_code == 404
    assert client.post(url(attempt, "answer/q-multiple/"), {"choice": "many"}).status_code == 404
    assert client.post(url(attempt, "finish/")).status_code == 404
    client.logout()
    assert client.get(url(attempt)).status_code == 404
    assert client.post(url(attempt, "finish/")).status_code == 404
    attempt.refresh_from_db()
    assert attempt.finished_at is None and attempt.answers.count() == 1


def test_an_attempt_is_only_found_under_its_own_quiz(learner_client):
    attempt = start(learner_client)
    assert learner_client.get(f"/topics/demo-topic/quizzes/one-page/attempts/{attempt.pk}/").status_code == 404


def test_anonymous_visitor_can_take_a_quiz_and_another_visitor_cannot_see_it(client, django_user_model):
    attempt = start(client)
    assert attempt.user is None and attempt.anon_token
    assert client.post(url(attempt, "answer/q-single/"), {"choice": "none"}).status_code == 302
    stranger = Client()
    assert stranger.get(url(attempt)).status_code == 404


def test_hub_lists_quizzes_with_the_best_score(learner_client):
    html = learner_client.get("/topics/demo-topic/").content.decode()
    assert f'href="{QUIZ}"' in html and f'href="{ONE_PAGE}"' in html
    assert "best score" not in html
    for choice in ("short", "long"):
        attempt = start(learner_client)
        learner_client.post(url(attempt, "answer/q-single/"), {"choice": choice})
        learner_client.post(url(attempt, "finish/"))
    html = learner_client.get("/topics/demo-topic/").content.decode()
    assert "best score 17%" in html


def test_answer_post_query_budget(learner_client):
    attempt = start(learner_client)
    learner_client.get(url(attempt))
    with CaptureQueriesContext(connection) as queries:
        response = learner_client.post(url(attempt, "answer/q-single/"), {"choice": "long"}, headers=HTMX)
    assert response.status_code == 200
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    # session, user, attempt, BEGIN, locked attempt, existing answer, insert, review upsert, COMMIT, nav (2)
    assert len(statements) <= 11, statements


def test_review_page_lists_due_questions_with_a_count_in_the_navigation(learner_client, learner):
    attempt = start(learner_client)
    learner_client.post(url(attempt, "answer/q-single/"), {"choice": "long"})
    item = ReviewItem.objects.get(user=learner)
    assert "Due now (0)" in learner_client.get("/review/").content.decode()  # back in a minute, not yet due
    ReviewItem.objects.filter(pk=item.pk).update(due_at=item.due_at.replace(year=2000))
    html = learner_client.get("/review/").content.decode()
    assert "Due now (1)" in html and 'href="/review/demo-topic/demo/q-single/"' in html
    assert 'aria-label="1 due"' in html


def test_review_answer_moves_the_question_out(learner_client, learner):
    attempt = start(learner_client)
    learner_client.post(url(attempt, "answer/q-single/"), {"choice": "long"})
    ReviewItem.objects.update(due_at=Attempt.objects.get().started_at.replace(year=2000))
    page = learner_client.get("/review/demo-topic/demo/q-single/")
    assert page.status_code == 200 and "EXPLAIN-SINGLE" not in page.content.decode()
    response = learner_client.post("/review/demo-topic/demo/q-single/", {"choice": "short"}, headers=HTMX)
    assert "✓ Right" in response.content.decode() and "Back to your review queue" in response.content.decode()
    item = ReviewItem.objects.get()
    assert item.step == 1 and item.last_result is True  # the next same-day learning step
    # Without JavaScript: post, redirect, and the result is shown once.
    response = learner_client.post("/review/demo-topic/demo/q-single/", {"choice": "short"})
    assert response.status_code == 302
    assert "✓ Right" in learner_client.get(response.headers["Location"]).content.decode()
    assert ReviewItem.objects.get().step == 1  # not due any more: practice only


def test_review_needs_login_and_an_item(learner_client):
    assert Client().get("/review/").status_code == 302
    assert learner_client.get("/review/demo-topic/demo/q-single/").status_code == 404


def test_visitor_results_follow_them_into_a_new_account(client, django_user_model):
    attempt = start(client)
    client.post(url(attempt, "answer/q-single/"), {"choice": "long"})
    client.post(url(attempt, "finish/"))
    assert "best score 0%" in client.get("/topics/demo-topic/").content.decode()
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a fresh long passphrase", "password2": "a fresh long passphrase"},
    )
    assert response.status_code == 302
    user = django_user_model.objects.get(username="newbie")
    attempt.refresh_from_db()
    assert attempt.user == user and attempt.anon_token == ""
    assert ReviewItem.objects.get().user == user
    assert client.get(url(attempt, "result/")).status_code == 200
    assert "best score 0%" in client.get("/topics/demo-topic/").content.decode()


def test_visitor_results_follow_them_when_they_log_in(client, learner):
    attempt = start(client)
    client.post(url(attempt, "answer/q-numeric/"), {"value": "12"})
    client.post("/accounts/login/", {"username": "lena", "password": "correct horse battery"})
    attempt.refresh_from_db()
    assert attempt.user == learner
    assert ReviewItem.objects.get(user=learner).question_id == "q-numeric"


def test_review_link_only_for_signed_in_learners(client, learner_client):
    assert 'href="/review/"' in learner_client.get("/topics/").content.decode()
    client.logout()
    assert 'href="/review/"' not in client.get("/topics/").content.decode()


def test_review_page_shows_what_comes_up_later_by_title(learner_client):
    attempt = start(learner_client)
    learner_client.post(url(attempt, "answer/q-numeric/"), {"value": "12"})
    html = learner_client.get("/review/").content.decode()
    assert "Due now (0)" in html and "Nothing is due this minute" in html
    assert "Demo Topic · Demo quiz, question 4" in html


def test_after_wrong_answers_the_review_page_says_when_they_come_back_never_well_done(learner_client, learner):
    attempt = start(learner_client)
    learner_client.post(url(attempt, "answer/q-single/"), {"choice": "long"})
    html = learner_client.get("/review/").content.decode()
    assert "Well done" not in html
    assert "1 question you missed comes back within a minute" in html
    # "Coming up" shows the question's text and links to it.
    assert '<a href="/review/demo-topic/demo/q-single/">Which default limit cuts work off halfway?</a>' in html


def test_the_review_page_says_well_done_when_nothing_missed_is_waiting(learner_client):
    assert "Nothing is due. Well done." in learner_client.get("/review/").content.decode()


def test_ordering_moves_work_without_javascript_and_store_nothing(client):
    attempt = start(client)
    page = client.get(url(attempt) + "?q=q-ordering").content.decode()
    shown = re.findall(r'name="order" value="([a-z]+)"', page)
    assert sorted(shown) == ["compare", "raise", "read", "verify"] and shown != ["read", "compare", "raise", "verify"]
    assert "<select" not in page
    second = shown[1]
    response = client.post(url(attempt, "answer/q-ordering/"), {"order": shown, "move": f"up:{second}"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html  # a whole page, no script needed
    assert re.findall(r'name="order" value="([a-z]+)"', html) == [second, shown[0], *shown[2:]]
    assert f'value="down:{second}" class="secondary" autofocus' in html  # at the top: focus its Move down
    assert "Now step 1 of 4." in html
    assert not Answer.objects.exists()
    # htmx gets the card only; a forged move is refused with a message.
    card = client.post(url(attempt, "answer/q-ordering/"), {"order": shown, "move": "up:nope"}, headers=HTMX)
    assert card.status_code == 200 and "That move is not possible." in card.content.decode()
    assert "<html" not in card.content.decode()
    refused = client.post(url(attempt, "answer/q-ordering/"), {"order": shown, "move": "up:nope"})
    assert refused.status_code == 400
    # Check answer sends the order shown.
    client.post(url(attempt, "answer/q-ordering/"), {"order": ["read", "compare", "raise", "verify"]})
    assert Answer.objects.get().correct
