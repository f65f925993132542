from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courseware.accounts.services import user_create
from courseware.cohorts.models import Membership
from courseware.exercises.content import exercises_of
from courseware.exercises.models import FiredRule, HintReveal, Submission
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Answer, Attempt
from courseware.topics.models import PageRead
from tests.dashboard.conftest import PASSWORD

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC)


def make_learner(cohort, name: str):
    user = user_create(username=name, password=PASSWORD)
    Membership.objects.create(cohort=cohort, user=user)
    return user


def finish_attempt(user, quiz, right: set[str], *, at=T0, wrong_choice: dict[str, str] | None = None):
    wrong_choice = wrong_choice or {}
    attempt = Attempt.objects.create(
        user=user, topic=quiz.topic, quiz=quiz.slug, seed=1, content_hash="h", started_at=at, finished_at=at
    )
    score = 0.0
    for question in quiz.questions:
        correct = question.id in right
        response = {"choice": wrong_choice[question.id]} if question.id in wrong_choice else {}
        Answer.objects.create(
            attempt=attempt,
            topic=quiz.topic,
            quiz=quiz.slug,
            question_id=question.id,
            response=response,
            correct=correct,
            score=1.0 if correct else 0.0,
            footgun=question.footgun,
            primer=question.primer,
            created_at=at,
        )
        score += correct
    attempt.score, attempt.max_score = score, float(len(quiz.questions))
    attempt.passed = score / len(quiz.questions) >= quiz.pass_mark
    attempt.save()
    return attempt


def check(user, exercise, *, passed: bool, rules: list[str], number: int, at=T0):
    sub = Submission.objects.create(
        user=user,
        topic="aws-lambda",
        exercise=exercise.slug,
        files={"template.yaml": "<script>alert(1)</script>"},
        status="ok",
        passed=passed,
        counts_as_attempt=True,
        check_number=number,
        content_hash="h",
        findings_count=len(rules),
        report={"version": 1, "files": []},
    )
    Submission.objects.filter(pk=sub.pk).update(created_at=at)
    for rule in rules:
        FiredRule.objects.create(submission=sub, rule=rule)
    return sub


