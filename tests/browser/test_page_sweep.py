"""Every page of the real course, as a visitor, a learner and an instructor see it, at 1280 and 360 px: no
serious or critical axe violation and no sideways scrolling (issue 15, bugs 3 and 4)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone

from tests.browser.sweep import page_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long sweeping passphrase"
WIDTHS = (1280, 360)
TOPIC = "/topics/aws-lambda"

VISITOR_PAGES = [
    "/",
    "/topics/",
    f"{TOPIC}/",
    f"{TOPIC}/primer/",
    f"{TOPIC}/footguns/",
    f"{TOPIC}/street_ops/",
    f"{TOPIC}/anti_primer/",
    f"{TOPIC}/trivia/",
    f"{TOPIC}/anti_primer/drill/",
    f"{TOPIC}/anti_primer/drill/?path=sp",
    f"{TOPIC}/exercises/",
    f"{TOPIC}/exercises/importer-timeout/",
    f"{TOPIC}/quizzes/operations/",
    "/accounts/login/",
    "/accounts/signup/",
    "/join/",
    "/live/",
    "/no-such-page/",
]


@pytest.fixture
def course(live_server):
    """The real course, with a learner who has history and an instructor whose cohort has a dozen learners."""
    from django.core.management import call_command

    from courseware.accounts.services import user_create
    from courseware.cohorts.models import Cohort
    from courseware.cohorts.services import cohort_join
    from courseware.topics import library

    library.clear()
    call_command("generate_cohort_history", learners=12, seed=3, name="Sweep cohort", stdout=io.StringIO())
    cohort = Cohort.objects.get(name="Sweep cohort")
    teacher = user_create(username="teacher", password=PASSWORD, instructor=True)
    cohort.instructors.add(teacher)
    learner = user_create(username="lena", password=PASSWORD)
    cohort_join(user=learner, cohort=cohort)
    from courseware.live.services import live_session_create
    from courseware.quizzes.models import ReviewItem

    live = live_session_create(
        cohort=cohort,
        instructor=teacher,
        title="Sweep quiz",
        questions=["aws-lambda/basics#q-lifecycle-order"],
        question_seconds=60,
        allow_guests=True,
    )
    now = timezone.now()
    ReviewItem.objects.create(
        user=learner, topic="aws-lambda", quiz="basics", question_id="q-lifecycle-order", due_at=now, updated_at=now
    )
    yield {"cohort": cohort, "learner": learner, "live": live}
    library.clear()


def logged_in(browser, live_server, username: str, width: int):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    if username:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
    return context, page


def sweep(page, paths, problems, width):
    for path in paths:
        page.goto(path)
        problems += [f"{width} {path}: {p}" for p in page_report(page)]


def test_every_page_passes_axe_and_fits_at_1280_and_360_px(chromium_browser, live_server, course):
    problems: list[str] = []
    cohort = course["cohort"]
    for width in WIDTHS:
        context, page = logged_in(chromium_browser, live_server, "", width)
        sweep(page, VISITOR_PAGES, problems, width)
        context.close()

        context, page = logged_in(chromium_browser, live_server, "lena", width)
        learner_pages = [
            "/",
            "/review/",
            "/review/aws-lambda/basics/q-lifecycle-order/",
            "/accounts/password/",
            "/accounts/password/done/",
            f"/join/{cohort.join_code}/",
            "/dashboard/",  # the 403 page
            f"/live/{course['live'].code}/",
            f"{TOPIC}/exercises/importer-timeout/solution/",
        ]
        sweep(page, learner_pages, problems, width)
        # The operations quiz: the attempt with feedback shown, then the result.
        page.goto(f"{TOPIC}/quizzes/operations/")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Start")).click()
        page.locator("input[name='value']").first.fill("360")
        page.get_by_role("button", name="Check answer").first.click()
        page.locator(".feedback").first.wait_for()
        problems += [f"{width} quiz attempt: {p}" for p in page_report(page)]
        with page.expect_navigation():
            page.get_by_role("button", name="Finish and see results").click()
        problems += [f"{width} quiz result: {p}" for p in page_report(page)]
        # An exercise: a check's feedback and two hints.
        page.goto(f"{TOPIC}/exercises/importer-timeout/")
        page.get_by_role("button", name="Check", exact=True).click()
        page.locator("#feedback .verdict").wait_for()
        if width == WIDTHS[0]:
            page.get_by_role("button", name=re.compile("^Show hint 1")).click()
        page.locator(".hint").first.wait_for()
        problems += [f"{width} exercise feedback: {p}" for p in page_report(page)]
        page.locator("a[href*='/submissions/']").first.click()
        page.wait_for_load_state()
        problems += [f"{width} submission: {p}" for p in page_report(page)]
        context.close()

        context, page = logged_in(chromium_browser, live_server, "teacher", width)
        learner_id = cohort.memberships.exclude(user__username="lena").first().user_id
        base = f"/dashboard/cohorts/{cohort.pk}/"
        instructor_pages = [
            "/",
            "/cohorts/",
            "/cohorts/new/",
            f"/cohorts/{cohort.pk}/",
            f"/cohorts/{cohort.pk}/edit/",
            "/dashboard/",
            base,
            base + "footguns/",
            base + "questions/",
            base + "exercises/",
            f"/cohorts/{cohort.pk}/live/new/",
            base + f"learners/{learner_id}/",
            f"/live/host/{course['live'].pk}/",
        ]
        from courseware.exercises.models import Submission

        submission = Submission.objects.filter(user_id=learner_id).first()
        if submission is not None:
            instructor_pages.append(base + f"learners/{learner_id}/submissions/{submission.pk}/")
        sweep(page, instructor_pages, problems, width)
        # A flash message shows after saving the cohort.
        page.goto(f"/cohorts/{cohort.pk}/edit/")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        problems += [f"{width} flash message: {p}" for p in page_report(page)]
        context.close()
    assert problems == [], "\n".join(problems)
