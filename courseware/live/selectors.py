"""Reads for live sessions: content lookups by stable reference, counts, distributions, results."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Max, Q, Sum

from courseware.topics.library import get_library

from . import podium as podium_rules
from .models import LiveAnswer, LiveCheck, LiveParticipant, LiveSession


@dataclass(frozen=True)
class QuestionRef:
    topic: str
    quiz: str
    question_id: str

    @property
    def ref(self) -> str:
        return f"{self.topic}/{self.quiz}#{self.question_id}"


def parse_ref(ref: str) -> QuestionRef | None:
    head, _, question_id = ref.partition("#")
    topic, _, quiz = head.partition("/")
    if not (topic and quiz and question_id):
        return None
    return QuestionRef(topic, quiz, question_id)


def quizzes_for_topics(slugs: list[str]) -> list[tuple[Any, Any]]:
    """(topic, quiz) pairs for the given topic slugs, in topic then file order."""
    from courseware.quizzes.content import quizzes_of

    library = get_library()
    pairs = []
    for slug in slugs:
        topic = library.topic(slug)
        if topic is None:
            continue
        for quiz in quizzes_of(topic).values():
            pairs.append((topic, quiz))
    return pairs


def exercises_for_topics(slugs: list[str]) -> list[tuple[Any, Any]]:
    try:
        from courseware.exercises.content import exercises_of
    except ImportError:  # the exercises app is not installed in this build
        return []
    library = get_library()
    pairs = []
    for slug in slugs:
        topic = library.topic(slug)
        if topic is not None:
            pairs.extend((topic, exercise) for exercise in exercises_of(topic))
    return pairs


def question_for(ref: str):
    from courseware.quizzes.content import quizzes_of

    parsed = parse_ref(ref)
    if parsed is None:
        return None
    topic = get_library().topic(parsed.topic)
    if topic is None:
        return None
    quiz = quizzes_of(topic).get(parsed.quiz)
    return quiz.question(parsed.question_id) if quiz is not None else None


def exercise_for(ref: str):
    from courseware.exercises.content import exercise_of

    topic_slug, _, slug = ref.partition("/")
    topic = get_library().topic(topic_slug)
    return exercise_of(topic, slug) if topic is not None and slug else None


# ---------------------------------------------------------------------------- what a learner's poll reads
#
# 1,000 phones poll every 1.5 s: about 670 requests a second, nearly all answered 304 "nothing changed". Each process
# keeps what those polls need in memory, so an unchanged poll costs no query at all:
#
# - the session's poll state (id, version, state, deadline) by code, read again from the database when it is older
#   than POLL_STATE_TTL_S: a change made by another app server is seen at most that much later (one process makes
#   at most 1 / POLL_STATE_TTL_S of these reads a second per session). A change made in this process forgets it.
# - the session row as of its version (every change to the row bumps the version): used while the version is current;
# - each participant's immutable columns (session, token, user, display name) by id, checked against the cookie's
#   token. `removed` is not kept fresh here: answers and checks read the participant from the database.
#
# So after a question opens, each phone's one full render costs one query (its own answer), not four. Any app
# server answers any participant: the database stays the truth, this only saves reading it 670 times a second.

POLL_STATE_TTL_S = 0.1
_CACHE_MAX = 5000


@dataclass(frozen=True)
class PollState:
    pk: int
    version: int
    state: str
    deadline: dt.datetime | None


_poll_states: dict[str, tuple[float, PollState]] = {}
_session_rows: dict[str, LiveSession] = {}
_participant_rows: dict[int, LiveParticipant] = {}


def _remember(cache: dict, key, value) -> None:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value


def _monotonic() -> float:
    return time.monotonic()


def poll_state(*, code: str) -> PollState | None:
    """The session's id, version, state and deadline by code, at most POLL_STATE_TTL_S old; None for a wrong code."""
    now = _monotonic()
    known = _poll_states.get(code)
    if known is not None and now - known[0] < POLL_STATE_TTL_S:
        return known[1]
    row = LiveSession.objects.filter(code=code).values_list("pk", "version", "state", "deadline").first()
    if row is None:
        _poll_states.pop(code, None)
        return None
    state = PollState(*row)
    _remember(_poll_states, code, (now, state))
    return state


