from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch in CODE_ALPHABET)[:CODE_LENGTH]


class CohortQuerySet(models.QuerySet["Cohort"]):
    def taught_by(self, user) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(instructors=user)

    def joined_by(self, user) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def visible_to(self, user) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(instructors=user) | Q(memberships__user=user)).distinct()

    def active(self) -> CohortQuerySet:
        return self.filter(archived_at__isnull=True)


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    join_code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_join_code)
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teaching_cohorts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="created_cohorts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CohortTopic(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="topics")
    topic = models.SlugField(max_length=80)
    due_date = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "topic"]
        constraints = [models.UniqueConstraint(fields=["cohort", "topic"], name="topic_once_per_cohort")]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.topic}"


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="join_cohort_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"
