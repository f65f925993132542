"""Generate a cohort with realistic learner history, for benchmarks and demos.

    manage.py generate_cohort_history --learners 200 [--topics aws-lambda,...] [--seed 1]

Each learner gets a skill level; reading, quiz answers (1-3 attempts per quiz), exercise checks (1-6 per
exercise, the targeted rules firing until the learner fixes them) and hint reveals follow from it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from courseware.accounts.services import instructor_grant
from courseware.cohorts.models import Cohort, CohortTopic, Membership
from courseware.exercises.content import exercises_of
from courseware.exercises.models import FiredRule, HintReveal, Submission
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Answer, Attempt
from courseware.topics.library import get_library
from courseware.topics.models import PageRead


class Command(BaseCommand):
    help = "Create a cohort with N learners and realistic history (for benchmarks and demos)."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--learners", type=int, default=200)
        parser.add_argument("--topics", default="", help="comma-separated topic slugs (default: all installed)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--name", default="Generated cohort")
        parser.add_argument("--prefix", default="", help="learners' username prefix (default gen<cohort id>-)")

    def handle(self, *args, **options) -> None:
        rng = random.Random(options["seed"])
        library = get_library()
        slugs = [s for s in options["topics"].split(",") if s] or list(library.topics)
        topics = [library.topic(s) for s in slugs]
        if None in topics:
            raise CommandError(f"unknown topic among {slugs}")
        with transaction.atomic():
            cohort = self._generate(rng, topics, options["learners"], options["name"], options["prefix"])
        self.stdout.write(f"cohort {cohort.pk} with {options['learners']} learners and {len(topics)} topics")

    def _generate(self, rng: random.Random, topics, count: int, name: str, prefix: str = "") -> Cohort:
        password = make_password(None)  # unusable: generated learners cannot log in
        teacher, _ = User.objects.get_or_create(username="generated-instructor", defaults={"password": password})
        instructor_grant(user=teacher)
        cohort = Cohort.objects.create(name=name, created_by=teacher)
        cohort.instructors.add(teacher)
        CohortTopic.objects.bulk_create(
            CohortTopic(cohort=cohort, topic=t.slug, position=i, due_date=timezone.localdate() + dt.timedelta(days=14))
            for i, t in enumerate(topics)
        )
        prefix = prefix or f"gen{cohort.pk}-"
        users = User.objects.bulk_create(User(username=f"{prefix}{i:04d}", password=password) for i in range(count))
        Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in users)
        start = timezone.now() - dt.timedelta(days=10)
        reads, attempts, submissions, hints = [], [], [], []
        for user in users:
            skill = rng.random()
            for topic in topics:
                for kind in topic.page_order:
                    if rng.random() < 0.3 + 0.6 * skill:
                        reads.append(PageRead(user=user, topic=topic.slug, kind=kind, content_hash=topic.content_hash))
                for quiz in quizzes_of(topic).values():
                    when = start + dt.timedelta(hours=rng.randint(0, 200))
                    for _ in range(rng.choice((1, 1, 2, 3)) if rng.random() < 0.85 else 0):
                        attempt = Attempt(
                            user=user,
                            topic=topic.slug,
                            quiz=quiz.slug,
                            seed=rng.randint(1, 10**6),
                            content_hash=quiz.content_hash,
                            started_at=when,
                            finished_at=when + dt.timedelta(minutes=9),
                        )
                        rows = []
                        for question in quiz.questions:
                            correct = rng.random() < 0.35 + 0.6 * skill
                            response = {}
                            if question.kind == "single" and not correct:
                                wrong = [c.id for c in question.choices if not c.correct]
                                response = {"choice": rng.choice(wrong)} if wrong else {}
                            rows.append(
                                Answer(
                                    topic=topic.slug,
                                    quiz=quiz.slug,
                                    question_id=question.id,
                                    response=response,
                                    correct=correct,
                                    score=1.0 if correct else 0.0,
                                    footgun=question.footgun,
                                    primer=question.primer,
                                    created_at=when,
                                )
                            )
                        score = sum(a.score for a in rows)
                        attempt.score, attempt.max_score = score, float(len(rows))
                        attempt.passed = score / max(1, len(rows)) >= quiz.pass_mark
                        attempts.append((attempt, rows))
                        when += dt.timedelta(days=1)
                        skill = min(1.0, skill + 0.1)
                for exercise in exercises_of(topic):
                    if rng.random() > 0.4 + 0.5 * skill:
                        continue
                    remaining = list(exercise.targets)
                    when = start + dt.timedelta(hours=rng.randint(0, 200))
                    for number in range(1, rng.randint(1, 6) + 1):
                        if number > 1 and remaining and rng.random() < 0.3 + 0.5 * skill:
                            remaining.pop()
                        passed = not remaining
                        sub = Submission(
                            user=user,
                            topic=topic.slug,
                            exercise=exercise.slug,
                            files={f.path: f.text for f in exercise.starter},
                            status="ok",
                            passed=passed,
                            counts_as_attempt=True,
                            check_number=number,
                            report={"version": 1, "files": []},
                            findings_count=len(remaining),
                            duration_ms=rng.randint(15, 60),
                            content_hash=exercise.content_hash,
                            finished_at=when,
                        )
                        submissions.append((sub, list(remaining), when))
                        when += dt.timedelta(minutes=3)
                        if passed:
                            break
                    for level in range(1, rng.choice((0, 0, 1, 2, 4)) + 1):
                        hints.append(HintReveal(user=user, topic=topic.slug, exercise=exercise.slug, level=level))
        PageRead.objects.bulk_create(reads, batch_size=2000)
        Attempt.objects.bulk_create([a for a, _ in attempts], batch_size=2000)
        for attempt, rows in attempts:
            for row in rows:
                row.attempt = attempt
        Answer.objects.bulk_create([row for _, rows in attempts for row in rows], batch_size=5000)
        Submission.objects.bulk_create([s for s, _, _ in submissions], batch_size=2000)
        FiredRule.objects.bulk_create(
            [FiredRule(submission=sub, rule=rule) for sub, rules, _ in submissions for rule in rules], batch_size=5000
        )
        HintReveal.objects.bulk_create(hints, batch_size=2000, ignore_conflicts=True)
        return cohort
