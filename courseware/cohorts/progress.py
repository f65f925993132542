"""Progress parts for quizzes, exercises and reviews, answered for many topics with one query each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count
from django.utils import timezone

from courseware.exercises.content import exercises_of
from courseware.exercises.models import Submission
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Attempt, ReviewItem
from courseware.topics.content import Topic
from courseware.topics.progress import NextStep, ProgressPart


def quizzes_progress(user, topics: Sequence[Topic]) -> dict[str, ProgressPart]:
    slugs = [t.slug for t in topics]
    passed: dict[str, set[str]] = defaultdict(set)
    for topic, quiz in (
        Attempt.objects.filter(user=user, topic__in=slugs, passed=True).values_list("topic", "quiz").distinct()
    ):
        passed[topic].add(quiz)
    result = {}
    for topic in topics:
        quizzes = quizzes_of(topic)
        todo = [q for slug, q in quizzes.items() if slug not in passed[topic.slug]]
        result[topic.slug] = ProgressPart(
            name="quizzes",
            done=len(quizzes) - len(todo),
            total=len(quizzes),
            next_steps=tuple(
                NextStep(f"Pass the quiz “{q.title}”", f"/topics/{topic.slug}/quizzes/{q.slug}/") for q in todo
            ),
        )
    return result


def exercises_progress(user, topics: Sequence[Topic]) -> dict[str, ProgressPart]:
    slugs = [t.slug for t in topics]
    passed: dict[str, set[str]] = defaultdict(set)
    for topic, exercise in (
        Submission.objects.filter(user=user, topic__in=slugs, passed=True).values_list("topic", "exercise").distinct()
    ):
        passed[topic].add(exercise)
    result = {}
    for topic in topics:
        exercises = exercises_of(topic)
        todo = [e for e in exercises if e.slug not in passed[topic.slug]]
        result[topic.slug] = ProgressPart(
            name="exercises",
            done=len(exercises) - len(todo),
            total=len(exercises),
            next_steps=tuple(
                NextStep(f"Solve “{e.title}”", f"/topics/{topic.slug}/exercises/{e.slug}/") for e in todo[:3]
            ),
        )
    return result


def reviews_progress(user, topics: Sequence[Topic]) -> dict[str, ProgressPart]:
    slugs = [t.slug for t in topics]
    due = dict(
        ReviewItem.objects.filter(user=user, topic__in=slugs)
        .due(now=timezone.now())
        .values("topic")
        .annotate(n=Count("id"))
        .values_list("topic", "n")
    )
    return {
        slug: ProgressPart(
            name="reviews due", done=0, total=0, next_steps=(NextStep(f"Review {n} question(s)", "/review/"),)
        )
        for slug, n in due.items()
        if n
    }
