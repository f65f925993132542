from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from courseware.accounts.roles import is_instructor

from .models import Cohort, CohortTopic, Membership, new_join_code


class CohortError(Exception):
    """A refused cohort action, with a message for the person who tried it."""


def cohort_create(*, instructor: User, name: str, topics: list[tuple[str, dt.date | None]]) -> Cohort:
    if not is_instructor(instructor):
        raise CohortError("Only instructors can create cohorts.")
    for _ in range(5):
        try:
            with transaction.atomic():
                cohort = Cohort.objects.create(name=name, created_by=instructor, join_code=new_join_code())
                break
        except IntegrityError:  # a join code collision: draw again
            continue
    else:
        raise CohortError("Could not draw a free join code; try again.")
    cohort.instructors.add(instructor)
    cohort_set_topics(cohort=cohort, topics=topics)
    return cohort


def cohort_set_topics(*, cohort: Cohort, topics: list[tuple[str, dt.date | None]]) -> None:
    with transaction.atomic():
        cohort.topics.exclude(topic__in=[slug for slug, _ in topics]).delete()
        for position, (slug, due) in enumerate(topics):
            CohortTopic.objects.update_or_create(
                cohort=cohort, topic=slug, defaults={"due_date": due, "position": position}
            )


def cohort_join(*, user: User, cohort: Cohort) -> Membership:
    if cohort.is_archived:
        raise CohortError("This cohort is archived and no longer takes new members.")
    try:
        with transaction.atomic():
            membership, _ = Membership.objects.get_or_create(cohort=cohort, user=user)
    except IntegrityError:
        membership = Membership.objects.get(cohort=cohort, user=user)
    return membership


def cohort_remove_learner(*, cohort: Cohort, user: User) -> None:
    Membership.objects.filter(cohort=cohort, user=user).delete()


def cohort_leave(*, cohort: Cohort, user: User) -> bool:
    """A learner leaves a cohort. Their own progress stays theirs; the cohort's instructors stop seeing it."""
    deleted, _ = Membership.objects.filter(cohort=cohort, user=user).delete()
    return bool(deleted)


def cohort_add_instructor(*, cohort: Cohort, username: str) -> User:
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not is_instructor(user):
        raise CohortError(f"No instructor is called '{username.strip()}'.")
    cohort.instructors.add(user)
    return user


def cohort_archive(*, cohort: Cohort, archived: bool = True) -> None:
    cohort.archived_at = timezone.now() if archived else None
    cohort.save(update_fields=["archived_at"])
