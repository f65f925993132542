from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch

from courseware.topics.content import Topic
from courseware.topics.library import get_library
from courseware.topics.progress import ProgressPart, topic_progress

from .models import Cohort, CohortTopic


@dataclass(frozen=True)
class Assignment:
    topic: Topic
    due_date: dt.date | None
    cohorts: tuple[str, ...]
    parts: tuple[ProgressPart, ...]

    @property
    def next_steps(self):
        """The first step of each part (reading, quizzes, exercises, reviews) first, then the rest."""
        firsts = [part.next_steps[0] for part in self.parts if part.next_steps]
        rest = [step for part in self.parts for step in part.next_steps[1:]]
        return firsts + rest

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.due_date is not None and self.due_date < timezone.localdate() and not self.complete

    @property
    def complete(self) -> bool:
        return all(part.complete or part.total == 0 for part in self.parts)


def cohorts_for_learner(*, user) -> list[Cohort]:
    return list(
        Cohort.objects.joined_by(user)
        .active()
        .prefetch_related(Prefetch("topics", queryset=CohortTopic.objects.order_by("position")))
    )


def learner_assignments(*, user) -> list[Assignment]:
    """Assigned topics across the learner's cohorts: earliest due date first, with progress and next steps."""
    library = get_library()
    due: dict[str, dt.date | None] = {}
    names: dict[str, list[str]] = {}
    for cohort in cohorts_for_learner(user=user):
        for assigned in cohort.topics.all():
            if library.topic(assigned.topic) is None:
                continue
            names.setdefault(assigned.topic, []).append(cohort.name)
            current = due.get(assigned.topic)
            if assigned.topic not in due or (assigned.due_date and (current is None or assigned.due_date < current)):
                due[assigned.topic] = assigned.due_date
    topics = [library.topic(slug) for slug in due]
    progress = topic_progress(user, topics)
    assignments = [
        Assignment(topic=t, due_date=due[t.slug], cohorts=tuple(names[t.slug]), parts=tuple(progress[t.slug]))
        for t in topics
    ]
    return sorted(assignments, key=lambda a: (a.due_date is None, a.due_date or dt.date.max, a.topic.title))


def cohorts_for_instructor(*, user) -> list[Cohort]:
    return list(
        Cohort.objects.taught_by(user)
        .annotate(learner_count=Count("memberships", distinct=True))
        .prefetch_related("topics")
        .order_by("archived_at", "-created_at")
    )
