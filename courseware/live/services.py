"""Writes for live sessions: create, host transitions, join, answer, exercise checks.

Host transitions lock the session row (`select_for_update`; on SQLite the IMMEDIATE transaction
serialises writers instead) and bump `version`. Answers never lock or write the session row: 200 of
them arriving within a second only insert their own rows; the unique constraint makes a retry return
the stored answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from courseware.accounts.roles import is_instructor
from courseware.cohorts.models import Cohort, Membership, new_join_code

from . import state as live_state
from .models import GUEST_NAME_MAX, LiveAnswer, LiveCheck, LiveParticipant, LiveSession
from .selectors import exercise_for, files_hash, parse_ref, poll_state_forget, question_for

MAX_POINTS = 1000
QUESTION_SECONDS = (10, 600)
EXERCISE_SECONDS = (60, 3600)
MAX_QUESTIONS = 100
MAX_CHECK_FILES_BYTES = 256 * 1024
MAX_PARTICIPANTS = 1000


class LiveError(Exception):
    """A refused live-session action, with a message for the person who tried it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CheckNotRun(LiveError):
    """The checker did not give a verdict: the learner's input was refused (422), the checker was busy (429) or
    it is down (503). Nothing is recorded; the learner's files stay in the form."""

    def __init__(self, message: str, status: int, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s


# The learner's own input was refused or too costly to check: theirs to change, not an outage.
_INPUT_STATUSES = frozenset({"rejected", "timeout", "cpu_limit", "memory_limit", "output_limit"})


def live_session_create(
    *,
    cohort: Cohort,
    instructor: User,
    title: str,
    questions: Sequence[str],
    exercise: str = "",
    question_seconds: int = 30,
    exercise_seconds: int = 300,
    allow_guests: bool = False,
    show_leaderboard: bool = True,
    speed_scoring: bool = False,
) -> LiveSession:
    if not is_instructor(instructor) or not cohort.instructors.filter(pk=instructor.pk).exists():
        raise LiveError("Only an instructor of this cohort can start a live session.")
    if cohort.is_archived:
        raise LiveError("This cohort is archived.")
    if not questions and not exercise:
        raise LiveError("Choose a quiz, some questions or an exercise.")
    if len(questions) > MAX_QUESTIONS:
        raise LiveError(f"A live session has at most {MAX_QUESTIONS} questions.")
    for ref in questions:
        if parse_ref(ref) is None or question_for(ref) is None:
            raise LiveError(f"Question {ref} does not exist.")
    if exercise and exercise_for(exercise) is None:
        raise LiveError(f"Exercise {exercise} does not exist.")
    if not QUESTION_SECONDS[0] <= question_seconds <= QUESTION_SECONDS[1]:
        raise LiveError(f"Give each question {QUESTION_SECONDS[0]} to {QUESTION_SECONDS[1]} seconds.")
    if not EXERCISE_SECONDS[0] <= exercise_seconds <= EXERCISE_SECONDS[1]:
        raise LiveError(f"Give the exercise round {EXERCISE_SECONDS[0] // 60} to {EXERCISE_SECONDS[1] // 60} minutes.")
    for _ in range(5):
        try:
            with transaction.atomic():
                return LiveSession.objects.create(
                    cohort=cohort,
                    created_by=instructor,
                    code=new_join_code(),
                    title=title[:200],
                    questions=list(questions),
                    exercise=exercise,
                    question_seconds=question_seconds,
                    exercise_seconds=exercise_seconds,
                    allow_guests=allow_guests,
                    show_leaderboard=show_leaderboard,
                    speed_scoring=speed_scoring,
                )
        except IntegrityError:  # a code collision: draw again
            continue
    raise LiveError("Could not draw a free session code; try again.")


def live_session_transition(*, session_id: int, action: str, now: dt.datetime | None = None) -> LiveSession:
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session_id)
        now = now or timezone.now()
        try:
            machine = live_state.transition(session.machine(), action, now)
        except live_state.IllegalTransition as exc:
            raise LiveError(exc.message) from None
        fields = session.apply(machine)
        if action == "start":
            session.started_at = now
            fields.append("started_at")
        if machine.state == live_state.FINISHED:
            session.finished_at = now
            fields.append("finished_at")
        session.version = F("version") + 1
        session.save(update_fields=[*fields, "version"])
    session.refresh_from_db()
    poll_state_forget(code=session.code)
    return session


def guest_name_clean(raw: str) -> str:
    name = " ".join(raw.split())
    name = "".join(ch for ch in name if ch.isprintable())
    if not name:
        raise LiveError("Give a display name.")
    if len(name) > GUEST_NAME_MAX:
        raise LiveError(f"A display name has at most {GUEST_NAME_MAX} characters.")
    return name


