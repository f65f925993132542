"""The dashboard tests' world: an instructor teaching a cohort the AWS Lambda topic (modules may narrow or widen it)."""

from __future__ import annotations

import pytest

from courseware.accounts.services import user_create
from courseware.cohorts.services import cohort_create
from courseware.topics.library import get_library

PASSWORD = "a long test passphrase"


@pytest.fixture
def topic():
    return get_library().topic("aws-lambda")


@pytest.fixture
def teacher():
    return user_create(username="teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def cohort(teacher):
    return cohort_create(instructor=teacher, name="Platform team", topics=[("aws-lambda", None)])
