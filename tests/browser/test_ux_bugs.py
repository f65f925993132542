"""Issue 15's bugs, as a learner and an instructor meet them in Chromium: each test failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db(transaction=True)]

PASSWORD = "a long keyboard passphrase"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.fixture
def teacher():
    from courseware.accounts.services import user_create

    return user_create(username="teacher", password=PASSWORD, instructor=True)


@pytest.fixture
def student():
    from courseware.accounts.services import user_create

    return user_create(username="lena", password=PASSWORD)


def test_editing_a_cohort_keeps_its_due_dates(page, teacher):
    from courseware.cohorts.services import cohort_create

    cohort = cohort_create(instructor=teacher, name="Platform team", topics=[("demo-topic", dt.date(2030, 12, 31))])
    log_in(page, "teacher")
    page.goto(f"/cohorts/{cohort.pk}/edit/")
    due = page.get_by_label("Due date for Demo Topic (optional)")
    assert due.input_value() == "2030-12-31"  # the browser shows the date, not a blank field
    page.get_by_label("Name").fill("Platform team, renamed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    cohort.refresh_from_db()
    assert cohort.name == "Platform team, renamed"
    assert list(cohort.topics.values_list("topic", "due_date")) == [("demo-topic", dt.date(2030, 12, 31))]
    page.problems.assert_clean()
