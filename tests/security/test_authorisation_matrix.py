"""The authorisation matrix, generated from the URLconf.

Every named URL must be listed in POLICY (a new view without a policy fails `test_every_url_has_a_policy`).
Each policy says, for the six roles, whether the request is allowed or how it is refused. For URLs that take
an object id, objects belong to one cohort; a refused object is always 404 (its existence is not disclosed),
never 403, and never data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from courseware.accounts.services import user_create
from courseware.cohorts.models import Membership
from courseware.cohorts.services import cohort_create
from courseware.exercises.content import exercises_of
from courseware.exercises.models import Submission
from courseware.live.services import live_join, live_session_create
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.services import attempt_start
from courseware.topics.library import get_library

ROLES = ("anonymous", "learner_in", "learner_out", "instructor_of", "instructor_other", "staff")
PASSWORD = "a long test passphrase"

# Outcomes: "ok" = allowed (any status except a refusal or a server error), "login" = redirect to log in,
# "404", "403".
OK, LOGIN, NOT_FOUND, FORBIDDEN = "ok", "login", "404", "403"


@dataclass(frozen=True)
class Policy:
    method: str
    kwargs: str  # a key of Scenario.kwargs
    expect: dict[str, str] = field(default_factory=dict)
    data: dict | None = None

    def outcome(self, role: str) -> str:
        return self.expect.get(role, self.expect.get("*", OK))


def everyone(method="GET", kwargs="none", **over) -> Policy:
    return Policy(method, kwargs, {"*": OK, **over})


def signed_in(method="GET", kwargs="none", **over) -> Policy:
    return Policy(method, kwargs, {"*": OK, "anonymous": LOGIN, **over})


def instructors(method="GET", kwargs="none", learner=FORBIDDEN) -> Policy:
    return Policy(method, kwargs, {"*": OK, "anonymous": LOGIN, "learner_in": learner, "learner_out": learner})


def cohort_owned(method="GET", kwargs="cohort", anonymous=LOGIN) -> Policy:
    """Only instructors of the cohort; everybody else gets 404 (anonymous: log in first)."""
    return Policy(method, kwargs, {"*": NOT_FOUND, "anonymous": anonymous, "instructor_of": OK})


def learner_owned(method="GET", kwargs="attempt", anonymous=NOT_FOUND) -> Policy:
    """Only the learner who made it; everybody else, instructors included, gets 404 here (instructors read it
    through the dashboard)."""
    return Policy(method, kwargs, {"*": NOT_FOUND, "anonymous": anonymous, "learner_in": OK})


POLICY: dict[str, Policy] = {
    "home": everyone(),
    "healthz": everyone(),
    "livez": everyone(),
    "pygments_css": everyone(),
    "accounts:login": everyone(),
    "accounts:logout": everyone("POST"),
    "accounts:signup": everyone(),
    "accounts:password_change": signed_in(),
    "accounts:password_change_done": signed_in(),
    "topics:catalogue": everyone(),
    "topics:hub": everyone(kwargs="topic"),
    "topics:page": everyone(kwargs="page"),
    "topics:drill": everyone(kwargs="topic"),
    "topics:mark_read": signed_in("POST", kwargs="page"),
    "quizzes:quiz": everyone(kwargs="quiz"),
    "quizzes:start": everyone("POST", kwargs="quiz"),
    "quizzes:attempt": learner_owned(),
    "quizzes:answer": learner_owned("POST", kwargs="answer"),
    "quizzes:finish": learner_owned("POST"),
    "quizzes:result": learner_owned(),
    "quizzes:review": signed_in(),
    "quizzes:review_question": Policy("GET", "review", {"*": NOT_FOUND, "anonymous": LOGIN, "learner_in": OK}),
    "exercises:list": everyone(kwargs="topic"),
    "exercises:detail": everyone(kwargs="exercise"),
    "exercises:check": everyone("POST", kwargs="exercise"),  # a visitor checks too, keyed to the session
    "exercises:reset": signed_in("POST", kwargs="exercise"),
    "exercises:draft": everyone("POST", kwargs="exercise"),  # a visitor's edits are kept in the session
    "exercises:hint": signed_in("POST", kwargs="exercise"),
    "exercises:solution": signed_in(kwargs="exercise"),
    "exercises:submission": learner_owned(kwargs="submission", anonymous=LOGIN),
    # A visitor's own checks are keyed to the session, so an anonymous request without one finds nothing.
    "exercises:production": learner_owned(kwargs="submission", anonymous=NOT_FOUND),
    "exercises:replay": everyone(kwargs="topic"),
    "cohorts:list": signed_in(),
    "cohorts:create": instructors(),
    "cohorts:detail": cohort_owned(),
    "cohorts:edit": cohort_owned(),
    "cohorts:remove_learner": cohort_owned("POST", kwargs="cohort_learner"),
    "cohorts:add_instructor": cohort_owned("POST"),
    "cohorts:archive": cohort_owned("POST"),
    "cohorts:leave": Policy("POST", "cohort", {"*": NOT_FOUND, "anonymous": LOGIN, "learner_in": OK}),  # members
    "cohorts:join": everyone(),
    "cohorts:join_code": Policy("GET", "join_code", {"*": OK, "anonymous": "signup"}),
    "live:new": cohort_owned(),
    "live:host": cohort_owned(kwargs="live_pk"),
    "live:host_stage": cohort_owned(kwargs="live_pk"),
    "live:host_action": cohort_owned("POST", kwargs="live_action"),
    "live:host_remove": cohort_owned("POST", kwargs="live_participant"),
    "live:host_lobby": cohort_owned("POST", kwargs="live_pk"),
    "live:host_report": cohort_owned(kwargs="live_pk"),
    "live:enter": everyone(),
    "live:learner": Policy("GET", "live_code", {"*": OK}),
    "live:join": Policy("POST", "live_code", {"*": OK}),
    # Only participants of the live session may poll it or answer; anyone else is refused with a message.
    # Someone not in the session gets what a wrong code gets: 404, so neither tells a real code from a wrong one.
    "live:learner_stage": Policy("GET", "live_code", {"*": NOT_FOUND, "learner_in": OK}),
    "live:answer": Policy("POST", "live_code", {"*": NOT_FOUND, "learner_in": OK}),
    "live:check": Policy("POST", "live_code", {"*": NOT_FOUND, "learner_in": OK}),
    "dashboard:index": instructors(),
    "dashboard:matrix": cohort_owned(),
    "dashboard:matrix_csv": cohort_owned(),
    "dashboard:heatmap": cohort_owned(),
    "dashboard:questions": cohort_owned(),
    "dashboard:questions_csv": cohort_owned(),
    "dashboard:exercises": cohort_owned(),
    "dashboard:learner": cohort_owned(kwargs="cohort_learner"),
    "dashboard:submission": cohort_owned(kwargs="cohort_submission"),
}


def named_urls():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_has_a_policy():
    missing = [name for name in named_urls() if name not in POLICY]
    stale = [name for name in POLICY if name not in named_urls()]
    assert missing == [], f"add these URLs to POLICY with their owner and role: {missing}"
    assert stale == [], f"these POLICY entries name no URL: {stale}"


class Scenario:
    def __init__(self) -> None:
        library = get_library()
        self.topic = library.topic("aws-lambda")
        self.users = {
            "learner_in": user_create(username="learner_in", password=PASSWORD),
            "learner_out": user_create(username="learner_out", password=PASSWORD),
            "instructor_of": user_create(username="instructor_of", password=PASSWORD, instructor=True),
            "instructor_other": user_create(username="instructor_other", password=PASSWORD, instructor=True),
            "staff": user_create(username="staff", password=PASSWORD, staff=True),
        }
        self.cohort = cohort_create(instructor=self.users["instructor_of"], name="In", topics=[("aws-lambda", None)])
        cohort_create(instructor=self.users["instructor_other"], name="Other", topics=[("aws-lambda", None)])
        Membership.objects.create(cohort=self.cohort, user=self.users["learner_in"])
        quiz = next(iter(quizzes_of(self.topic).values()))
        question = quiz.questions[0]
        self.attempt = attempt_start(quiz=quiz, user=self.users["learner_in"])
        exercise = exercises_of(self.topic)[0]
        # Enough failed checks that every signed-in role may see the solution: the matrix is about who may ask,
        # not about unlocking (an empty check used to pass and unlock it; requirements now refuse it).
        for role, user in self.users.items():
            first = 2 if role == "learner_in" else 1
            for number in range(first, exercise.solution_after_failed_checks + 1):
                Submission.objects.create(
                    user=user, topic="aws-lambda", exercise=exercise.slug, files={}, status="ok",
                    counts_as_attempt=True, check_number=number, content_hash="h", report={"version": 1, "files": []},
                )  # fmt: skip
        self.submission = Submission.objects.create(
            user=self.users["learner_in"],
            topic="aws-lambda",
            exercise=exercise.slug,
            files={},
            status="ok",
            counts_as_attempt=True,
            check_number=1,
            content_hash="h",
            report={"version": 1, "files": []},
        )
        from courseware.quizzes.models import ReviewItem

        now = timezone.now()
        ReviewItem.objects.create(
            user=self.users["learner_in"],
            topic="aws-lambda",
            quiz=quiz.slug,
            question_id=question.id,
            due_at=now,
            updated_at=now,
        )
        self.live = live_session_create(
            cohort=self.cohort,
            instructor=self.users["instructor_of"],
            title="Live",
            questions=[f"aws-lambda/{quiz.slug}#{question.id}"],
        )
        self.participant = live_join(session=self.live, user=self.users["learner_in"])
        base = {"topic": "aws-lambda"}
        self.kwargs = {
            "none": {},
            "topic": base,
            "page": {**base, "kind": "primer"},
            "quiz": {**base, "quiz": quiz.slug},
            "attempt": {**base, "quiz": quiz.slug, "attempt": self.attempt.pk},
            "answer": {**base, "quiz": quiz.slug, "attempt": self.attempt.pk, "question": question.id},
            "review": {**base, "quiz": quiz.slug, "question": question.id},
            "exercise": {**base, "exercise": exercise.slug},
            "submission": {**base, "exercise": exercise.slug, "pk": self.submission.pk},
            "cohort": {"pk": self.cohort.pk},
            "cohort_learner": {"pk": self.cohort.pk, "user_id": self.users["learner_in"].pk},
            "cohort_submission": {
                "pk": self.cohort.pk,
                "user_id": self.users["learner_in"].pk,
                "submission_id": self.submission.pk,
            },
            "join_code": {"code": self.cohort.join_code},
            "live_pk": {"pk": self.live.pk},
            "live_action": {"pk": self.live.pk, "action": "start"},
            "live_code": {"code": self.live.code},
            "live_participant": {"pk": self.live.pk, "participant_pk": self.participant.pk},
        }

    def restore(self) -> None:
        """Undo what a destructive request did (remove a learner, leave, archive), so later URLs see the same world."""
        Membership.objects.get_or_create(cohort=self.cohort, user=self.users["learner_in"])
        type(self.cohort).objects.filter(pk=self.cohort.pk).update(archived_at=None)
        type(self.participant).objects.filter(pk=self.participant.pk).update(removed=False)
        type(self.live).objects.filter(pk=self.live.pk).update(lobby_locked=False)


@pytest.fixture
def scenario(db):
    cache.clear()
    return Scenario()


def refusal(response) -> str:
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        if "/accounts/login/" in location:
            return LOGIN
        if "/accounts/signup/" in location:
            return "signup"
        return OK
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 403:
        return FORBIDDEN
    assert response.status_code < 500, f"server error {response.status_code}"
    return OK


@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(client, scenario, role):
    from django.urls import reverse

    if role != "anonymous":
        client.force_login(scenario.users[role])
    wrong = []
    for name in named_urls():
        policy = POLICY[name]
        url = reverse(name, kwargs=scenario.kwargs[policy.kwargs])
        call = client.post if policy.method == "POST" else client.get
        response = call(url, policy.data or {})
        got = refusal(response)
        if got != policy.outcome(role):
            wrong.append(
                f"{policy.method} {url} ({name}): expected {policy.outcome(role)}, got {got} [{response.status_code}]"
            )
        scenario.restore()
        if role != "anonymous" and not client.session.get("_auth_user_id"):
            client.force_login(scenario.users[role])  # e.g. after POST /accounts/logout/
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ["learner_out", "instructor_other"])
def test_no_page_of_another_cohort_leaks_its_learners(client, scenario, role):
    client.force_login(scenario.users[role])
    for path in (f"/dashboard/cohorts/{scenario.cohort.pk}/", f"/cohorts/{scenario.cohort.pk}/"):
        assert b"learner_in" not in client.get(path).content


def test_failed_authorisation_is_logged(client, scenario, caplog):
    client.force_login(scenario.users["instructor_other"])
    with caplog.at_level("WARNING", logger="django.request"):
        client.get(f"/dashboard/cohorts/{scenario.cohort.pk}/")
    assert any(re.search(r"Not Found: /dashboard/cohorts/\d+/", r.getMessage()) for r in caplog.records)