def live_join(*, session: LiveSession, user: User | None = None, guest_name: str = "") -> LiveParticipant:
    if session.state == live_state.FINISHED:
        raise LiveError("This live session has finished.")
    member = (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(cohort_id=session.cohort_id, user=user).exists()
    )
    if member:
        existing = LiveParticipant.objects.filter(session=session, user=user).first()
        if existing is not None:
            return existing
    elif user is not None and user.is_authenticated and not session.allow_guests:
        raise LiveError("This session is for the cohort's learners. Join the cohort first.")
    elif not session.allow_guests:
        raise LiveError("This session does not take guests. Log in with your cohort account.")
    name = user.get_username()[:GUEST_NAME_MAX] if member else guest_name_clean(guest_name)
    try:
        with transaction.atomic():
            # The session row is locked while counting, so concurrent joins cannot pass the cap together
            # (SQLite's IMMEDIATE transactions serialise them the same way).
            locked = LiveSession.objects.select_for_update().get(pk=session.pk)
            if locked.lobby_locked:
                raise LiveError("The host has closed this session to new participants.")
            if LiveParticipant.objects.filter(session_id=session.pk).count() >= MAX_PARTICIPANTS:
                raise LiveError("This session is full.")
            return LiveParticipant.objects.create(session=session, user=user if member else None, display_name=name)
    except IntegrityError:  # the same member joined in a parallel request
        return LiveParticipant.objects.get(session=session, user=user)


def live_participant_remove(*, session: LiveSession, participant_id: int) -> LiveParticipant:
    """The host removes a participant: their name leaves the projector, their answers leave every count."""
    participant = LiveParticipant.objects.filter(session=session, pk=participant_id).first()
    if participant is None:
        raise LiveError("That participant is not in this session.")
    if not participant.removed:
        participant.removed = True
        participant.save(update_fields=["removed"])
        LiveSession.objects.filter(pk=session.pk).update(version=F("version") + 1)
        poll_state_forget(code=session.code)
    return participant


def live_lobby_lock(*, session: LiveSession, locked: bool) -> None:
    LiveSession.objects.filter(pk=session.pk).update(lobby_locked=locked, version=F("version") + 1)
    poll_state_forget(code=session.code)


def _seconds_taken(session: LiveSession, now: dt.datetime) -> float | None:
    if session.deadline is None:
        return None
    left = (session.deadline - now).total_seconds()
    return round(min(max(session.question_seconds - left, 0.0), float(session.question_seconds)), 1)


def _points(session: LiveSession, score: float, now: dt.datetime) -> int:
    if score <= 0:
        return 0
    if not session.speed_scoring or session.deadline is None:
        return round(MAX_POINTS * score)
    left = max(0.0, (session.deadline - now).total_seconds())
    share = min(1.0, left / max(session.question_seconds, 1))
    # Half the points for being right, the other half for being quick.
    return round(MAX_POINTS * score * (0.5 + 0.5 * share))


def live_answer_submit(
    *,
    session_id: int,
    participant: LiveParticipant,
    index: int,
    form: Mapping[str, Sequence[str]],
    now: dt.datetime | None = None,
) -> tuple[LiveAnswer, bool]:
    """Store one participant's answer to question `index`. Returns (answer, created).

    A retry returns the stored answer; a different answer once one is stored, an answer after the
    countdown, after the reveal or to another question is refused with LiveError.
    """
    from courseware.quizzes.grading import InvalidAnswer, grade, parse_answer

    existing = LiveAnswer.objects.filter(participant=participant, question_index=index).first()
    if existing is not None:
        return existing, False
    session = LiveSession.objects.get(pk=session_id)
    now = now or timezone.now()
    refusal = live_state.answer_refusal(session.machine(), index, now)
    if refusal:
        raise LiveError(refusal)
    ref = session.questions[index]
    question = question_for(ref)
    parsed = parse_ref(ref)
    if question is None or parsed is None:
        raise LiveError("This question is no longer in the course content.")
    try:
        response = parse_answer(question, form)
    except InvalidAnswer as exc:
        raise LiveError(exc.message) from None
    graded = grade(question, response)
    try:
        with transaction.atomic():
            answer = LiveAnswer.objects.create(
                session_id=session.pk,
                participant=participant,
                user_id=participant.user_id,
                question_index=index,
                topic=parsed.topic,
                quiz=parsed.quiz,
                question_id=parsed.question_id,
                response=response,
                correct=graded.correct,
                score=graded.score,
                points=_points(session, graded.score, now),
                seconds=_seconds_taken(session, now),
                footgun=question.footgun,
                primer=question.primer,
                created_at=now,
            )
    except IntegrityError:  # the same participant answered in a parallel request
        return LiveAnswer.objects.get(participant=participant, question_index=index), False
    return answer, True