def poll_state_forget(*, code: str) -> None:
    """After a change to the session in this process: its next poll reads the database."""
    _poll_states.pop(code, None)


def session_at(*, code: str, pk: int, version: int) -> LiveSession:
    """The session row, from memory while `version` (read from the database) is still its version. Kept by code
    (random) and checked against the id, so a deleted session's row never stands in for a new one with its id."""
    known = _session_rows.get(code)
    if known is not None and known.pk == pk and known.version == version:
        return known
    session = LiveSession.objects.get(pk=pk)
    _remember(_session_rows, code, session)
    return session


def polling_participant(*, session: LiveSession, pk: int, token: str) -> LiveParticipant | None:
    """The participant of a signed cookie (id and token) for drawing the learner's screen; None when unknown."""
    known = _participant_rows.get(pk)
    if known is not None and known.session_id == session.pk and known.token == token:
        return known
    participant = LiveParticipant.objects.filter(session=session, pk=pk, token=token).first()
    if participant is not None:
        _remember(_participant_rows, pk, participant)
    return participant


def poll_caches_clear() -> None:
    _poll_states.clear()
    _session_rows.clear()
    _participant_rows.clear()


# ---------------------------------------------------------------------------- counts


def participant_count(*, session: LiveSession) -> int:
    return LiveParticipant.objects.filter(session=session, removed=False).count()


def answer_count(*, session: LiveSession, index: int) -> int:
    if index < 0:
        return 0
    return LiveAnswer.objects.filter(session=session, question_index=index, participant__removed=False).count()


def check_count(*, session: LiveSession) -> int:
    return LiveCheck.objects.filter(session=session, participant__removed=False).count()


@dataclass(frozen=True)
class Bar:
    label_html: str
    count: int
    correct: bool
    percent: int


def _bars(rows: list[tuple[str, int, bool]], total: int) -> list[Bar]:
    return [Bar(label, count, correct, round(100 * count / total) if total else 0) for label, count, correct in rows]


def choices_in_order(*, session: LiveSession, question) -> list:
    """The question's choices as the room sees them: shuffled once per session (so the right one is not always
    where the author wrote it), the same on the projector, the phones and the reveal bars."""
    from courseware.quizzes.grading import display_order

    return [c for c in map(question.choice, display_order(question, session.pk)) if c is not None]


def answer_distribution(*, session: LiveSession, index: int, question) -> tuple[list[Bar], int]:
    """Bars for the host's reveal: one per choice where the question has choices, else right/partly/wrong."""
    answers = list(
        LiveAnswer.objects.filter(session=session, question_index=index, participant__removed=False).values(
            "response", "score"
        )
    )
    total = len(answers)
    if question is None:
        return [], total
    kind = question.kind
    if kind in ("single", "multiple"):
        picked: Counter[str] = Counter()
        for answer in answers:
            response = answer["response"] or {}
            ids = [response.get("choice")] if kind == "single" else list(response.get("choices") or [])
            picked.update(i for i in ids if isinstance(i, str))
        rows = [(c.html, picked[c.id], c.correct) for c in choices_in_order(session=session, question=question)]
        return _bars(rows, total), total
    if kind == "true_false":
        values = Counter((a["response"] or {}).get("value") for a in answers)
        rows = [("True", values[True], question.answer is True), ("False", values[False], question.answer is False)]
        return _bars(rows, total), total
    right = sum(1 for a in answers if a["score"] >= 1.0)
    wrong = sum(1 for a in answers if a["score"] <= 0.0)
    rows = [("Right", right, True)]
    if kind in ("ordering", "spot_the_footgun", "multiple"):
        rows.append(("Partly right", total - right - wrong, False))
    rows.append(("Wrong", wrong, False))
    return _bars(rows, total), total


def line_picks(*, session: LiveSession, index: int) -> Counter[int]:
    """How many picked each line of a spot-the-footgun question (for the projector's reveal)."""
    picks: Counter[int] = Counter()
    rows = LiveAnswer.objects.filter(session=session, question_index=index, participant__removed=False)
    for response in rows.values_list("response", flat=True):
        lines = (response or {}).get("lines") if isinstance(response, dict) else None
        if isinstance(lines, list):
            picks.update(n for n in set(lines) if isinstance(n, int))
    return picks


