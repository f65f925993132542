from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseware.accounts.roles import is_instructor
from courseware.accounts.throttle import client_address
from courseware.ratelimit import limiter
from courseware.site import absolute_url
from courseware.topics.library import get_library

from . import selectors, services
from .forms import AddInstructorForm, CohortForm, JoinForm
from .links import cohort_links
from .models import Cohort, normalise_code

JOIN_FAILURE_LIMIT = 20
JOIN_FAILURE_WINDOW = 600


def _instructor_required(request: HttpRequest) -> None:
    if not is_instructor(request.user):
        raise PermissionDenied("Only instructors can do this.")


def _taught_cohort(request: HttpRequest, pk: int) -> Cohort:
    # Another instructor's cohort is 404, never 403: its existence is not disclosed.
    return get_object_or_404(Cohort.objects.taught_by(request.user), pk=pk)


@require_GET
@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    context = {
        "taught": selectors.cohorts_for_instructor(user=request.user) if is_instructor(request.user) else [],
        "joined": selectors.cohorts_for_learner(user=request.user),
        "topics": get_library().topics,
    }
    return render(request, "cohorts/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cohort_create(request: HttpRequest) -> HttpResponse:
    _instructor_required(request)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(instructor=request.user, name=form.cleaned_data["name"], topics=form.topics())
        messages.success(request, f"Cohort “{cohort.name}” created. Share the join code {cohort.join_code}.")
        return redirect("cohorts:detail", pk=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "title": "New cohort"})


@require_GET
@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    library = get_library()
    context = {
        "cohort": cohort,
        "assigned": [(a, library.topic(a.topic)) for a in cohort.topics.all()],
        "members": cohort.memberships.select_related("user").order_by("user__username"),
        "instructors": cohort.instructors.order_by("username"),
        "join_url": absolute_url(request, reverse("cohorts:join_code", args=[cohort.join_code])),
        "instructor_form": AddInstructorForm(),
        "cohort_links": cohort_links(cohort),
    }
    return render(request, "cohorts/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    initial = {a.topic: a.due_date for a in cohort.topics.all()}
    form = CohortForm(request.POST or None, initial={"name": cohort.name}, initial_topics=initial)
    if request.method == "POST" and form.is_valid():
        cohort.name = form.cleaned_data["name"]
        cohort.save(update_fields=["name"])
        services.cohort_set_topics(cohort=cohort, topics=form.topics())
        messages.success(request, "Cohort updated.")
        return redirect("cohorts:detail", pk=cohort.pk)
    return render(request, "cohorts/form.html", {"form": form, "title": f"Edit {cohort.name}", "cohort": cohort})


@require_POST
@login_required
def cohort_remove_learner(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    learner = get_object_or_404(User, pk=user_id, memberships__cohort=cohort)
    services.cohort_remove_learner(cohort=cohort, user=learner)
    messages.success(request, f"{learner.get_username()} was removed from the cohort.")
    return redirect("cohorts:detail", pk=cohort.pk)


@require_POST
@login_required
def cohort_add_instructor(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    form = AddInstructorForm(request.POST)
    if form.is_valid():
        try:
            added = services.cohort_add_instructor(cohort=cohort, username=form.cleaned_data["username"])
            messages.success(request, f"{added.get_username()} now co-teaches this cohort.")
        except services.CohortError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Give a username.")
    return redirect("cohorts:detail", pk=cohort.pk)


@require_POST
@login_required
def cohort_archive(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    archive = request.POST.get("archive", "1") == "1"
    services.cohort_archive(cohort=cohort, archived=archive)
    messages.success(request, "Cohort archived." if archive else "Cohort restored.")
    return redirect("cohorts:detail", pk=cohort.pk)


def _join_failures_key(request: HttpRequest) -> str:
    return f"{request.user.pk}\0{client_address(request)}"


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        return redirect("cohorts:join_code", code=code or "-")
    return render(request, "cohorts/join.html", {"form": form})


@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        messages.info(request, "Sign up or log in to join the cohort; you will come back here.")
        return redirect(f"{reverse('accounts:signup')}?next={request.path}")
    key = _join_failures_key(request)
    guesses = limiter.peek("join-failures", key, limit=JOIN_FAILURE_LIMIT)
    if not guesses.allowed:
        response = render(
            request, "cohorts/join.html", {"form": JoinForm(), "error": "Too many wrong codes. Wait a few minutes."}
        )
        response.status_code = 429
        response["Retry-After"] = str(guesses.retry_after_s)
        return response
    cohort = Cohort.objects.filter(join_code=normalise_code(code)).first()
    if cohort is None:
        # Only wrong codes count, so joining a real cohort is never limited.
        limiter.hit("join-failures", key, limit=JOIN_FAILURE_LIMIT, window_s=JOIN_FAILURE_WINDOW)
        response = render(
            request,
            "cohorts/join.html",
            {
                "form": JoinForm(initial={"code": code}),
                "error": "No cohort has that code. Check it with your instructor.",
            },
        )
        response.status_code = 404
        return response
    if request.method == "POST":
        try:
            services.cohort_join(user=request.user, cohort=cohort)
        except services.CohortError as exc:
            messages.error(request, str(exc))
            return redirect("cohorts:join")
        messages.success(request, f"You joined {cohort.name}.")
        return redirect("home")
    already = cohort.memberships.filter(user=request.user).exists()
    return render(request, "cohorts/join_confirm.html", {"cohort": cohort, "already": already})


@require_POST
@login_required
def cohort_leave(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.joined_by(request.user), pk=pk)
    services.cohort_leave(cohort=cohort, user=request.user)
    messages.success(request, f"You left “{cohort.name}”. Your own progress is kept.")
    return redirect("home")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from courseware.topics.views import catalogue

        return catalogue(request)
    context = {
        "assignments": selectors.learner_assignments(user=request.user),
        "cohorts": selectors.cohorts_for_learner(user=request.user),
        "taught": selectors.cohorts_for_instructor(user=request.user) if is_instructor(request.user) else [],
        "join_form": JoinForm(),
        "all_topics": _with_progress(request.user, list(get_library().topics.values())),
    }
    return render(request, "cohorts/home.html", context)


def _with_progress(user, topics: list) -> list[tuple]:
    """Each topic of the catalogue with the learner's progress in it (the same parts as assigned topics)."""
    from courseware.topics.progress import topic_progress

    progress = topic_progress(user, topics)
    return [(topic, [part for part in progress[topic.slug] if part.total]) for topic in topics]