def live_check_submit(
    *,
    session_id: int,
    participant: LiveParticipant,
    files: Mapping[str, str],
    runner=None,
    now: dt.datetime | None = None,
) -> tuple[LiveCheck, str]:
    """Check through the exercises app (same runner, refusal of an unconfined sandbox, acceptance checks and
    grading as exercise pages) and record the rules that fired. Returns (check, message).

    A check that gives no verdict raises CheckNotRun and records nothing: the learner is told and can retry.
    """
    from courseware.exercises import grading
    from courseware.exercises.services import run_check, verdict_for

    session = LiveSession.objects.get(pk=session_id)
    now = now or timezone.now()
    refusal = live_state.check_refusal(session.machine(), now)
    if refusal:
        raise LiveError(refusal)
    exercise = exercise_for(session.exercise)
    if exercise is None:
        raise LiveError("The exercise is no longer in the course content.")
    files = {path: files.get(path, "") for path in exercise.paths}
    if sum(len(text.encode()) for text in files.values()) > MAX_CHECK_FILES_BYTES:
        raise LiveError("The files are too large to check.")
    outcome = run_check(exercise=exercise, files=files, learner_key=f"live-{participant.pk}", runner=runner)
    if outcome.status != "ok" or outcome.report is None:
        status = 422 if outcome.status in _INPUT_STATUSES else 429 if outcome.status == "busy" else 503
        raise CheckNotRun(outcome.message, status, outcome.retry_after_s)
    verdict = verdict_for(exercise, outcome.report)
    check = LiveCheck.objects.create(
        session_id=session.pk,
        participant=participant,
        exercise=session.exercise,
        passed=verdict.passed,
        parse_error=bool(verdict.parse_errors),
        rules=sorted(grading.fired_rules(outcome.report)),
        files=files,
        files_hash=files_hash(files),
        created_at=now,
    )
    if verdict.passed:
        return check, "Passed: none of the targeted footguns fire any more, and the prompt's requirements hold."
    from courseware.exercises.feedback import plain_feedback
    from courseware.topics.library import get_library

    lines = plain_feedback(verdict, outcome.report, get_library())
    return check, ("Not yet. " + "; ".join(line.rstrip(".") for line in lines) + ".")[:900]


# How many distinct configs of a room the host's screen replays under the exercise's scenario (most common first);
# each is simulated once in the sandbox and remembered, so the projector's polls stay cheap.
SURVIVAL_CONFIGS = 12
SURVIVAL_CACHE_S = 6 * 3600


def live_room_survival(*, session: LiveSession) -> tuple[int, int] | None:
    """(configs that come through the exercise's scenario undamaged, configs judged) among the room's latest checks,
    or None when the round's exercise has no scenario. Learner files are simulated only in the sandbox."""
    from collections import Counter

    from django.core.cache import cache

    from courseware.exercises.production import survives
    from courseware.exercises.services import run_simulation
    from courseware.topics.library import get_library

    from .selectors import latest_checks

    exercise = exercise_for(session.exercise) if session.exercise else None
    topic = get_library().topic(exercise.topic) if exercise is not None else None
    scenario = topic.scenarios.get(exercise.scenario or "") if topic is not None else None
    if scenario is None:
        return None
    latest = latest_checks(session=session)
    counts = Counter(check.files_hash for check in latest)
    files_of = {check.files_hash: check.files for check in latest}
    survivors = judged = 0
    chosen = counts.most_common(SURVIVAL_CONFIGS)
    keys = {
        digest: f"live-survives:{exercise.topic}:{exercise.slug}:{topic.content_hash}:{digest}" for digest, _ in chosen
    }
    known = cache.get_many(list(keys.values()))  # one query for the configs already judged
    for digest, count in chosen:
        key = keys[digest]
        verdict = known.get(key)
        if verdict is None:
            result = run_simulation(
                exercise=exercise, scenario=scenario, files=files_of[digest], learner_key=f"live-room-{session.pk}"
            )
            if result is None:
                continue  # not judged this time; the next poll tries again
            verdict = survives(result)
            cache.set(key, verdict, SURVIVAL_CACHE_S)
        judged += count
        survivors += count if verdict else 0
    return survivors, judged