@dataclass(frozen=True)
class QuestionResult:
    index: int
    ref: str
    question: Any
    answered: int
    correct: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


def question_results(*, session: LiveSession) -> list[QuestionResult]:
    stats = {
        row["question_index"]: row
        for row in LiveAnswer.objects.filter(session=session, participant__removed=False)
        .values("question_index")
        .annotate(answered=Count("id"), right=Count("id", filter=Q(correct=True)))
    }
    results = []
    for index, ref in enumerate(session.questions):
        if index > session.reached_index:
            break
        row = stats.get(index, {})
        results.append(QuestionResult(index, ref, question_for(ref), row.get("answered", 0), row.get("right", 0)))
    return results


def latest_names(*, session: LiveSession, limit: int) -> list[tuple[int, str]]:
    """(participant id, display name) of the latest joiners, newest first: a full room still fits the lobby."""
    rows = session.participants.filter(removed=False).order_by("-joined_at", "-pk")
    return list(rows.values_list("pk", "display_name")[:limit])


PODIUM_CANDIDATES = 200


def podium(*, session: LiveSession) -> list[podium_rules.Place]:
    """The top three places (ties share a place), with speed points and best streaks when speed scoring is on."""
    from .services import MAX_POINTS

    rows = (
        LiveParticipant.objects.filter(session=session, removed=False)
        .annotate(total=Sum("answers__points", default=0), right=Count("answers", filter=Q(answers__correct=True)))
        .order_by("-total", "-right", "display_name", "pk")
        .values_list("pk", "display_name", "total", "right")[:PODIUM_CANDIDATES]
    )
    places = podium_rules.places([podium_rules.Contestant(*row) for row in rows])
    if not session.speed_scoring or not places:
        return places
    ids = [c.id for place in places for c in place.contestants]
    answers: dict[int, list[tuple[int, bool, float, int]]] = {pk: [] for pk in ids}
    for pk, index, correct, score, points in LiveAnswer.objects.filter(participant_id__in=ids).values_list(
        "participant_id", "question_index", "correct", "score", "points"
    ):
        answers[pk].append((index, correct, score, points))

    def with_speed(c: podium_rules.Contestant) -> podium_rules.Contestant:
        mine = answers[c.id]
        return replace(
            c,
            speed_points=sum(podium_rules.speed_points(points, score, MAX_POINTS) for _, _, score, points in mine),
            best_streak=podium_rules.best_streak((index, correct) for index, correct, _, _ in mine),
        )

    return [replace(place, contestants=tuple(map(with_speed, place.contestants))) for place in places]


@dataclass(frozen=True)
class PersonalSummary:
    answered: int
    correct: int
    points: int
    rank: int | None
    answers: list[tuple[Any, LiveAnswer | None]]


def personal_summary(*, session: LiveSession, participant: LiveParticipant) -> PersonalSummary:
    mine = {a.question_index: a for a in LiveAnswer.objects.filter(participant=participant)}
    points = sum(a.points for a in mine.values())
    rank = None
    if session.show_leaderboard:
        better = (
            LiveParticipant.objects.filter(session=session, removed=False)
            .annotate(total=Sum("answers__points", default=0))
            .filter(total__gt=points)
            .count()
        )
        rank = better + 1
    answers = [
        (question_for(ref), mine.get(index))
        for index, ref in enumerate(session.questions)
        if index <= session.reached_index
    ]
    return PersonalSummary(len(mine), sum(1 for a in mine.values() if a.correct), points, rank, answers)


@dataclass(frozen=True)
class RuleHeat:
    rule: str
    failing: int
    percent: int
    level: int
    title: str = ""  # the footgun's name, as the catalogue calls it
    url: str | None = None  # its entry in the catalogue


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "remove" | "context" | "hunk"
    text: str


@dataclass(frozen=True)
class ExerciseRoom:
    checked: int
    passed: int
    parse_errors: int
    heat: list[RuleHeat]
    common_config: dict[str, str] | None
    common_count: int
    # The most common failing config as a diff against the starter, per file (only the changed parts).
    common_diff: dict[str, list[DiffLine]] | None = None


