from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from courseware.accounts.throttle import client_address
from courseware.quizzes.services import anon_token_for
from courseware.topics.content import Topic
from courseware.topics.library import get_library

from . import selectors, services, throttle
from .content import Exercise, exercise_of, exercises_of
from .feedback import Feedback, build_feedback, highlight_file
from .forms import field_name, files_from_post, size_problem
from .models import Status, Submission, Visitor
from .production import build_panel

BUSY_STATUS = 429
HISTORY = 8


def _exercise_or_404(topic: str, exercise: str) -> tuple[Topic, Exercise]:
    topic_obj = get_library().topic(topic)
    if topic_obj is None:
        raise Http404("No such topic")
    found = exercise_of(topic_obj, exercise)
    if found is None:
        raise Http404("No such exercise")
    return topic_obj, found


def _editors(exercise: Exercise, files: dict[str, str]) -> list[dict]:
    editors = []
    for index, path in enumerate(exercise.paths):
        text = files.get(path, "")
        editors.append(
            {
                "id": field_name(index),
                "path": path,
                "text": text,
                "rows": min(40, max(10, text.count("\n") + 2)),
                "lines": "\n".join(str(n) for n in range(1, text.count("\n") + 2)),
            }
        )
    return editors


def _feedback(submission: Submission | None, exercise: Exercise) -> Feedback | None:
    if submission is None or not submission.is_finished:
        return None
    return build_feedback(submission=submission, exercise=exercise, library=get_library())


def _learner(request: HttpRequest):
    """The signed-in learner, or the visitor known by their session's token (an AnonymousUser without one)."""
    if request.user.is_authenticated:
        return request.user
    token = anon_token_for(request.session, create=False)
    return Visitor(token) if token else request.user


def _context(request: HttpRequest, topic: Topic, exercise: Exercise, **overrides) -> dict:
    learner = _learner(request)
    workspace = selectors.workspace_for(user=learner, exercise=exercise)
    kept = None if request.user.is_authenticated else services.session_draft(session=request.session, exercise=exercise)
    files = overrides.pop("files", None) or kept or workspace.files
    latest = overrides.pop("submission", workspace.latest)
    status = (
        selectors.status_of(workspace)
        if workspace.latest or workspace.from_draft or workspace.passed
        else (selectors.NOT_STARTED)
    )
    n = exercise.solution_after_failed_checks
    context = {
        "topic": topic,
        "exercise": exercise,
        "workspace": workspace,
        "editors": _editors(exercise, files),
        "feedback": _feedback(latest, exercise),
        "status": status,
        "status_label": selectors.STATUS_LABELS[status],
        "hints": exercise.hints[: workspace.hints_revealed],
        "next_hint": exercise.hint(workspace.hints_revealed + 1),
        "failed_until_solution": max(0, n - workspace.failed_checks) if n else None,
        "history": selectors.submissions_of(user=learner, exercise=exercise, limit=HISTORY)
        if learner.is_authenticated or isinstance(learner, Visitor)
        else [],
        "error": None,
    }
    context.update(overrides)
    return context


def _check_result(topic: Topic, exercise: Exercise, submission: Submission) -> dict:
    """What the htmx answer to a check needs: the feedback and the hints/solution panel, in one query."""
    progress = selectors.progress_for(user=submission.owner, exercise=exercise)
    hints = min(submission.hints_used, len(exercise.hints))
    n = exercise.solution_after_failed_checks
    return {
        "topic": topic,
        "exercise": exercise,
        "workspace": progress,
        "feedback": _feedback(submission, exercise),
        "hints": exercise.hints[:hints],
        "next_hint": exercise.hint(hints + 1),
        "failed_until_solution": max(0, n - progress.failed_checks) if n else None,
        "history": selectors.submissions_of(user=submission.owner, exercise=exercise, limit=HISTORY),
        "error": None,
    }


@require_GET
def exercise_list(request: HttpRequest, topic: str) -> HttpResponse:
    topic_obj = get_library().topic(topic)
    if topic_obj is None:
        raise Http404("No such topic")
    statuses = selectors.exercise_status_for(user=request.user, topic=topic_obj)
    items = [(e, statuses[e.slug], selectors.STATUS_LABELS[statuses[e.slug]]) for e in exercises_of(topic_obj)]
    return render(request, "exercises/list.html", {"topic": topic_obj, "items": items})


