from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from courseware.accounts.services import user_create
from courseware.cohorts.models import CODE_ALPHABET, Cohort, Membership, normalise_code
from courseware.cohorts.services import cohort_create

pytestmark = [pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db]
PASSWORD = "a long test passphrase"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def teacher():
    return user_create(username="teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def cohort(teacher):
    return cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])


def test_join_codes_are_short_and_unambiguous(cohort):
    assert len(cohort.join_code) == 6
    assert set(cohort.join_code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert normalise_code(" ab-c2 d3 ") == "ABC2D3"


def test_instructor_creates_a_cohort_with_topics_and_due_dates(client, teacher):
    client.force_login(teacher)
    response = client.post(
        "/cohorts/new/", {"name": "January onboarding", "topic_demo-topic": "on", "due_demo-topic": "2030-02-01"}
    )
    cohort = Cohort.objects.get(name="January onboarding")
    assert response.headers["Location"] == f"/cohorts/{cohort.pk}/"
    assert list(cohort.topics.values_list("topic", "due_date")) == [("demo-topic", dt.date(2030, 2, 1))]
    assert list(cohort.instructors.all()) == [teacher]
    page = client.get(f"/cohorts/{cohort.pk}/").content.decode()
    assert cohort.join_code in page and f"/join/{cohort.join_code}/" in page


def test_cohort_needs_a_topic(client, teacher):
    client.force_login(teacher)
    response = client.post("/cohorts/new/", {"name": "Empty"})
    assert response.status_code == 200
    assert b"Assign at least one topic." in response.content


def test_learners_cannot_create_cohorts(learner_client):
    assert learner_client.get("/cohorts/new/").status_code == 403
    assert learner_client.post("/cohorts/new/", {"name": "x", "topic_demo-topic": "on"}).status_code == 403
    assert Cohort.objects.count() == 0


def test_join_by_code_after_signing_up_on_the_way(client, cohort):
    response = client.post("/join/", {"code": cohort.join_code.lower()})
    assert response.headers["Location"] == f"/join/{cohort.join_code}/"
    response = client.get(response.headers["Location"])
    assert response.headers["Location"] == f"/accounts/signup/?next=/join/{cohort.join_code}/"
    response = client.post(
        "/accounts/signup/",
        {"username": "new", "password1": PASSWORD, "password2": PASSWORD, "next": f"/join/{cohort.join_code}/"},
    )
    assert response.headers["Location"] == f"/join/{cohort.join_code}/"
    assert b"Join Platform team" in client.get(f"/join/{cohort.join_code}/").content
    client.post(f"/join/{cohort.join_code}/")
    assert Membership.objects.filter(cohort=cohort, user__username="new").exists()
    client.post(f"/join/{cohort.join_code}/")  # joining twice is harmless
    assert Membership.objects.filter(cohort=cohort).count() == 1


def test_wrong_code_is_404_with_a_message_and_guessing_is_throttled(learner_client):
    response = learner_client.get("/join/ZZZZZZ/")
    assert response.status_code == 404
    assert b"No cohort has that code" in response.content
    for _ in range(25):
        response = learner_client.get("/join/ZZZZZZ/")
    assert response.status_code == 429
    assert response.headers["Retry-After"]


def test_archived_cohort_takes_no_new_members(learner_client, cohort, teacher):
    cohort.archived_at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    cohort.save()
    learner_client.post(f"/join/{cohort.join_code}/")
    assert not Membership.objects.filter(cohort=cohort).exists()


def test_instructor_archives_removes_learners_and_adds_co_instructors(client, cohort, teacher, learner):
    Membership.objects.create(cohort=cohort, user=learner)
    other = user_create(username="coteacher", password=PASSWORD, instructor=True)
    client.force_login(teacher)
    client.post(f"/cohorts/{cohort.pk}/instructors/", {"username": "coteacher"})
    assert other in cohort.instructors.all()
    client.post(f"/cohorts/{cohort.pk}/instructors/", {"username": learner.username})
    assert learner not in cohort.instructors.all()  # only instructors can co-teach
    client.post(f"/cohorts/{cohort.pk}/learners/{learner.pk}/remove/")
    assert not Membership.objects.filter(cohort=cohort, user=learner).exists()
    client.post(f"/cohorts/{cohort.pk}/archive/", {"archive": "1"})
    cohort.refresh_from_db()
    assert cohort.is_archived


def test_another_instructors_cohort_is_404(client, cohort):
    stranger = user_create(username="stranger", password=PASSWORD, instructor=True)
    client.force_login(stranger)
    assert client.get(f"/cohorts/{cohort.pk}/").status_code == 404
    assert client.post(f"/cohorts/{cohort.pk}/archive/").status_code == 404
    assert client.get(f"/cohorts/{cohort.pk}/edit/").status_code == 404


def test_home_shows_assigned_topics_due_dates_progress_and_next_steps(learner_client, learner, cohort):
    Membership.objects.create(cohort=cohort, user=learner)
    learner_client.post("/topics/demo-topic/primer/read/")
    html = learner_client.get("/").content.decode()
    assert "Assigned topics" in html and "Demo Topic" in html
    assert "due 31 Jan 2030" in html
    assert "1 of 5" in html
    assert 'href="/topics/demo-topic/footguns/"' in html  # the next unread page


def test_visitors_get_the_catalogue_at_the_root(client):
    assert b"Topics" in client.get("/").content


def test_home_next_steps_cover_reading_quizzes_exercises_and_reviews(settings, learner_client, learner, teacher):
    from django.utils import timezone

    from courseware.quizzes.models import ReviewItem
    from courseware.topics import library

    settings.CONTENT_DIR = settings.BASE_DIR / "content"
    library.clear()
    real = cohort_create(instructor=teacher, name="Real course", topics=[("aws-lambda", None)])
    Membership.objects.create(cohort=real, user=learner)
    now = timezone.now()
    ReviewItem.objects.create(
        user=learner, topic="aws-lambda", quiz="basics", question_id="x", due_at=now, updated_at=now
    )
    html = learner_client.get("/").content.decode()
    assert "Read the primer" in html
    assert "Pass the quiz" in html and "/topics/aws-lambda/quizzes/" in html
    assert "Solve “" in html and "/topics/aws-lambda/exercises/" in html
    assert "Review 1 question(s)" in html
    library.clear()


def test_a_learner_leaves_a_cohort_from_their_home_and_keeps_their_progress(learner_client, learner, cohort):
    Membership.objects.create(cohort=cohort, user=learner)
    home = learner_client.get("/").content.decode()
    assert f'action="/cohorts/{cohort.pk}/leave/"' in home and 'aria-label="Leave Platform team"' in home
    response = learner_client.post(f"/cohorts/{cohort.pk}/leave/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not Membership.objects.filter(cohort=cohort, user=learner).exists()
    assert "You left “Platform team”." in learner_client.get("/").content.decode()
    assert learner_client.post(f"/cohorts/{cohort.pk}/leave/").status_code == 404  # not a member any more


def test_the_cohort_page_links_its_dashboard_and_offers_copy_buttons(client, teacher, cohort):
    client.force_login(teacher)
    page = client.get(f"/cohorts/{cohort.pk}/").content.decode()
    assert f'href="/dashboard/cohorts/{cohort.pk}/"' in page
    assert 'data-copy="#join-code" hidden>Copy code</button>' in page  # shown by the site script only
    assert 'data-copy="#join-link" hidden>Copy link</button>' in page


def test_the_live_question_picker_shows_question_text(client, teacher, cohort):
    client.force_login(teacher)
    page = client.get(f"/cohorts/{cohort.pk}/live/new/").content.decode()
    assert "Demo quiz, question 1: Which default limit cuts work off halfway?" in page
    assert "· q-single" not in page