def _latest_checks(session: LiveSession) -> list[LiveCheck]:
    latest_ids = (
        LiveCheck.objects.filter(session=session, participant__removed=False)
        .values("participant")
        .annotate(last=Max("id"))
        .values("last")
    )
    return list(LiveCheck.objects.filter(id__in=latest_ids))


def latest_checks(*, session: LiveSession) -> list[LiveCheck]:
    """Each participant's latest check of the exercise round (removed participants left out)."""
    return _latest_checks(session)


def exercise_room(*, session: LiveSession, with_config: bool = False) -> ExerciseRoom:
    """The room's latest check per participant: failing counts per rule and the most common failing config."""
    latest = _latest_checks(session)
    failing: Counter[str] = Counter()
    for check in latest:
        failing.update(set(check.rules))
    checked = len(latest)
    from courseware.exercises.feedback import rule_link

    library = get_library()
    heat = []
    for rule, count in sorted(failing.items(), key=lambda item: (-item[1], item[0])):
        link = rule_link(rule, library)
        percent = round(100 * count / checked) if checked else 0
        level = min(4, 1 + (4 * count) // max(checked, 1))
        heat.append(RuleHeat(rule, count, percent, level, link.title, link.footgun_url))
    common_config, common_count = None, 0
    if with_config:
        failed = [c for c in latest if not c.passed]
        if failed:
            by_hash = Counter(c.files_hash for c in failed)
            top_hash, common_count = by_hash.most_common(1)[0]
            common_config = next(c.files for c in failed if c.files_hash == top_hash)
    common_diff = None
    if common_config is not None:
        exercise = exercise_for(session.exercise)
        starter = exercise.starter_files() if exercise is not None else {}
        common_diff = {path: starter_diff(starter.get(path, ""), text) for path, text in common_config.items()}
    return ExerciseRoom(
        checked=checked,
        passed=sum(1 for c in latest if c.passed),
        parse_errors=sum(1 for c in latest if c.parse_error),
        heat=heat,
        common_config=common_config,
        common_count=common_count,
        common_diff=common_diff,
    )


def starter_diff(starter: str, text: str, *, context: int = 2, max_lines: int = 60) -> list[DiffLine]:
    """What the learners changed from the starter: a unified diff, the projector's way to show a config."""
    import difflib

    lines: list[DiffLine] = []
    diff = difflib.unified_diff(starter.splitlines(), text.splitlines(), lineterm="", n=context)
    for row in diff:
        if row.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "add", "-": "remove"}.get(row[:1], "context")
        lines.append(DiffLine(kind, row[1:] if kind != "hunk" else row))
        if len(lines) >= max_lines:
            lines.append(DiffLine("hunk", "… (more changes not shown)"))
            break
    return lines


def files_hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        # Whitespace at line ends is not a different config.
        text = "\n".join(line.rstrip() for line in files[path].strip().splitlines())
        digest.update(path.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


def cohort_live_answers(*, cohort):
    """Live answers of a cohort, for the dashboard: same plain fields as quizzes.Answer."""
    return LiveAnswer.objects.for_cohort(cohort)


REPORT_HEADER = ["participant", "signed in as", "question", "question id", "answer", "correct", "seconds", "points"]


def session_report_rows(*, session: LiveSession) -> list[list[Any]]:
    """Every participant's answer to every question reached, in question order (no answer: blank cells)."""
    answers = {
        (a.participant_id, a.question_index): a
        for a in LiveAnswer.objects.filter(session=session, participant__removed=False)
    }
    present = LiveParticipant.objects.filter(session=session, removed=False)
    participants = list(present.select_related("user").order_by("joined_at", "pk"))
    rows = []
    for participant in participants:
        for index, ref in enumerate(session.questions):
            if index > session.reached_index:
                break
            answer = answers.get((participant.pk, index))
            rows.append(
                [
                    participant.display_name,
                    participant.user.get_username() if participant.user else "",
                    index + 1,
                    ref,
                    json.dumps(answer.response, ensure_ascii=False, sort_keys=True) if answer else "",
                    ("yes" if answer.correct else "no") if answer else "",
                    "" if answer is None or answer.seconds is None else answer.seconds,
                    answer.points if answer else "",
                ]
            )
    return rows
