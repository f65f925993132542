"""Live sessions: an instructor-paced quiz (and exercise round) for a cohort, all state in the database.

A server restart loses nothing: the session row holds the state, the current question, the deadline
and the time left when paused; answers and checks are rows. `version` is bumped on every state change
and is the ETag of the learners' polls.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from courseware.cohorts.models import CODE_LENGTH, Cohort, new_join_code

from . import state as live_state

GUEST_NAME_MAX = 40


def new_participant_token() -> str:
    return secrets.token_urlsafe(18)


class LiveSessionQuerySet(models.QuerySet["LiveSession"]):
    def hosted_by(self, user) -> LiveSessionQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(cohort__instructors=user)

    def running(self) -> LiveSessionQuerySet:
        return self.exclude(state=live_state.FINISHED)


class LiveSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="live_sessions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="hosted_live_sessions"
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_join_code)
    title = models.CharField(max_length=200)
    # Stable question references, in play order: "<topic>/<quiz>#<question-id>".
    questions = models.JSONField(default=list)
    exercise = models.CharField(max_length=170, blank=True, default="")  # "<topic>/<exercise-slug>"
    question_seconds = models.PositiveSmallIntegerField(default=30)
    exercise_seconds = models.PositiveIntegerField(default=300)
    allow_guests = models.BooleanField(default=False)
    show_leaderboard = models.BooleanField(default=True)
    speed_scoring = models.BooleanField(default=False)
    lobby_locked = models.BooleanField(default=False)  # no one new may join

    state = models.CharField(max_length=20, default=live_state.LOBBY)
    current_index = models.IntegerField(default=-1)
    reached_index = models.IntegerField(default=-1)
    deadline = models.DateTimeField(null=True, blank=True)
    paused_from = models.CharField(max_length=20, blank=True, default="")
    pause_remaining = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        db_table = "cohorts_livesession"  # kept from when live sessions were part of cohorts
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=live_state.STATES), name="live_session_state_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def machine(self) -> live_state.LiveState:
        return live_state.LiveState(
            state=self.state,
            index=self.current_index,
            reached=self.reached_index,
            deadline=self.deadline,
            paused_from=self.paused_from,
            pause_remaining=self.pause_remaining,
            question_count=len(self.questions),
            question_seconds=self.question_seconds,
            has_exercise=bool(self.exercise),
            exercise_seconds=self.exercise_seconds,
        )

    def apply(self, machine: live_state.LiveState) -> list[str]:
        self.state = machine.state
        self.current_index = machine.index
        self.reached_index = machine.reached
        self.deadline = machine.deadline
        self.paused_from = machine.paused_from
        self.pause_remaining = machine.pause_remaining
        return ["state", "current_index", "reached_index", "deadline", "paused_from", "pause_remaining"]

    @property
    def state_label(self) -> str:
        return live_state.STATE_LABELS.get(self.state, self.state)

    @property
    def current_ref(self) -> str | None:
        if 0 <= self.current_index < len(self.questions):
            return self.questions[self.current_index]
        return None


class LiveParticipant(models.Model):
    """A signed-in learner of the cohort, or a guest with a display name (user is null)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="live_participations"
    )
    display_name = models.CharField(max_length=GUEST_NAME_MAX)
    token = models.CharField(max_length=32, default=new_participant_token)
    # Removed by the host: hidden from the projector, answers and checks left out of every count; cannot rejoin.
    removed = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "cohorts_liveparticipant"  # kept from when live sessions were part of cohorts
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(user__isnull=False), name="live_join_once_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class LiveAnswerQuerySet(models.QuerySet["LiveAnswer"]):
    def for_cohort(self, cohort) -> LiveAnswerQuerySet:
        return self.filter(session__cohort=cohort, participant__removed=False)

    def for_footgun(self, *, topic: str, footgun: str) -> LiveAnswerQuerySet:
        return self.filter(topic=topic, footgun=footgun)

    def wrong(self) -> LiveAnswerQuerySet:
        return self.filter(correct=False)


class LiveAnswer(models.Model):
    """One answer in a live session. Topic, quiz, question_id, correct, score, footgun and primer are the
    same plain columns as quizzes.Answer, so the dashboard can read both kinds the same way."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(LiveParticipant, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="live_answers"
    )
    question_index = models.PositiveSmallIntegerField()
    topic = models.SlugField(max_length=80)
    quiz = models.SlugField(max_length=80)
    question_id = models.SlugField(max_length=80)
    response = models.JSONField()
    correct = models.BooleanField()
    score = models.FloatField()
    points = models.PositiveIntegerField(default=0)
    # Seconds from the question opening to this answer (pauses excluded); None for answers stored before it was kept.
    seconds = models.FloatField(null=True, blank=True)
    footgun = models.SlugField(max_length=80, blank=True, default="")
    primer = models.SlugField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField()

    objects = LiveAnswerQuerySet.as_manager()

    class Meta:
        db_table = "cohorts_liveanswer"  # kept from when live sessions were part of cohorts
        constraints = [
            models.UniqueConstraint(fields=["participant", "question_index"], name="live_one_answer_per_question")
        ]
        indexes = [
            models.Index(fields=["session", "question_index"]),
            models.Index(fields=["topic", "quiz", "question_id"]),
            models.Index(fields=["topic", "footgun"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic}/{self.quiz}#{self.question_id}: {'right' if self.correct else 'wrong'}"


class LiveCheck(models.Model):
    """One check of the exercise round's config by a participant: the rules that fired, not who wrote what."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="checks")
    participant = models.ForeignKey(LiveParticipant, on_delete=models.CASCADE, related_name="checks")
    exercise = models.CharField(max_length=170)
    passed = models.BooleanField()
    parse_error = models.BooleanField(default=False)
    rules = models.JSONField(default=list)
    files = models.JSONField(default=dict)
    files_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "cohorts_livecheck"  # kept from when live sessions were part of cohorts
        ordering = ["pk"]
        indexes = [models.Index(fields=["session", "participant"])]

    def __str__(self) -> str:
        return f"check {self.pk} in {self.session_id}: {'passed' if self.passed else 'failed'}"
