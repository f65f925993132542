"""Two topics side by side: a cohort assigned both, learners working in both, every page that lists topics."""

from __future__ import annotations

import pytest

from courseware.cohorts.services import cohort_create
from courseware.quizzes.content import quizzes_of
from courseware.topics.library import get_library
from tests.dashboard.test_dashboard import PASSWORD, check, finish_attempt, make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(teacher):
    return cohort_create(instructor=teacher, name="Platform team", topics=[("aws-lambda", None), ("kubernetes", None)])


def test_the_library_has_both_topics_and_their_hubs_link_each_other(client):
    library = get_library()
    assert {"aws-lambda", "kubernetes"} <= set(library.topics)
    hub = client.get("/topics/kubernetes/")
    assert hub.status_code == 200 and 'href="/topics/aws-lambda/"' in hub.content.decode()
    catalogue = client.get("/topics/").content.decode()
    assert "Kubernetes workloads" in catalogue and "AWS Lambda" in catalogue


def test_dashboard_pages_show_both_topics_with_their_footguns(client, teacher, cohort):
    library = get_library()
    kubernetes = library.topic("kubernetes")
    learner = make_learner(cohort, "ada")
    quiz = next(iter(quizzes_of(kubernetes).values()))
    finish_attempt(learner, quiz, right=set())
    check(
        learner,
        type("E", (), {"slug": "k8s-probe"})(),
        passed=False,
        rules=["kubernetes/missing-readiness-probe"],
        number=1,
    )
    client.login(username="teacher", password=PASSWORD)
    matrix = client.get(f"/dashboard/cohorts/{cohort.pk}/").content.decode()
    assert "Kubernetes workloads" in matrix and "AWS Lambda" in matrix
    heatmap = client.get(f"/dashboard/cohorts/{cohort.pk}/footguns/")
    assert heatmap.status_code == 200
    body = heatmap.content.decode()
    assert "missing-readiness-probe" in body or "Missing readiness probe" in body or "readiness" in body.lower()
    assert client.get(f"/dashboard/cohorts/{cohort.pk}/questions/").status_code == 200


def test_learner_home_and_review_work_with_both_topics(client, cohort):
    learner = make_learner(cohort, "grace")
    quiz = next(iter(quizzes_of(get_library().topic("kubernetes")).values()))
    finish_attempt(learner, quiz, right=set())
    client.login(username="grace", password=PASSWORD)
    home = client.get("/").content.decode()
    assert "Kubernetes workloads" in home and "AWS Lambda" in home
    assert client.get("/review/").status_code == 200
