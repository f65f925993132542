"""Reads for the instructor dashboard. Each function answers for a whole cohort with a fixed number of
queries (no N+1), then hands plain rows to the pure functions in stats.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, F, Max, Min, Q, QuerySet

from courseware.cohorts.models import Cohort
from courseware.exercises.content import exercises_of
from courseware.exercises.models import FiredRule, HintReveal, Submission
from courseware.footguns.registry import all_rules
from courseware.live.models import LiveAnswer
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Answer, Attempt
from courseware.topics.content import Footgun, Topic
from courseware.topics.library import get_library
from courseware.topics.models import PageRead
from courseware.topics.progress import pages_done

from . import stats

RULE_FOOTGUN = {rule.id: rule.footgun for rule in all_rules()}


def cohort_for_instructor(*, user, pk: int) -> Cohort:
    """The cohort if this user teaches it; Cohort.DoesNotExist otherwise (views turn it into 404)."""
    return Cohort.objects.taught_by(user).get(pk=pk)


def cohort_topics(cohort: Cohort) -> list[Topic]:
    library = get_library()
    return [t for a in cohort.topics.all() if (t := library.topic(a.topic)) is not None]


def cohort_learners(cohort: Cohort) -> QuerySet[User]:
    return User.objects.filter(memberships__cohort=cohort).order_by("username")


# Readiness matrix ------------------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    learner: User
    cells: list[stats.Readiness] = field(default_factory=list)

    @property
    def ready_count(self) -> int:
        return sum(cell.ready for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    topics: list[Topic]
    rows: list[MatrixRow]
    rules: dict[str, stats.ReadinessRule]

    def ready_in(self, index: int) -> int:
        return sum(row.cells[index].ready for row in self.rows)


def readiness_rule(topic: Topic) -> stats.ReadinessRule:
    return stats.ReadinessRule.default_for(
        quizzes=list(quizzes_of(topic)), exercises=[e.slug for e in exercises_of(topic)]
    )


def readiness_matrix(*, cohort: Cohort, sort: str = "name") -> Matrix:
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    learners = list(cohort_learners(cohort))
    ids = [learner.pk for learner in learners]

    pages: dict[tuple[int, str], set[str]] = defaultdict(set)
    for user_id, topic, kind in PageRead.objects.filter(user_id__in=ids, topic__in=slugs).values_list(
        "user_id", "topic", "kind"
    ):
        pages[(user_id, topic)].add(kind)

    best: dict[tuple[int, str], dict[str, tuple[float, bool]]] = defaultdict(dict)
    attempts = Attempt.objects.filter(user_id__in=ids, topic__in=slugs, finished_at__isnull=False).values_list(
        "user_id", "topic", "quiz", "score", "max_score", "passed"
    )
    for user_id, topic, quiz, score, max_score, passed in attempts:
        share = (score or 0) / max_score if max_score else 0.0
        current = best[(user_id, topic)].get(quiz, (0.0, False))
        best[(user_id, topic)][quiz] = (max(current[0], share), current[1] or bool(passed))

    passed_exercises: dict[tuple[int, str], set[str]] = defaultdict(set)
    for user_id, topic, exercise in (
        Submission.objects.filter(user_id__in=ids, topic__in=slugs, passed=True)
        .values_list("user_id", "topic", "exercise")
        .distinct()
    ):
        passed_exercises[(user_id, topic)].add(exercise)

    rules = {t.slug: readiness_rule(t) for t in topics}
    rows = []
    for learner in learners:
        row = MatrixRow(learner=learner)
        for topic in topics:
            row.cells.append(
                stats.readiness(
                    rules[topic.slug],
                    pages_read=pages_done(topic, pages[(learner.pk, topic.slug)]),  # as on the learner's home
                    pages_total=len(topic.page_order),
                    best_quiz=best[(learner.pk, topic.slug)],
                    exercises_passed=passed_exercises[(learner.pk, topic.slug)],
                    exercises_total=len(exercises_of(topic)),
                )
            )
        rows.append(row)
    rows.sort(key=_sort_key(sort, [t.slug for t in topics]))
    return Matrix(topics=topics, rows=rows, rules=rules)


def _sort_key(sort: str, slugs: list[str]):
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    if column in slugs:
        index = slugs.index(column)

        def key(row: MatrixRow):
            cell = row.cells[index]
            value = (cell.ready, cell.quizzes_passed, cell.exercises_passed, cell.pages_read, cell.best_quiz_share or 0)
            return tuple(-v for v in value) if descending else value

        return key
    if column == "ready":
        return lambda row: (-row.ready_count if descending else row.ready_count, row.learner.username)
    return lambda row: row.learner.username


# Footgun heatmap -------------------------------------------------------------------------------------------


@dataclass
class FootgunHeat:
    footgun: Footgun
    exercise_tripped: set[int] = field(default_factory=set)
    exercise_fixed: set[int] = field(default_factory=set)
    quiz_wrong: set[int] = field(default_factory=set)
    quiz_fixed: set[int] = field(default_factory=set)

    @property
    def tripped(self) -> int:
        return len(self.exercise_tripped | self.quiz_wrong)

    @property
    def still_stuck(self) -> int:
        stuck_exercise = self.exercise_tripped - self.exercise_fixed
        stuck_quiz = self.quiz_wrong - self.quiz_fixed
        return len(stuck_exercise | stuck_quiz)


def footgun_heatmap(*, cohort: Cohort) -> tuple[list[FootgunHeat], int]:
    """Aggregated in the database: the rows that come back are per (learner, footgun), not per answer."""
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    learners = cohort_learners(cohort).values("pk")
    heat = {f.id: FootgunHeat(footgun=f) for t in topics for f in t.footguns}

    # Exercises: a learner tripped a footgun when a rule of it fired on one of their counted checks; they have
    # fixed it when no rule of it fires on their latest counted check of any exercise.
    counted = Submission.objects.filter(user_id__in=learners, topic__in=slugs, counts_as_attempt=True)
    for user_id, rule in (
        FiredRule.objects.filter(submission__in=counted).values_list("submission__user_id", "rule").distinct()
    ):
        if (footgun := RULE_FOOTGUN.get(rule)) in heat:
            heat[footgun].exercise_tripped.add(user_id)
    latest = counted.values("user_id", "topic", "exercise").annotate(last=Max("id")).values("last")
    still: set[tuple[int, str]] = set()
    for user_id, rule in (
        FiredRule.objects.filter(submission_id__in=latest).values_list("submission__user_id", "rule").distinct()
    ):
        if (footgun := RULE_FOOTGUN.get(rule)) in heat:
            still.add((user_id, footgun))
    for key, item in heat.items():
        item.exercise_fixed = {user for user in item.exercise_tripped if (user, key) not in still}

    # Quizzes: wrong answers on questions linked to the footgun; fixed when the learner's latest right answer on
    # such a question came after their latest wrong one.
    linked = Answer.objects.filter(attempt__user_id__in=learners, topic__in=slugs).exclude(footgun="")
    per_learner = linked.values("attempt__user_id", "topic", "footgun").annotate(
        last_wrong=Max("created_at", filter=Q(correct=False)), last_right=Max("created_at", filter=Q(correct=True))
    )
    for user_id, topic, footgun in per_learner.filter(last_wrong__isnull=False).values_list(
        "attempt__user_id", "topic", "footgun"
    ):
        if (key := f"{topic}/{footgun}") in heat:
            heat[key].quiz_wrong.add(user_id)
    for user_id, topic, footgun in per_learner.filter(last_right__gt=F("last_wrong")).values_list(
        "attempt__user_id", "topic", "footgun"
    ):
        if (key := f"{topic}/{footgun}") in heat:
            heat[key].quiz_fixed.add(user_id)
    # Live-session answers count as quiz answers (same columns).
    live = (
        LiveAnswer.objects.for_cohort(cohort)
        .filter(user_id__in=learners, topic__in=slugs)
        .exclude(footgun="")
        .values("user_id", "topic", "footgun")
        .annotate(
            last_wrong=Max("created_at", filter=Q(correct=False)),
            last_right=Max("created_at", filter=Q(correct=True)),
        )
    )
    for rows, target in (
        (live.filter(last_wrong__isnull=False), "quiz_wrong"),
        (live.filter(last_right__gt=F("last_wrong")), "quiz_fixed"),
    ):
        for user_id, topic, footgun in rows.values_list("user_id", "topic", "footgun"):
            if (key := f"{topic}/{footgun}") in heat:
                getattr(heat[key], target).add(user_id)

    ordered = sorted(heat.values(), key=lambda h: (-h.still_stuck, -h.tripped, h.footgun.number))
    return ordered, cohort_learners(cohort).count()


# Question statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizStats:
    topic: Topic
    quiz: object
    learners: int
    questions: list[tuple[object, stats.QuestionStats]]


def question_statistics(*, cohort: Cohort) -> list[QuizStats]:
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    learners = cohort_learners(cohort).values("pk")
    # Each learner's first finished attempt per quiz is the one that measures the question, not the retries.
    first: dict[tuple[int, str, str], tuple[int, float]] = {}
    for attempt_id, user_id, topic, quiz, score in (
        Attempt.objects.filter(user_id__in=learners, topic__in=slugs, finished_at__isnull=False)
        .order_by("started_at", "id")
        .values_list("id", "user_id", "topic", "quiz", "score")
    ):
        first.setdefault((user_id, topic, quiz), (attempt_id, score or 0.0))
    attempt_owner = {attempt_id: (user_id, topic, quiz) for (user_id, topic, quiz), (attempt_id, _) in first.items()}
    answers = Answer.objects.filter(attempt_id__in=list(attempt_owner))
    correct: dict[tuple[str, str, str], list[tuple[int, bool]]] = defaultdict(list)
    for attempt_id, question_id, right in answers.values_list("attempt_id", "question_id", "correct"):
        user_id, topic, quiz = attempt_owner[attempt_id]
        correct[(topic, quiz, question_id)].append((user_id, right))
    # A learner who met a question only in a live session counts with their first live answer.
    for user_id, topic, quiz, question_id, right in (
        LiveAnswer.objects.for_cohort(cohort)
        .filter(user_id__in=learners, topic__in=slugs)
        .order_by("created_at", "id")
        .values_list("user_id", "topic", "quiz", "question_id", "correct")
    ):
        seen = correct[(topic, quiz, question_id)]
        if all(user != user_id for user, _ in seen):
            seen.append((user_id, right))
    # Wrong picks are counted in the database from the stored response's keys (no JSON decoding here), except
    # multiple-select answers, whose response is a list.
    wrong = answers.filter(correct=False)
    picks: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for key in ("choice", "value"):
        for topic, quiz, question_id, pick, count in (
            wrong.filter(**{f"response__{key}__isnull": False})
            .values("topic", "quiz", "question_id", f"response__{key}")
            .annotate(n=Count("id"))
            .values_list("topic", "quiz", "question_id", f"response__{key}", "n")
        ):
            picks[(topic, quiz, question_id)][str(pick).lower()] = count
    multiple = {
        (t.slug, q.slug, question.id): question
        for t in topics
        for q in quizzes_of(t).values()
        for question in q.questions
        if question.kind == "multiple"
    }
    if multiple:
        for topic, quiz, question_id, response in wrong.filter(
            question_id__in={key[2] for key in multiple}
        ).values_list("topic", "quiz", "question_id", "response"):
            question = multiple.get((topic, quiz, question_id))
            if question is None or not isinstance(response, dict):
                continue
            for pick in response.get("choices") or []:
                if isinstance(pick, str) and (choice := question.choice(pick)) and not choice.correct:
                    picks[(topic, quiz, question_id)][pick] = picks[(topic, quiz, question_id)].get(pick, 0) + 1
    result = []
    for topic in topics:
        for quiz in quizzes_of(topic).values():
            totals = {
                user_id: score for (user_id, t, q), (_, score) in first.items() if (t, q) == (topic.slug, quiz.slug)
            }
            rows = []
            for question in quiz.questions:
                key = (topic.slug, quiz.slug, question.id)
                first_answers = [stats.FirstAnswer(user_id, right) for user_id, right in correct[key]]
                counted = picks.get(key, {}) if question.kind in ("single", "multiple", "true_false") else {}
                rows.append((question, stats.question_stats(question.id, first_answers, totals, wrong_picks=counted)))
            result.append(QuizStats(topic=topic, quiz=quiz, learners=len(totals), questions=rows))
    return result


# Exercise statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseRow:
    topic: Topic
    exercise: object
    stats: stats.ExerciseStats


def exercise_statistics(*, cohort: Cohort) -> list[ExerciseRow]:
    """Aggregated in the database: one row per (exercise, learner) at most, then pure summaries."""
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    learners = cohort_learners(cohort).values("pk")
    counted = Submission.objects.filter(user_id__in=learners, topic__in=slugs, counts_as_attempt=True)
    first_pass: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for topic, exercise, number in (
        counted.values("topic", "exercise", "user_id")
        .annotate(first_pass=Min("check_number", filter=Q(passed=True)))
        .values_list("topic", "exercise", "first_pass")
    ):
        first_pass[(topic, exercise)].append(number)
    first_rules: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for topic, exercise, rule, count in (
        FiredRule.objects.filter(submission__in=counted.filter(check_number=1))
        .values("submission__topic", "submission__exercise", "rule")
        .annotate(n=Count("submission__user_id", distinct=True))
        .values_list("submission__topic", "submission__exercise", "rule", "n")
    ):
        first_rules[(topic, exercise)][rule] = count
    hints = {
        (topic, exercise): (total, users)
        for topic, exercise, total, users in HintReveal.objects.filter(user_id__in=learners, topic__in=slugs)
        .values("topic", "exercise")
        .annotate(total=Count("id"), users=Count("user_id", distinct=True))
        .values_list("topic", "exercise", "total", "users")
    }
    rows = []
    for topic in topics:
        for exercise in exercises_of(topic):
            key = (topic.slug, exercise.slug)
            total, users = hints.get(key, (0, 0))
            summary = stats.summarise_exercise(
                first_pass=first_pass.get(key, []),
                first_check_rules=first_rules.get(key, {}),
                hints_used_total=total,
                learners_using_hints=users,
            )
            rows.append(ExerciseRow(topic=topic, exercise=exercise, stats=summary))
    return rows


# Learner drill-down ----------------------------------------------------------------------------------------


def learner_in_cohort(*, cohort: Cohort, user_id: int) -> User:
    return cohort_learners(cohort).get(pk=user_id)


def learner_timeline(*, cohort: Cohort, learner: User) -> list[tuple[str, object]]:
    slugs = [t.slug for t in cohort_topics(cohort)]
    attempts = Attempt.objects.filter(user=learner, topic__in=slugs).order_by("-started_at")[:200]
    submissions = (
        Submission.objects.filter(user=learner, topic__in=slugs)
        .defer("files", "report")
        .prefetch_related("fired_rules")
        .order_by("-created_at")[:200]
    )
    events = [("attempt", a.started_at, a) for a in attempts] + [("submission", s.created_at, s) for s in submissions]
    events.sort(key=lambda e: e[1], reverse=True)
    return [(kind, obj) for kind, _, obj in events]


def learner_submission(*, cohort: Cohort, learner: User, pk: int) -> Submission:
    slugs = [t.slug for t in cohort_topics(cohort)]
    return Submission.objects.get(user=learner, topic__in=slugs, pk=pk)
