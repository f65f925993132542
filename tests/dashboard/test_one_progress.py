"""One definition of progress: the learner's home and the instructor's dashboard count the same things."""

from __future__ import annotations

import pytest

from courseware.cohorts.selectors import learner_assignments
from courseware.dashboard.selectors import readiness_matrix
from courseware.exercises.content import exercises_of
from courseware.quizzes.content import quizzes_of
from courseware.topics.library import get_library
from courseware.topics.models import PageRead
from tests.dashboard.test_dashboard import check, finish_attempt, make_learner

pytestmark = pytest.mark.django_db


def test_home_and_dashboard_agree_on_pages_quizzes_and_exercises(teacher, cohort, topic):
    learner = make_learner(cohort, "ada")
    for kind in (topic.page_order[0], topic.page_order[1], "not-a-page"):
        PageRead.objects.create(user=learner, topic=topic.slug, kind=kind)
    quizzes = list(quizzes_of(topic).values())
    finish_attempt(learner, quizzes[0], right={q.id for q in quizzes[0].questions})  # passed
    finish_attempt(learner, quizzes[1], right=set())  # taken, failed
    check(learner, exercises_of(topic)[0], passed=True, rules=[], number=1)

    (assignment,) = learner_assignments(user=learner)
    home = {part.name: part.done for part in assignment.parts}
    (row,) = readiness_matrix(cohort=cohort).rows
    (cell,) = row.cells
    assert home["pages"] == cell.pages_read == 2
    assert home["quizzes"] == cell.quizzes_passed == 1
    assert home["exercises"] == cell.exercises_passed == 1


def test_every_topic_card_on_the_home_page_shows_the_learners_progress(client, cohort, topic):
    learner = make_learner(cohort, "grace")
    PageRead.objects.create(user=learner, topic=topic.slug, kind=topic.page_order[0])
    client.force_login(learner)
    html = client.get("/").content.decode()
    all_topics = html[html.index('id="all-topics-heading"') :]
    for other in get_library().topics.values():
        assert f"{other.title}, pages:" in all_topics
    assert f"{topic.title}, pages: 1 of {len(topic.page_order)}" in all_topics
