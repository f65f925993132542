"""Live sessions: the host screen (projector), the learner screen (phone) and their polling fragments.

Polls are conditional: the fragment carries its ETag in `data-etag`, static/js/live.js sends it back as
If-None-Match, and an unchanged session answers 304 after one indexed read (learners) or one read and
three indexed counts (the host). See docs/live.md for the intervals and their cost.
"""

from __future__ import annotations

import csv
import os
from html import unescape

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseware.accounts.throttle import client_address
from courseware.addresses import is_loopback_url
from courseware.cohorts.models import Cohort, normalise_code
from courseware.dashboard.stats import csv_safe
from courseware.exercises import throttle as check_throttle
from courseware.quizzes.grading import small_number
from courseware.ratelimit import limiter
from courseware.site import absolute_url

from . import selectors, services
from . import state as live_state
from .models import LiveAnswer, LiveCheck, LiveParticipant, LiveSession
from .qr import qr_svg

HOST_POLL_SECONDS = 1
# Every learner sees a new question within SEEN_WITHIN_SECONDS of it opening: one poll interval plus the reply to
# the poll that finds it. 1,000 learners at 1.5 s is about 670 polls/s (docs/benchmarks.md, "Live sessions").
SEEN_WITHIN_SECONDS = 2.0
LEARNER_POLL_SECONDS = 1.5
LOBBY_NAMES = 60  # the latest joiners the lobby names; the rest are "+N more"
# Kinds whose answers the projector counts per option, as they arrive (the others: right / partly / wrong).
OPTION_KINDS = ("single", "multiple", "true_false")
COOKIE_SALT = "courseware.live.participant"
COOKIE_MAX_AGE = 12 * 3600
# Wrong codes per address: far more than a room behind one NAT address mistypes, far fewer than a guesser needs
# (codes have 6 characters from a 30-letter alphabet). Over the limit only wrong codes are refused: a real code
# is never refused because of other codes' misses. Joins are limited per address with a classroom's burst.
CODE_FAILURE_LIMIT = int(os.environ.get("LIVE_CODE_MISSES_PER_10_MIN", "200"))
CODE_FAILURE_WINDOW = 600
JOINS_PER_MINUTE = int(os.environ.get("LIVE_JOINS_PER_MINUTE", "60"))
NO_SUCH_SESSION = "No live session has that code."
# The host's keyboard shortcuts (static/js/live.js clicks the button of the action; only legal ones are shown).
# Ending the session has none: one stray key must not end a class.
ACTION_KEYS = {
    "start": "S",
    "close": "C",
    "close_exercise": "C",
    "reveal": "R",
    "next": "N",
    "back": "B",
    "pause": "P",
    "resume": "P",
    "open_exercise": "E",
}
ACTION_LABELS = {
    "start": "Start",
    "close": "Close answers",
    "reveal": "Reveal",
    "next": "Next",
    "back": "Back",
    "pause": "Pause",
    "resume": "Resume",
    "open_exercise": "Open exercise round",
    "close_exercise": "Close exercise round",
    "finish": "End session",
}


# ---------------------------------------------------------------------------- creating a session


def _plain(html: str, words: int = 24) -> str:
    """A question's prompt as plain text for a picker label (escaped again when rendered)."""
    return Truncator(unescape(strip_tags(html)).strip()).words(words)


class LiveSessionForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, label="Title (optional)")
    quiz = forms.ChoiceField(required=False, label="Whole quiz")
    questions = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Or pick questions (in this order)"
    )
    exercise = forms.ChoiceField(required=False, label="Exercise round (optional)")
    question_seconds = forms.IntegerField(
        min_value=services.QUESTION_SECONDS[0],
        max_value=services.QUESTION_SECONDS[1],
        initial=30,
        label="Seconds per question",
    )
    exercise_minutes = forms.IntegerField(min_value=1, max_value=60, initial=5, label="Minutes for the exercise round")
    allow_guests = forms.BooleanField(required=False, label="Let guests join with a display name")
    show_leaderboard = forms.BooleanField(required=False, initial=True, label="Show a leaderboard at the end")
    speed_scoring = forms.BooleanField(required=False, label="Faster right answers score more")

    def __init__(self, *args, topics: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pairs = selectors.quizzes_for_topics(topics)
        self.quiz_titles = {f"{t.slug}/{q.slug}": q.title for t, q in pairs}
        self.question_refs = {
            f"{t.slug}/{q.slug}#{question.id}": (q, question) for t, q in pairs for question in q.questions
        }
        self.fields["quiz"].choices = [("", "—")] + [(f"{t.slug}/{q.slug}", f"{t.title}: {q.title}") for t, q in pairs]
        self.fields["questions"].choices = [
            (ref, f"{q.title}, question {question.number}: {_plain(question.prompt_html)}")
            for ref, (q, question) in self.question_refs.items()
        ]
        exercises = selectors.exercises_for_topics(topics)
        self.fields["exercise"].choices = [("", "—")] + [
            (f"{t.slug}/{e.slug}", f"{t.title}: {e.title}") for t, e in exercises
        ]

    def clean(self):
        data = super().clean()
        picked = data.get("questions") or []
        quiz = data.get("quiz") or ""
        if picked:
            refs = [ref for ref in self.question_refs if ref in set(picked)]  # in content order
        elif quiz:
            refs = [ref for ref in self.question_refs if ref.startswith(quiz + "#")]
        else:
            refs = []
        if not refs and not data.get("exercise"):
            raise forms.ValidationError("Choose a quiz, some questions or an exercise.")
        data["refs"] = refs
        if not data.get("title"):
            data["title"] = self.quiz_titles.get(quiz, "") if quiz and not picked else "Live quiz"
        return data


def _taught_cohort(request: HttpRequest, pk: int) -> Cohort:
    # Another instructor's cohort is 404, never 403: its existence is not disclosed.
    return get_object_or_404(Cohort.objects.taught_by(request.user), pk=pk)


def _hosted_session(request: HttpRequest, pk: int) -> LiveSession:
    return get_object_or_404(LiveSession.objects.hosted_by(request.user).select_related("cohort"), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def live_new(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _taught_cohort(request, pk)
    topics = list(cohort.topics.values_list("topic", flat=True))
    form = LiveSessionForm(request.POST or None, topics=topics)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.live_session_create(
                cohort=cohort,
                instructor=request.user,
                title=data["title"],
                questions=data["refs"],
                exercise=data.get("exercise") or "",
                question_seconds=data["question_seconds"],
                exercise_seconds=data["exercise_minutes"] * 60,
                allow_guests=data["allow_guests"],
                show_leaderboard=data["show_leaderboard"],
                speed_scoring=data["speed_scoring"],
            )
        except services.LiveError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("live:host", pk=session.pk)
    recent = cohort.live_sessions.order_by("-created_at")[:10]
    return render(request, "live/new.html", {"cohort": cohort, "form": form, "recent": recent})


# ---------------------------------------------------------------------------- ETags


def _expired(state: str, deadline, now) -> bool:
    return state in (live_state.QUESTION_OPEN, live_state.EXERCISE_OPEN) and deadline is not None and now >= deadline


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = "no-store"
        return response
    return None


def _host_counts(session: LiveSession) -> tuple[int, int, int]:
    return (
        selectors.participant_count(session=session),
        selectors.answer_count(session=session, index=session.current_index),
        selectors.check_count(session=session) if session.exercise else 0,
    )


def _host_etag(session: LiveSession, now, counts: tuple[int, int, int]) -> str:
    expired = int(_expired(session.state, session.deadline, now))
    joined, answered, checked = counts
    return f'"H{session.pk}.{session.version}.{expired}.{joined}.{answered}.{checked}"'


def _learner_etag(pk: int, version: int, expired: bool, participant_pk: int) -> str:
    return f'"L{pk}.{version}.{int(expired)}.{participant_pk}"'


def _poll_response(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # The browser must not answer a poll from its own cache: live.js sends If-None-Match itself.
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------- host


def _join_url(request: HttpRequest, session: LiveSession) -> str:
    return absolute_url(request, reverse("live:learner", args=[session.code]))


def _host_context(request: HttpRequest, session: LiveSession, counts: tuple[int, int, int] | None = None) -> dict:
    now = timezone.now()
    counts = counts or _host_counts(session)
    machine = session.machine()
    settled = machine.settle(now)
    question = selectors.question_for(session.current_ref) if session.current_ref else None
    context = {
        "session": session,
        "state": settled.state,
        "state_label": live_state.STATE_LABELS[settled.state],
        "paused_from": settled.paused_from,
        "seconds_left": machine.seconds_left(now),
        "question": question,
        "question_number": session.current_index + 1,
        "question_total": len(session.questions),
        "actions": [(a, ACTION_LABELS[a], ACTION_KEYS.get(a, "")) for a in settled.allowed(now)],
        "join_url": _join_url(request, session),
        "join_url_is_loopback": is_loopback_url(_join_url(request, session)),
        "participant_count": counts[0],
        "answer_count": counts[1],
        "etag": _host_etag(session, now, counts),
        "poll_seconds": HOST_POLL_SECONDS,
    }
    context["answered_percent"] = round(100 * counts[1] / counts[0]) if counts[0] else 0
    if settled.state == live_state.LOBBY:
        context["names"] = selectors.latest_names(session=session, limit=LOBBY_NAMES)
        context["names_more"] = max(0, counts[0] - len(context["names"]))
        context["qr"] = qr_svg(context["join_url"])
    if question is not None and question.kind == "ordering":
        from courseware.quizzes.grading import display_order

        # The projector shows the items in the same shuffled order as the phones, never in the answer's order.
        context["ordering_items"] = [i for i in map(question.item, display_order(question, session.pk)) if i]
    answers_closed = settled.state in (live_state.QUESTION_CLOSED, live_state.REVEALED)
    in_question = answers_closed or live_state.QUESTION_OPEN in (settled.state, settled.paused_from)
    if question is not None and in_question and (answers_closed or question.kind in OPTION_KINDS):
        # Options grow their bars as answers arrive; kinds graded right/partly/wrong show theirs only once
        # answers are closed, since those bars would tell the room how the answers are graded.
        context["bars"], context["bar_total"] = selectors.answer_distribution(
            session=session, index=session.current_index, question=question
        )
        context["bars_are_options"] = question.kind in OPTION_KINDS
    if question is not None and in_question and question.kind == "spot_the_footgun":
        picks = selectors.line_picks(session=session, index=session.current_index) if answers_closed else {}
        revealed = settled.state == live_state.REVEALED
        context["code_lines"] = [
            (line, picks.get(line.number, 0), revealed and line.number in question.lines)
            for line in question.snippet_lines
        ]
    if settled.state == live_state.REVEALED and question is not None:
        from courseware.quizzes.grading import describe_key

        context["key"] = describe_key(question)
    in_exercise = settled.state in (live_state.EXERCISE_OPEN, live_state.EXERCISE_CLOSED) or (
        settled.state == live_state.PAUSED and settled.paused_from == live_state.EXERCISE_OPEN
    )
    if session.exercise and in_exercise:
        context["exercise"] = selectors.exercise_for(session.exercise)
        context["room"] = selectors.exercise_room(
            session=session, with_config=settled.state == live_state.EXERCISE_CLOSED
        )
        if settled.state == live_state.EXERCISE_CLOSED and context["room"].checked:
            # Once the round is closed the room's configs are final: replay them under the exercise's traffic.
            context["survival"] = services.live_room_survival(session=session)
    if settled.state == live_state.FINISHED:
        context["results"] = selectors.question_results(session=session)
        if session.show_leaderboard:
            context["podium"] = selectors.podium(session=session)
        if session.exercise and counts[2]:
            context["room"] = selectors.exercise_room(session=session, with_config=True)
            context["exercise"] = selectors.exercise_for(session.exercise)
    return context


@require_GET
@login_required
def host(request: HttpRequest, pk: int) -> HttpResponse:
    session = _hosted_session(request, pk)
    return render(request, "live/host.html", _host_context(request, session))


@require_GET
@login_required
def host_stage(request: HttpRequest, pk: int) -> HttpResponse:
    session = _hosted_session(request, pk)
    counts = _host_counts(session)
    etag = _host_etag(session, timezone.now(), counts)
    if (not_modified := _not_modified(request, etag)) is not None:
        return not_modified
    context = _host_context(request, session, counts)
    return _poll_response(render(request, "live/host.html#stage", context), context["etag"])


@require_POST
@login_required
def host_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    session = _hosted_session(request, pk)
    if action not in live_state.ACTIONS:
        return HttpResponse("Unknown action.", status=404)
    try:
        session = services.live_session_transition(session_id=session.pk, action=action)
    except services.LiveError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect("live:host", pk=pk)
        session.refresh_from_db()
        context = _host_context(request, session) | {"error": exc.message}
        return render(request, "live/host.html#stage", context, status=409)
    return _host_reply(request, session)


@require_POST
@login_required
def host_remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Remove a participant (a prankster's name on the projector): hidden, answers excluded, cannot rejoin."""
    session = _hosted_session(request, pk)
    try:
        services.live_participant_remove(session=session, participant_id=participant_pk)
    except services.LiveError as exc:
        return HttpResponse(exc.message, status=404)
    session.refresh_from_db()
    return _host_reply(request, session)


@require_POST
@login_required
def host_lobby(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock the lobby (no one new may join) or open it again."""
    session = _hosted_session(request, pk)
    services.live_lobby_lock(session=session, locked=request.POST.get("locked") == "1")
    session.refresh_from_db()
    return _host_reply(request, session)


def _host_reply(request: HttpRequest, session: LiveSession) -> HttpResponse:
    """After a host's change: the new stage for htmx, the host screen again without JavaScript."""
    if request.htmx:
        return render(request, "live/host.html#stage", _host_context(request, session))
    return redirect("live:host", pk=session.pk)


@require_GET
@login_required
def host_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The session report: every participant's answer to every question, formula-neutralised like other exports."""
    session = _hosted_session(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="live-{session.code}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(selectors.REPORT_HEADER)
    for row in selectors.session_report_rows(session=session):
        writer.writerow([csv_safe(cell) for cell in row])
    return response


# ---------------------------------------------------------------------------- learners


def _cookie_name(session_pk: int) -> str:
    return f"live-{session_pk}"


def _cookie_participant(request: HttpRequest, session_pk: int) -> tuple[int, str] | None:
    try:
        value = request.get_signed_cookie(_cookie_name(session_pk), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    pk, _, token = value.partition(":")
    return (int(pk), token) if small_number(pk) and token else None


def _participant(request: HttpRequest, session: LiveSession) -> LiveParticipant | None:
    found = _cookie_participant(request, session.pk)
    participant = None
    if found is not None:
        participant = LiveParticipant.objects.filter(session=session, pk=found[0], token=found[1]).first()
    if participant is None and request.user.is_authenticated:
        participant = LiveParticipant.objects.filter(session=session, user=request.user).first()
    if participant is not None and participant.user_id is not None and participant.user_id != request.user.pk:
        # A learner's place is theirs: someone else signed in on this browser does not inherit it.
        return None
    return participant


def _streak(participant: LiveParticipant, index: int) -> int:
    """Right answers in a row, ending with this question (shown from two on, where the leaderboard is on)."""
    rows = LiveAnswer.objects.filter(participant=participant, question_index__lte=index).order_by("-question_index")
    streak, expected = 0, index
    for question_index, correct in rows.values_list("question_index", "correct")[:50]:
        if question_index != expected or not correct:
            break
        streak, expected = streak + 1, expected - 1
    return streak


def _remember(response: HttpResponse, participant: LiveParticipant) -> HttpResponse:
    response.set_signed_cookie(
        _cookie_name(participant.session_id),
        f"{participant.pk}:{participant.token}",
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _session_by_code(request: HttpRequest, code: str) -> LiveSession | None:
    """The session of a code; a wrong code counts a miss for the address, on every live endpoint alike."""
    session = LiveSession.objects.filter(code=normalise_code(code)).select_related("cohort").first()
    if session is None:
        request.live_miss = _miss(request)  # type: ignore[attr-defined]
    return session


def _miss(request: HttpRequest):
    return limiter.hit(
        "live-code-failures", client_address(request), limit=CODE_FAILURE_LIMIT, window_s=CODE_FAILURE_WINDOW
    )


def _no_such_session(request: HttpRequest) -> HttpResponse:
    """The answer to a wrong code, and to a real code the requester may not see: the same, so neither tells.
    Either counts one miss (a wrong code's was counted when it was looked up)."""
    decision = getattr(request, "live_miss", None) or _miss(request)
    if not decision.allowed:
        response = HttpResponse("Too many wrong codes from your network. Wait a few minutes.", status=429)
        response["Retry-After"] = str(max(1, decision.retry_after_s or CODE_FAILURE_WINDOW))
        return response
    return HttpResponse(NO_SUCH_SESSION, status=404)


class CodeForm(forms.Form):
    code = forms.CharField(max_length=20, label="Session code")


@require_http_methods(["GET", "POST"])
def learner_enter(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("live:learner", code=normalise_code(form.cleaned_data["code"]) or "-")
    return render(request, "live/enter.html", {"form": form})


def _learner_context(
    request: HttpRequest, session: LiveSession, participant: LiveParticipant, *, mine: LiveAnswer | None = None
) -> dict:
    """`mine`: the answer to the current question the caller already holds (an answer just sent), else read here."""
    now = timezone.now()
    machine = session.machine()
    settled = machine.settle(now)
    index = session.current_index
    question = selectors.question_for(session.current_ref) if session.current_ref else None
    if mine is None or mine.question_index != index:
        mine = LiveAnswer.objects.filter(participant=participant, question_index=index).first() if index >= 0 else None
    context = {
        "session": session,
        "participant": participant,
        "state": settled.state,
        "state_label": live_state.STATE_LABELS[settled.state],
        "paused_from": settled.paused_from,
        "seconds_left": machine.seconds_left(now),
        "question": question,
        "question_number": index + 1,
        "question_total": len(session.questions),
        "mine": mine,
        # Shown with the verdict, after the reveal only.
        "streak": _streak(participant, index)
        if mine is not None and session.show_leaderboard and settled.state == live_state.REVEALED
        else 0,
        "etag": _learner_etag(
            session.pk, session.version, _expired(session.state, session.deadline, now), participant.pk
        ),
        "poll_seconds": f"{LEARNER_POLL_SECONDS:g}",
    }
    if question is not None:
        from courseware.quizzes.grading import describe_key, describe_response, display_order

        # Choices in the same order (and letters) as on the projector, so "most of you picked B" makes sense.
        order = display_order(question, session.pk)
        if question.kind in ("single", "multiple"):
            found = selectors.choices_in_order(session=session, question=question)
            context["choices"] = list(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", found, strict=False))
        elif question.kind == "ordering":
            context["items"] = [i for i in map(question.item, order) if i is not None]
            context["positions"] = range(1, len(question.items) + 1)
        if mine is not None:
            context["my_response"] = describe_response(question, mine.response)
        if settled.state == live_state.REVEALED:
            context["key"] = describe_key(question)
    in_exercise = settled.state in (live_state.EXERCISE_OPEN, live_state.EXERCISE_CLOSED) or (
        settled.state == live_state.PAUSED and settled.paused_from == live_state.EXERCISE_OPEN
    )
    if session.exercise and in_exercise:
        exercise = selectors.exercise_for(session.exercise)
        last = LiveCheck.objects.filter(session=session, participant=participant).order_by("-pk").first()
        files = last.files if last else (exercise.starter_files() if exercise else {})
        context["exercise"] = exercise
        context["last_check"] = last
        context["files"] = (
            [(path, files.get(path, ""), f"file-{n}") for n, path in enumerate(exercise.paths)] if exercise else []
        )
    if settled.state == live_state.FINISHED:
        context["summary"] = selectors.personal_summary(session=session, participant=participant)
    return context


@require_GET
def learner(request: HttpRequest, code: str) -> HttpResponse:
    session = _session_by_code(request, code)
    if session is None:
        if not request.live_miss.allowed:  # type: ignore[attr-defined]
            response = render(
                request, "live/enter.html", {"form": CodeForm(), "error": "Too many wrong codes. Wait a few minutes."}
            )
            response.status_code = 429
            response["Retry-After"] = str(CODE_FAILURE_WINDOW)
            return response
        response = render(
            request,
            "live/enter.html",
            {"form": CodeForm(initial={"code": code}), "error": "No live session has that code. Check the screen."},
        )
        response.status_code = 404
        return response
    participant = _participant(request, session)
    if participant is None:
        is_member = request.user.is_authenticated and session.cohort.memberships.filter(user=request.user).exists()
        return render(request, "live/join.html", {"session": session, "is_member": is_member})
    response = render(request, "live/learner.html", _learner_context(request, session, participant))
    return _remember(response, participant)


@require_POST
def learner_join(request: HttpRequest, code: str) -> HttpResponse:
    session = _session_by_code(request, code)
    if session is None:
        return _no_such_session(request)
    participant = _participant(request, session)
    if participant is None:
        decision = limiter.hit("live-joins", client_address(request), limit=JOINS_PER_MINUTE, window_s=60)
        if not decision.allowed:
            response = render(
                request,
                "live/join.html",
                {
                    "session": session,
                    "error": "Too many people joined from your network just now. Try again in a minute.",
                },
            )
            response.status_code = 429
            response["Retry-After"] = str(max(1, decision.retry_after_s))
            return response
        user = request.user if request.user.is_authenticated and not request.POST.get("as_guest") else None
        try:
            participant = services.live_join(session=session, user=user, guest_name=request.POST.get("name", ""))
        except services.LiveError as exc:
            is_member = request.user.is_authenticated and session.cohort.memberships.filter(user=request.user).exists()
            response = render(
                request, "live/join.html", {"session": session, "is_member": is_member, "error": exc.message}
            )
            response.status_code = 422
            return response
    return _remember(redirect("live:learner", code=session.code), participant)


@require_GET
def learner_stage(request: HttpRequest, code: str) -> HttpResponse:
    # An unchanged session costs no query (selectors.poll_state); a changed one, one query for this learner's answer.
    polled = selectors.poll_state(code=normalise_code(code))
    if polled is None:
        return _no_such_session(request)
    found = _cookie_participant(request, polled.pk)
    if found is None:
        return _no_such_session(request)
    etag = _learner_etag(polled.pk, polled.version, _expired(polled.state, polled.deadline, timezone.now()), found[0])
    if (not_modified := _not_modified(request, etag)) is not None:
        return not_modified
    session = selectors.session_at(code=normalise_code(code), pk=polled.pk, version=polled.version)
    participant = selectors.polling_participant(session=session, pk=found[0], token=found[1])
    if participant is not None and participant.user_id is not None and participant.user_id != request.user.pk:
        participant = None  # a learner's place is theirs (as in _participant)
    if participant is None:
        participant = _participant(request, session)
    if participant is None:
        return _no_such_session(request)
    now = timezone.now()
    machine = session.machine()
    if machine.settle(now).state == live_state.QUESTION_OPEN and request.htmx:
        index = session.current_index
        if not LiveAnswer.objects.filter(participant=participant, question_index=index).exists():
            etag = _learner_etag(session.pk, session.version, False, participant.pk)
            html = _open_question_stage(request, session, participant, machine.seconds_left(now))
            return _poll_response(HttpResponse(html), etag)
    context = _learner_context(request, session, participant)
    return _poll_response(render(request, "live/learner.html#stage", context), context["etag"])


# A question has just opened: within one poll interval every phone in the room asks for it, and until it answers each
# phone's screen differs from the others' only by its name, its CSRF token and its ETag. Each process draws that
# screen once per second of the countdown with stand-ins for those three and fills them in per phone: 1,000 phones
# cost a few renders instead of 1,000 (docs/live.md, "Polling and its cost"). A test compares it with a full render.
_STAND_IN_NAME = "LIVESTANDINNAME7f3a"
_STAND_IN_CSRF = "LIVESTANDINCSRF7f3a"
_STAND_IN_ETAG = "LIVESTANDINETAG7f3a"
_open_stages: dict[tuple[str, int, int, int | None], str] = {}


def _open_question_stage(
    request: HttpRequest, session: LiveSession, participant: LiveParticipant, seconds_left: int | None
) -> str:
    key = (session.code, session.pk, session.version, seconds_left)
    html = _open_stages.get(key)
    if html is None:
        stand_in = LiveParticipant(pk=participant.pk, session_id=session.pk, display_name=_STAND_IN_NAME)
        context = _learner_context(request, session, stand_in) | {
            "etag": _STAND_IN_ETAG,
            "csrf_token": _STAND_IN_CSRF,
            "seconds_left": seconds_left,
        }
        html = render(request, "live/learner.html#stage", context).content.decode()
        if len(_open_stages) >= 64:
            _open_stages.clear()
        _open_stages[key] = html
    return (
        html.replace(_STAND_IN_NAME, str(escape(participant.display_name)))
        .replace(_STAND_IN_CSRF, get_token(request))
        .replace(_STAND_IN_ETAG, str(escape(_learner_etag(session.pk, session.version, False, participant.pk))))
    )


def _learner_reply(
    request: HttpRequest,
    session: LiveSession,
    participant: LiveParticipant,
    *,
    error: str = "",
    notice: str = "",
    status: int = 200,
    files: dict[str, str] | None = None,
    mine: LiveAnswer | None = None,
) -> HttpResponse:
    if request.htmx:
        context = _learner_context(request, session, participant, mine=mine) | {"error": error, "notice": notice}
        return render(request, "live/learner.html#stage", context, status=status)
    if error and files is not None:
        # Without JavaScript a refused check re-renders the page with what the learner typed: nothing is lost.
        context = _learner_context(request, session, participant) | {"error": error}
        if context.get("files"):
            context["files"] = [(path, files.get(path, text), name) for path, text, name in context["files"]]
        return render(request, "live/learner.html", context, status=status)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect("live:learner", code=session.code)


def _joined(request: HttpRequest, code: str) -> tuple[LiveSession, LiveParticipant] | HttpResponse:
    """The session and this browser's participant in it, or the refusal to send. The session comes from the poll
    state this process remembers (selectors.poll_state): the services read the row again before deciding anything."""
    polled = selectors.poll_state(code=normalise_code(code))
    if polled is None:
        return _no_such_session(request)
    session = selectors.session_at(code=normalise_code(code), pk=polled.pk, version=polled.version)
    participant = _participant(request, session)
    if participant is None:
        return _no_such_session(request)
    if participant.removed:
        return HttpResponse("The host removed you from this session.", status=403)
    return session, participant


@require_POST
def learner_answer(request: HttpRequest, code: str) -> HttpResponse:
    joined = _joined(request, code)
    if isinstance(joined, HttpResponse):
        return joined
    session, participant = joined
    raw_index = request.POST.get("index", "")
    if not small_number(raw_index) or int(raw_index) >= len(session.questions):
        return _learner_reply(
            request, session, participant, error="This question is not part of the session.", status=422
        )
    form = {key: request.POST.getlist(key) for key in request.POST if key not in ("csrfmiddlewaretoken", "index")}
    try:
        answer, created = services.live_answer_submit(
            session_id=session.pk, participant=participant, index=int(raw_index), form=form
        )
    except services.LiveError as exc:
        return _learner_reply(request, session, participant, error=exc.message, status=409)
    notice = "Answer sent and locked." if created else "Your answer was already locked in."
    return _learner_reply(request, session, participant, notice=notice, mine=answer)


@require_POST
def learner_check(request: HttpRequest, code: str) -> HttpResponse:
    joined = _joined(request, code)
    if isinstance(joined, HttpResponse):
        return joined
    session, participant = joined
    exercise = selectors.exercise_for(session.exercise) if session.exercise else None
    if exercise is None:
        return _learner_reply(request, session, participant, error="This session has no exercise round.", status=409)
    files = {path: request.POST.get(f"file-{n}", "") for n, path in enumerate(exercise.paths)}
    # The same per-learner limit as the exercise pages (a signed-in learner shares one allowance across both).
    allowance = check_throttle.check_allowance(participant.user_id or f"live-{participant.pk}")
    if not allowance.allowed:
        reply = _learner_reply(
            request, session, participant, status=429, files=files,
            error=f"You have checked {check_throttle.checks_per_minute()} times in the last minute, which is the "
            "limit. Your files are still here; check again in a moment.",
        )  # fmt: skip
        reply["Retry-After"] = str(max(1, allowance.retry_after_s))
        return reply
    try:
        _check, message = services.live_check_submit(session_id=session.pk, participant=participant, files=files)
    except services.CheckNotRun as exc:
        reply = _learner_reply(request, session, participant, error=exc.message, status=exc.status, files=files)
        if exc.retry_after_s:
            reply["Retry-After"] = str(exc.retry_after_s)
        return reply
    except services.LiveError as exc:
        return _learner_reply(request, session, participant, error=exc.message, status=409, files=files)
    return _learner_reply(request, session, participant, notice=message)
