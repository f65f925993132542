from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    PENDING = "pending", "Checking"
    OK = "ok", "Checked"
    REJECTED = "rejected", "Rejected"
    TIMEOUT = "timeout", "Timed out"
    CPU_LIMIT = "cpu_limit", "CPU limit"
    MEMORY_LIMIT = "memory_limit", "Memory limit"
    OUTPUT_LIMIT = "output_limit", "Output limit"
    CRASHED = "crashed", "Checker failed"
    BUSY = "busy", "Checker busy"
    # The server stopped mid-check (a worker killed or restarted): settled on read after the wall limit.
    INTERRUPTED = "interrupted", "Interrupted"


# Only the learner's own input uses up an attempt; a runner failure never does.
COUNTED_STATUSES = (Status.OK, Status.REJECTED)


@dataclass(frozen=True)
class Visitor:
    """A visitor without an account, known by the token in their session (the one quiz attempts use)."""

    token: str
    is_authenticated = False
    pk = None


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def for_user(self, user) -> SubmissionQuerySet:
        """`user` is a user, a user id or a Visitor (their checks, keyed to their session)."""
        if isinstance(user, Visitor):
            return self.filter(user__isnull=True, anon_token=user.token) if user.token else self.none()
        return self.filter(user=user)

    def for_exercise(self, exercise) -> SubmissionQuerySet:
        return self.filter(topic=exercise.topic, exercise=exercise.slug)

    def counted(self) -> SubmissionQuerySet:
        return self.filter(counts_as_attempt=True)

    def failed(self) -> SubmissionQuerySet:
        return self.counted().filter(passed=False)

    def finished(self) -> SubmissionQuerySet:
        return self.exclude(status=Status.PENDING)

    def first_checks(self) -> SubmissionQuerySet:
        return self.filter(check_number=1)


class Submission(models.Model):
    """One check of an exercise. Stored as pending before the runner starts, completed after."""

    # A visitor's check has no user but the token of their session; it moves into the account at sign-up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions", null=True, blank=True
    )
    anon_token = models.CharField(max_length=64, blank=True, default="", db_index=True)
    topic = models.SlugField(max_length=80)
    exercise = models.SlugField(max_length=80)
    files = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    passed = models.BooleanField(default=False)
    counts_as_attempt = models.BooleanField(default=False)
    # The learner's nth counted check of this exercise (1 = first check); null when not counted.
    check_number = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    verdict = models.JSONField(null=True, blank=True)
    findings_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    hints_used = models.PositiveSmallIntegerField(default=0)
    content_hash = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "topic", "exercise", "-created_at"], name="submission_by_learner"),
            models.Index(fields=["topic", "exercise", "check_number"], name="submission_by_check"),
        ]

    def __str__(self) -> str:
        return f"{self.user or 'a visitor'} checked {self.topic}/{self.exercise}: {self.status}"

    @property
    def owner(self):
        return Visitor(self.anon_token) if self.user_id is None else self.user_id

    @property
    def is_finished(self) -> bool:
        return self.status != Status.PENDING

    @property
    def summary(self) -> str:
        """The check in a few words. A failed check with no findings (an emptied file, an unmet requirement)
        says it did not pass, never "0 findings" as if nothing were wrong."""
        if self.passed:
            return "passed"
        if self.status != Status.OK:
            return self.get_status_display().lower()
        if self.findings_count:
            return f"not passed, {self.findings_count} finding{'s' if self.findings_count != 1 else ''}"
        return "not passed"


class FiredRule(models.Model):
    """A rule that fired on a submission (suppressed findings included): one row per rule.

    Kept as rows so the instructor dashboard can ask which rules fire most on first checks and
    who tripped a given footgun with plain joins, on SQLite and PostgreSQL alike.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="fired_rules")
    rule = models.CharField(max_length=120)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "rule"], name="one_row_per_fired_rule")]
        indexes = [models.Index(fields=["rule"])]

    def __str__(self) -> str:
        return f"{self.rule} ×{self.count}"


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_drafts")
    topic = models.SlugField(max_length=80)
    exercise = models.SlugField(max_length=80)
    files = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "exercise"], name="one_draft_per_learner_exercise")
        ]

    def __str__(self) -> str:
        return f"{self.user}'s draft of {self.topic}/{self.exercise}"


class HintReveal(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hint_reveals")
    topic = models.SlugField(max_length=80)
    exercise = models.SlugField(max_length=80)
    level = models.PositiveSmallIntegerField()
    revealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["user", "topic", "exercise", "level"], name="one_reveal_per_hint"),
            models.CheckConstraint(condition=Q(level__gte=1), name="hint_level_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user} revealed hint {self.level} of {self.topic}/{self.exercise}"