@require_GET
def exercise_detail(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    return render(request, "exercises/detail.html", _context(request, topic_obj, exercise_obj))


def _refused(
    request: HttpRequest, topic: Topic, exercise: Exercise, files: dict[str, str], message: str, status: int,
    retry_after: int | None = None,
) -> HttpResponse:  # fmt: skip
    """A check that did not run: the message, the learner's text kept, never lost."""
    if request.htmx:
        context = {"topic": topic, "exercise": exercise, "feedback": None, "error": message}
        response = render(request, "exercises/detail.html#feedback", context, status=status)
    else:
        context = _context(request, topic, exercise, files=files, error=message, submission=None)
        response = render(request, "exercises/detail.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def exercise_check(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    files = files_from_post(exercise_obj, request.POST)
    problem = size_problem(files)
    if problem:
        return _refused(request, topic_obj, exercise_obj, files, problem, 413)
    learner = request.user
    if not learner.is_authenticated:
        # A visitor's check is keyed to their session; edits stay in the session, checks move in at sign-up.
        learner = Visitor(anon_token_for(request.session, create=True))
        services.session_draft_save(session=request.session, exercise=exercise_obj, files=files)
    # Visitors have their own, stricter allowance (per session and per address); learners keep theirs.
    visitor = isinstance(learner, Visitor)
    if visitor:
        allowance = throttle.visitor_allowance(learner.token, client_address(request))
    else:
        allowance = throttle.check_allowance(learner.pk)
    if not allowance.allowed:
        if not visitor:
            services.draft_save(user=learner, exercise=exercise_obj, files=files)
        limit = throttle.visitor_checks_per_minute() if visitor else throttle.checks_per_minute()
        message = (
            f"You have checked {limit} times in the last minute, which is the limit"
            f"{' for visitors (sign in for more)' if visitor else ''}. "
            f"Your files are saved; check again in {allowance.retry_after_s} seconds."
        )
        return _refused(request, topic_obj, exercise_obj, files, message, BUSY_STATUS, allowance.retry_after_s)
    submission = services.submission_check(user=learner, exercise=exercise_obj, files=files)
    if submission.status == Status.BUSY:
        message = f"{submission.message} Your files are saved; this does not count as an attempt."
        return _refused(request, topic_obj, exercise_obj, files, message, BUSY_STATUS, submission.retry_after_s or 1)
    if request.htmx:
        return render(request, "exercises/detail.html#check-result", _check_result(topic_obj, exercise_obj, submission))
    return redirect(reverse("exercises:detail", args=[topic_obj.slug, exercise_obj.slug]) + "#feedback")


@require_POST
@login_required
def exercise_reset(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    _topic, exercise_obj = _exercise_or_404(topic, exercise)
    services.draft_discard(user=request.user, exercise=exercise_obj)
    return redirect("exercises:detail", topic, exercise)


@require_POST
def draft_autosave(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    _topic, exercise_obj = _exercise_or_404(topic, exercise)
    files = files_from_post(exercise_obj, request.POST)
    if size_problem(files):
        return HttpResponse("Draft not saved: a file is over the size limit.", status=413)
    if request.user.is_authenticated:
        services.draft_save(user=request.user, exercise=exercise_obj, files=files)
    else:  # kept in this browser's session until the visitor signs in or signs up
        services.session_draft_save(session=request.session, exercise=exercise_obj, files=files)
    if request.htmx:
        return render(request, "exercises/detail.html#draft-status", {"draft_saved_at": timezone.now()})
    return redirect("exercises:detail", topic, exercise)


@require_POST
@login_required
def hint_reveal(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    services.hint_reveal_next(user=request.user, exercise=exercise_obj)
    if request.htmx:
        return render(request, "exercises/detail.html#assist", _context(request, topic_obj, exercise_obj))
    return redirect(reverse("exercises:detail", args=[topic, exercise]) + "#hints")


@require_GET
@login_required
def solution(request: HttpRequest, topic: str, exercise: str) -> HttpResponse:
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    workspace = selectors.workspace_for(user=request.user, exercise=exercise_obj)
    context = {
        "topic": topic_obj,
        "exercise": exercise_obj,
        "workspace": workspace,
        "solution_files": [
            (f.path, highlight_file(f, (), f"solution-{index}")) for index, f in enumerate(exercise_obj.solution)
        ]
        if workspace.solution_unlocked
        else [],
    }
    status = 200 if workspace.solution_unlocked else 403
    template = "exercises/solution.html#solution" if request.htmx else "exercises/solution.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def submission_detail(request: HttpRequest, topic: str, exercise: str, pk: int) -> HttpResponse:
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    submission = selectors.submission_of(user=request.user, pk=pk)
    if submission.topic != topic_obj.slug or submission.exercise != exercise_obj.slug:
        raise Http404("No such submission")
    context = {
        "topic": topic_obj,
        "exercise": exercise_obj,
        "submission": submission,
        "feedback": _feedback(submission, exercise_obj),
        "error": None,
    }
    return render(request, "exercises/submission.html", context)


@require_GET
def submission_production(request: HttpRequest, topic: str, exercise: str, pk: int) -> HttpResponse:
    """ "In production": the exercise's scenario on the starter and on this check's files, side by side.

    Loaded by htmx after the verdict is on the page; when the simulation cannot run, the htmx answer is empty and
    the slot disappears (the verdict never depends on it). Without JavaScript it is a page of its own.
    """
    topic_obj, exercise_obj = _exercise_or_404(topic, exercise)
    learner = _learner(request)
    if not (learner.is_authenticated or isinstance(learner, Visitor)):
        raise Http404("No such submission")
    submission = selectors.submission_of(user=learner, pk=pk)
    scenario = topic_obj.scenarios.get(exercise_obj.scenario or "")
    if submission.topic != topic_obj.slug or submission.exercise != exercise_obj.slug or scenario is None:
        raise Http404("No such submission")
    panel = None
    if submission.status == Status.OK:
        learner_key = f"visitor:{learner.token}" if isinstance(learner, Visitor) else str(learner.pk)
        mine = services.run_simulation(
            exercise=exercise_obj, scenario=scenario, files=submission.files, learner_key=learner_key
        )
        if mine is not None:
            starter = services.starter_simulation(exercise=exercise_obj, scenario=scenario)
            panel = build_panel(
                starter, mine, title=scenario.title, description=scenario.description,
                left_label="The starter", right_label="Your files",
            )  # fmt: skip
    if request.htmx:
        if panel is None:
            return HttpResponse("")
        return render(request, "exercises/production.html#panel", {"panel": panel})
    context = {"topic": topic_obj, "exercise": exercise_obj, "submission": submission, "panel": panel}
    return render(request, "exercises/production.html", context)


@require_GET
def story_replay(request: HttpRequest, topic: str) -> HttpResponse:
    """The anti-primer's night replayed: the broken stack, then the fixed one, under the story's traffic."""
    topic_obj = get_library().topic(topic)
    replay = services.story_replay(topic=topic_obj) if topic_obj is not None else None
    if replay is None:
        raise Http404("This topic's story has no scenario to replay")
    broken, fixed, exercise_obj = replay
    scenario = topic_obj.scenarios[exercise_obj.scenario]
    panel = build_panel(
        broken, fixed, title=scenario.title, description=scenario.description,
        left_label="As deployed on Friday", right_label="The primer's way",
    )  # fmt: skip
    context = {"topic": topic_obj, "panel": panel, "exercise": exercise_obj}
    if request.htmx:
        return render(request, "exercises/replay.html#replay", context)
    return render(request, "exercises/replay.html", context)


def hub_section(request: HttpRequest, topic: Topic) -> str:
    exercises = exercises_of(topic)
    if not exercises:
        return ""
    statuses = selectors.exercise_status_for(user=request.user, topic=topic)
    items = [(e, statuses[e.slug], selectors.STATUS_LABELS[statuses[e.slug]]) for e in exercises]
    return render_to_string("exercises/hub_section.html", {"topic": topic, "items": items}, request=request)
