from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from courseware.accounts.services import user_create
from courseware.cohorts.services import cohort_create, cohort_join
from courseware.live.services import live_session_create

PASSWORD = "a long test passphrase"
QUESTIONS = ["demo-topic/demo#q-single", "demo-topic/demo#q-true-false", "demo-topic/demo#q-multiple"]


@pytest.fixture(autouse=True)
def _content(fixture_content):
    return fixture_content


@pytest.fixture
def teacher(db):
    cache.clear()  # the throttle counters live in the (database) cache
    return user_create(username="teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def other_teacher(db):
    return user_create(username="other-teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def cohort(teacher):
    return cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 1, 31))])


@pytest.fixture
def member(cohort):
    user = user_create(username="mia", password=PASSWORD)
    cohort_join(user=user, cohort=cohort)
    return user


@pytest.fixture
def outsider(db):
    return user_create(username="otto", password=PASSWORD)


@pytest.fixture
def make_session(cohort, teacher):
    def make(**kwargs):
        options = {"title": "Monday quiz", "questions": QUESTIONS, "question_seconds": 30} | kwargs
        return live_session_create(cohort=cohort, instructor=teacher, **options)

    return make


@pytest.fixture
def session(make_session):
    return make_session(allow_guests=True)


@pytest.fixture(autouse=True)
def _fresh_poll_caches():
    """Each process keeps what learners' polls read in memory (live.selectors): start every test without it."""
    from courseware.live import views
    from courseware.live.selectors import poll_caches_clear

    poll_caches_clear()
    views._open_stages.clear()
    yield
    poll_caches_clear()
    views._open_stages.clear()
