from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Value
from django.shortcuts import get_object_or_404

from courseware.topics.content import Topic

from .content import Exercise, exercises_of
from .models import Draft, HintReveal, Submission, Visitor
from .services import submissions_interrupt_stale

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
PASSED = "passed"
STATUS_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", PASSED: "Passed"}


def exercise_status_for(*, user, topic: Topic) -> dict[str, str]:
    """Each exercise slug of the topic → not_started | in_progress | passed, in one query."""
    statuses = {exercise.slug: NOT_STARTED for exercise in exercises_of(topic)}
    if not user.is_authenticated or not statuses:
        return statuses
    checked = (
        Submission.objects.for_user(user)
        .filter(topic=topic.slug)
        .order_by()
        .values("exercise")
        .annotate(passes=Count("id", filter=Q(passed=True)))
    )
    drafted = (
        Draft.objects.filter(user=user, topic=topic.slug)
        .order_by()
        .annotate(passes=Value(0, output_field=IntegerField()))
        .values("exercise", "passes")
    )
    for row in checked.union(drafted, all=True).order_by():
        slug = row["exercise"]
        if slug in statuses and statuses[slug] != PASSED:
            statuses[slug] = PASSED if row["passes"] else IN_PROGRESS
    return statuses


@dataclass(frozen=True)
class Workspace:
    files: dict[str, str]
    from_draft: bool
    latest: Submission | None
    hints_revealed: int
    checks: int
    failed_checks: int
    passed: bool
    solution_unlocked: bool


def solution_unlocked(exercise: Exercise, *, passed: bool, failed_checks: int) -> bool:
    if passed:
        return True
    return exercise.solution_after_failed_checks > 0 and failed_checks >= exercise.solution_after_failed_checks


@dataclass(frozen=True)
class Progress:
    checks: int
    failed_checks: int
    passed: bool
    solution_unlocked: bool


def progress_for(*, user, exercise: Exercise) -> Progress:
    counts = (
        Submission.objects.for_user(user)
        .for_exercise(exercise)
        .aggregate(
            checks=Count("id", filter=Q(counts_as_attempt=True)),
            failed=Count("id", filter=Q(counts_as_attempt=True, passed=False)),
            passes=Count("id", filter=Q(passed=True)),
        )
    )
    passed = counts["passes"] > 0
    return Progress(
        checks=counts["checks"],
        failed_checks=counts["failed"],
        passed=passed,
        solution_unlocked=solution_unlocked(exercise, passed=passed, failed_checks=counts["failed"]),
    )


def workspace_for(*, user, exercise: Exercise) -> Workspace:
    files = exercise.starter_files()
    visitor = isinstance(user, Visitor)
    if not user.is_authenticated and not visitor:
        return Workspace(files, False, None, 0, 0, 0, False, False)
    draft = None if visitor else Draft.objects.filter(user=user, topic=exercise.topic, exercise=exercise.slug).first()
    from_draft = False
    if draft is not None and isinstance(draft.files, dict):
        # Only the exercise's own files, in its order; a file added to the exercise later starts from the starter.
        files = {path: str(draft.files.get(path, text)) for path, text in files.items()}
        from_draft = True
    submissions_interrupt_stale(user=user)
    mine = Submission.objects.for_user(user).for_exercise(exercise)
    counts = mine.aggregate(
        checks=Count("id", filter=Q(counts_as_attempt=True)),
        failed=Count("id", filter=Q(counts_as_attempt=True, passed=False)),
        passes=Count("id", filter=Q(passed=True)),
    )
    latest = mine.finished().first()
    hints = 0 if visitor else HintReveal.objects.filter(user=user, topic=exercise.topic, exercise=exercise.slug).count()
    passed = counts["passes"] > 0
    return Workspace(
        files=files,
        from_draft=from_draft,
        latest=latest,
        hints_revealed=min(hints, len(exercise.hints)),
        checks=counts["checks"],
        failed_checks=counts["failed"],
        passed=passed,
        solution_unlocked=solution_unlocked(exercise, passed=passed, failed_checks=counts["failed"]),
    )


def status_of(workspace: Workspace) -> str:
    """The same answer as exercise_status_for, from a workspace already loaded."""
    if workspace.passed:
        return PASSED
    return IN_PROGRESS if workspace.from_draft or workspace.latest is not None else NOT_STARTED


def submission_of(*, user, pk: int) -> Submission:
    """A learner sees only their own submissions: anyone else's is a 404, not a 403."""
    submissions_interrupt_stale(user=user)
    return get_object_or_404(Submission.objects.for_user(user), pk=pk)


def submissions_of(*, user, exercise: Exercise, limit: int = 20) -> list[Submission]:
    submissions_interrupt_stale(user=user)
    return list(
        Submission.objects.for_user(user)
        .for_exercise(exercise)
        .only("id", "status", "passed", "findings_count", "created_at", "duration_ms", "check_number")[:limit]
    )
