"""Reads for live sessions: content lookups by stable reference, counts, distributions, results."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, Sum

from courseware.topics.library import get_library

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


@dataclass(frozen=True)
class Standing:
    rank: int
    name: str
    points: int
    correct: int


def leaderboard(*, session: LiveSession, limit: int = 10) -> list[Standing]:
    rows = (
        LiveParticipant.objects.filter(session=session, removed=False)
        .annotate(total=Sum("answers__points", default=0), right=Count("answers", filter=Q(answers__correct=True)))
        .order_by("-total", "-right", "joined_at")
        .values("display_name", "total", "right")[:limit]
    )
    return [Standing(rank, row["display_name"], row["total"], row["right"]) for rank, row in enumerate(rows, 1)]


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
