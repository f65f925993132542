"""What learners did with quizzes, keyed by stable content ids (topic, quiz, question) plus the hash seen."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def owned_by(self, *, user, anon_token: str) -> AttemptQuerySet:
        if user is not None and user.is_authenticated:
            return self.filter(user=user)
        if not anon_token:
            return self.none()
        return self.filter(user__isnull=True, anon_token=anon_token)

    def of_quiz(self, *, topic: str, quiz: str) -> AttemptQuerySet:
        return self.filter(topic=topic, quiz=quiz)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def unfinished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=True)


class Attempt(models.Model):
    """One run through a quiz by a learner (user) or an anonymous visitor (anon_token kept in the session)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="quiz_attempts"
    )
    anon_token = models.CharField(max_length=64, blank=True, default="", db_index=True)
    topic = models.SlugField(max_length=80)
    quiz = models.SlugField(max_length=80)
    seed = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "topic", "quiz"]), models.Index(fields=["topic", "quiz"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(anon_token=""), name="attempt_has_an_owner"
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.pk} on {self.topic}/{self.quiz}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def score_display(self) -> str:
        return f"{round(self.score or 0, 2):g}"

    @property
    def percent(self) -> int:
        if not self.max_score:
            return 0
        return round(100 * (self.score or 0) / self.max_score)


class AnswerQuerySet(models.QuerySet["Answer"]):
    def for_question(self, *, topic: str, quiz: str, question_id: str) -> AnswerQuerySet:
        return self.filter(topic=topic, quiz=quiz, question_id=question_id)

    def for_footgun(self, *, topic: str, footgun: str) -> AnswerQuerySet:
        return self.filter(topic=topic, footgun=footgun)

    def wrong(self) -> AnswerQuerySet:
        return self.filter(correct=False)


class Answer(models.Model):
    """One graded answer. Topic, quiz, question and footgun are plain indexed columns so the dashboard and
    live sessions can aggregate without loading content."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    topic = models.SlugField(max_length=80)
    quiz = models.SlugField(max_length=80)
    question_id = models.SlugField(max_length=80)
    response = models.JSONField()
    correct = models.BooleanField()
    score = models.FloatField()
    footgun = models.SlugField(max_length=80, blank=True, default="")
    primer = models.SlugField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="one_answer_per_question")]
        indexes = [
            models.Index(fields=["topic", "quiz", "question_id"]),
            models.Index(fields=["topic", "footgun"]),
        ]

    def __str__(self) -> str:
        return f"{self.topic}/{self.quiz}#{self.question_id}: {'right' if self.correct else 'wrong'}"


class ReviewItemQuerySet(models.QuerySet["ReviewItem"]):
    def for_user(self, user) -> ReviewItemQuerySet:
        return self.filter(user=user)

    def due(self, *, now) -> ReviewItemQuerySet:
        return self.filter(due_at__lte=now)


class ReviewItem(models.Model):
    """A question the learner got wrong, scheduled to come back: its FSRS card (see scheduling.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_items")
    topic = models.SlugField(max_length=80)
    quiz = models.SlugField(max_length=80)
    question_id = models.SlugField(max_length=80)
    state = models.PositiveSmallIntegerField(default=1)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    last_result = models.BooleanField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)  # the card's last rating, in a quiz or review
    updated_at = models.DateTimeField()

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic", "quiz", "question_id"], name="one_review_item_per_question"
            )
        ]
        indexes = [models.Index(fields=["user", "due_at"])]

    def __str__(self) -> str:
        return f"review {self.topic}/{self.quiz}#{self.question_id} due {self.due_at}"

    @property
    def schedule(self):
        from .scheduling import Schedule

        if self.due_at is None:
            return None
        return Schedule(
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due_at=self.due_at,
            last_review=self.last_reviewed_at,
        )

    def set_schedule(self, schedule) -> None:
        self.state, self.step = schedule.state, schedule.step
        self.stability, self.difficulty = schedule.stability, schedule.difficulty
        self.due_at, self.last_reviewed_at = schedule.due_at, schedule.last_review