def test_readiness_matrix_applies_the_rule(client, teacher, cohort, topic):
    ready = make_learner(cohort, "ready")
    make_learner(cohort, "notyet")
    for kind in ("primer", "footguns"):
        PageRead.objects.create(user=ready, topic="aws-lambda", kind=kind, content_hash="h")
    for quiz in quizzes_of(topic).values():
        finish_attempt(ready, quiz, {q.id for q in quiz.questions})
    exercises = exercises_of(topic)
    for exercise in exercises[: (len(exercises) + 1) // 2]:
        check(ready, exercise, passed=True, rules=[], number=1)
    client.force_login(teacher)
    html = client.get(f"/dashboard/cohorts/{cohort.pk}/").content.decode()
    assert html.count("✓ Ready") == 1 and "Not yet" in html
    assert "1 of 2</strong> ready" in html
    assert "To do: read primer, footguns" in html  # the learner who did nothing
    rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/cohorts/{cohort.pk}/readiness.csv").content.decode())))
    assert rows[0][:2] == ["learner", "aws-lambda ready"]
    assert [r[:2] for r in rows[1:]] == [["notyet", "no"], ["ready", "yes"]]


def test_matrix_sorts_by_topic_readiness(client, teacher, cohort):
    a, b = make_learner(cohort, "aaa"), make_learner(cohort, "bbb")
    PageRead.objects.create(user=b, topic="aws-lambda", kind="primer", content_hash="h")
    client.force_login(teacher)
    html = client.get(f"/dashboard/cohorts/{cohort.pk}/?sort=-aws-lambda").content.decode()
    assert html.index(">bbb<") < html.index(">aaa<")
    html = client.get(f"/dashboard/cohorts/{cohort.pk}/?sort=name").content.decode()
    assert html.index(">aaa<") < html.index(">bbb<")
    assert a


def test_footgun_heatmap_counts_tripped_and_fixed(client, teacher, cohort, topic):
    exercise = exercises_of(topic)[0]
    one, two = make_learner(cohort, "one"), make_learner(cohort, "two")
    check(one, exercise, passed=False, rules=["aws-lambda/default-timeout"], number=1, at=T0)
    check(one, exercise, passed=True, rules=[], number=2, at=T0 + dt.timedelta(minutes=5))
    check(two, exercise, passed=False, rules=["aws-lambda/default-timeout"], number=1, at=T0)
    client.force_login(teacher)
    response = client.get(f"/dashboard/cohorts/{cohort.pk}/footguns/")
    rows, learners = response.context["rows"], response.context["learners"]
    heat = next(h for h in rows if h.footgun.slug == "no-timeout-configuration")
    assert learners == 2
    assert (len(heat.exercise_tripped), len(heat.exercise_fixed), heat.still_stuck) == (2, 1, 1)
    assert rows[0] is heat  # the most-stuck footgun comes first
    assert 'href="/topics/aws-lambda/footguns/#no-timeout-configuration"' in response.content.decode()


def test_quiz_wrong_then_right_counts_as_fixed(client, teacher, cohort, topic):
    quiz = next(iter(quizzes_of(topic).values()))
    linked = next(q for q in quiz.questions if q.footgun)
    learner = make_learner(cohort, "lena")
    finish_attempt(learner, quiz, set(), at=T0)
    finish_attempt(learner, quiz, {linked.id}, at=T0 + dt.timedelta(days=1))
    client.force_login(teacher)
    rows = client.get(f"/dashboard/cohorts/{cohort.pk}/footguns/").context["rows"]
    heat = next(h for h in rows if h.footgun.slug == linked.footgun)
    assert learner.pk in heat.quiz_wrong and learner.pk in heat.quiz_fixed


def test_question_statistics_use_first_attempts_and_flag_everyone_wrong(client, teacher, cohort, topic):
    quiz = next(iter(quizzes_of(topic).values()))
    single = next(q for q in quiz.questions if q.kind == "single")
    wrong = next(c for c in single.choices if not c.correct)
    others = {q.id for q in quiz.questions} - {single.id}
    for name in ("a", "b", "c"):
        user = make_learner(cohort, name)
        finish_attempt(user, quiz, others, wrong_choice={single.id: wrong.id})
        finish_attempt(user, quiz, others | {single.id}, at=T0 + dt.timedelta(days=1))  # retries do not count
    client.force_login(teacher)
    stats = client.get(f"/dashboard/cohorts/{cohort.pk}/questions/").context["quizzes"]
    quiz_stats = next(s for s in stats if s.quiz.slug == quiz.slug)
    st = dict((q.id, s) for q, s in quiz_stats.questions)[single.id]
    assert st.answers == 3 and st.facility == 0
    assert st.top_wrong_choice == wrong.id and st.top_wrong_count == 3
    assert st.broken_reasons == ("everyone got it wrong",)
    body = client.get(f"/dashboard/cohorts/{cohort.pk}/questions.csv").content.decode()
    assert f"{single.id},single,3,0.0," in body


def test_exercise_statistics(client, teacher, cohort, topic):
    exercise = exercises_of(topic)[0]
    one = make_learner(cohort, "one")
    check(one, exercise, passed=False, rules=["aws-lambda/default-timeout"], number=1)
    check(one, exercise, passed=True, rules=[], number=2, at=T0 + dt.timedelta(minutes=1))
    HintReveal.objects.create(user=one, topic="aws-lambda", exercise=exercise.slug, level=1)
    client.force_login(teacher)
    rows = client.get(f"/dashboard/cohorts/{cohort.pk}/exercises/").context["rows"]
    row = next(r for r in rows if r.exercise.slug == exercise.slug)
    assert (row.stats.started, row.stats.passed, row.stats.median_checks_to_pass) == (1, 1, 2)
    assert row.stats.top_first_check_rules == (("aws-lambda/default-timeout", 1),)
    assert row.stats.hints_used_total == 1


def test_learner_drill_down_and_submission_are_escaped(client, teacher, cohort, topic):
    learner = make_learner(cohort, "lena")
    sub = check(learner, exercises_of(topic)[0], passed=False, rules=["aws-lambda/default-timeout"], number=1)
    client.force_login(teacher)
    html = client.get(f"/dashboard/cohorts/{cohort.pk}/learners/{learner.pk}/").content.decode()
    assert f"/submissions/{sub.pk}/" in html
    html = client.get(f"/dashboard/cohorts/{cohort.pk}/learners/{learner.pk}/submissions/{sub.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;" in html and "alert" in html


def test_other_cohorts_and_learners_are_404_and_learners_are_kept_out(client, teacher, cohort, topic):
    member = make_learner(cohort, "member")
    outsider = user_create(username="outsider", password=PASSWORD)
    other_teacher = user_create(username="other", password=PASSWORD, instructor=True)
    sub = check(outsider, exercises_of(topic)[0], passed=False, rules=[], number=1)
    client.force_login(teacher)
    assert client.get(f"/dashboard/cohorts/{cohort.pk}/learners/{outsider.pk}/").status_code == 404
    assert client.get(f"/dashboard/cohorts/{cohort.pk}/learners/{member.pk}/submissions/{sub.pk}/").status_code == 404
    client.force_login(other_teacher)
    for path in (
        "",
        "footguns/",
        "questions/",
        "exercises/",
        "readiness.csv",
        "questions.csv",
        f"learners/{member.pk}/",
    ):
        assert client.get(f"/dashboard/cohorts/{cohort.pk}/{path}").status_code == 404, path
    client.force_login(member)
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/dashboard/cohorts/{cohort.pk}/").status_code == 404


def test_csv_export_neutralises_formula_usernames(client, teacher, cohort):
    make_learner(cohort, "=cmd")
    make_learner(cohort, "+1")
    client.force_login(teacher)
    rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/cohorts/{cohort.pk}/readiness.csv").content.decode())))
    assert sorted(r[0] for r in rows[1:]) == ["'+1", "'=cmd"]


def test_dashboard_query_count_does_not_grow_with_learners(client, teacher, cohort, topic):
    quiz = next(iter(quizzes_of(topic).values()))
    exercise = exercises_of(topic)[0]

    def add(n: int, offset: int) -> None:
        for i in range(n):
            user = make_learner(cohort, f"l{offset + i}")
            finish_attempt(user, quiz, set())
            check(user, exercise, passed=False, rules=["aws-lambda/default-timeout"], number=1)
            PageRead.objects.create(user=user, topic="aws-lambda", kind="primer", content_hash="h")

    client.force_login(teacher)
    counts = []
    for n, offset in ((2, 0), (8, 100)):
        add(n, offset)
        row = []
        for path in ("", "footguns/", "questions/", "exercises/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/dashboard/cohorts/{cohort.pk}/{path}").status_code == 200
            row.append(len(queries))
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[1]) <= 14, counts


def test_instructor_sees_dashboard_in_navigation(client, teacher):
    client.force_login(teacher)
    assert b'href="/dashboard/"' in client.get("/").content


def test_most_chosen_wrong_choice_of_a_multiple_select_question(client, teacher, cohort, topic):
    quiz, question = next(
        (q, question) for q in quizzes_of(topic).values() for question in q.questions if question.kind == "multiple"
    )
    wrong = [c.id for c in question.choices if not c.correct]
    for name in ("a", "b"):
        user = make_learner(cohort, name)
        attempt = finish_attempt(user, quiz, set())
        Answer.objects.filter(attempt=attempt, question_id=question.id).update(response={"choices": wrong[:1]})
    client.force_login(teacher)
    stats = client.get(f"/dashboard/cohorts/{cohort.pk}/questions/").context["quizzes"]
    st = dict((q.id, s) for q, s in next(s for s in stats if s.quiz.slug == quiz.slug).questions)[question.id]
    assert (st.top_wrong_choice, st.top_wrong_count) == (wrong[0], 2)


def test_live_session_answers_count_in_the_heatmap_and_question_statistics(client, teacher, cohort, topic):
    from courseware.live.models import LiveAnswer
    from courseware.live.services import live_join, live_session_create

    quiz = next(iter(quizzes_of(topic).values()))
    question = next(q for q in quiz.questions if q.footgun)
    learner = make_learner(cohort, "live")
    session = live_session_create(
        cohort=cohort, instructor=teacher, title="Live", questions=[f"aws-lambda/{quiz.slug}#{question.id}"]
    )
    participant = live_join(session=session, user=learner)
    LiveAnswer.objects.create(
        session=session,
        participant=participant,
        user=learner,
        question_index=0,
        topic="aws-lambda",
        quiz=quiz.slug,
        question_id=question.id,
        response={},
        correct=False,
        score=0.0,
        footgun=question.footgun,
        primer=question.primer,
        created_at=T0,
    )
    client.force_login(teacher)
    rows = client.get(f"/dashboard/cohorts/{cohort.pk}/footguns/").context["rows"]
    heat = next(h for h in rows if h.footgun.slug == question.footgun)
    assert learner.pk in heat.quiz_wrong and learner.pk not in heat.quiz_fixed
    stats = client.get(f"/dashboard/cohorts/{cohort.pk}/questions/").context["quizzes"]
    st = dict((q.id, s) for q, s in next(s for s in stats if s.quiz.slug == quiz.slug).questions)[question.id]
    assert (st.answers, st.facility) == (1, 0)
