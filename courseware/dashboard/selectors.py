"""Reads for the instructor dashboard. Each function answers for a whole cohort with a fixed number of
queries (no N+1), then hands plain rows to the pure functions in stats.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import QuerySet

from courseware.cohorts.models import Cohort
from courseware.exercises.content import exercises_of
from courseware.exercises.models import FiredRule, HintReveal, Submission
from courseware.footguns.rules import RULES
from courseware.quizzes.content import quizzes_of
from courseware.quizzes.models import Answer, Attempt
from courseware.topics.content import Footgun, Topic
from courseware.topics.library import get_library
from courseware.topics.models import PageRead

from . import stats

RULE_FOOTGUN = {rule.id: rule.footgun for rule in RULES}


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
                    pages_read=pages[(learner.pk, topic.slug)],
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
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    ids = list(cohort_learners(cohort).values_list("pk", flat=True))
    heat = {f.id: FootgunHeat(footgun=f) for t in topics for f in t.footguns}

    # Exercises: a learner tripped a footgun when a rule of it fired on one of their counted checks; they fixed
    # it when their latest counted check of that exercise no longer fires it.
    latest: dict[tuple[int, str, str], int] = {}
    for sub_id, user_id, topic, exercise in (
        Submission.objects.filter(user_id__in=ids, topic__in=slugs, counts_as_attempt=True)
        .order_by("created_at", "id")
        .values_list("id", "user_id", "topic", "exercise")
    ):
        latest[(user_id, topic, exercise)] = sub_id
    latest_ids = set(latest.values())
    fired_latest: dict[int, set[str]] = defaultdict(set)
    tripped_in: dict[tuple[int, str], set[tuple[str, str]]] = defaultdict(set)
    for sub_id, user_id, topic, exercise, rule in FiredRule.objects.filter(
        submission__user_id__in=ids, submission__topic__in=slugs, submission__counts_as_attempt=True
    ).values_list("submission_id", "submission__user_id", "submission__topic", "submission__exercise", "rule"):
        footgun = RULE_FOOTGUN.get(rule)
        if footgun not in heat:
            continue
        heat[footgun].exercise_tripped.add(user_id)
        tripped_in[(user_id, footgun)].add((topic, exercise))
        if sub_id in latest_ids:
            fired_latest[sub_id].add(footgun)
    for (user_id, footgun), places in tripped_in.items():
        if all(footgun not in fired_latest.get(latest[(user_id, t, e)], set()) for t, e in places):
            heat[footgun].exercise_fixed.add(user_id)

    # Quizzes: wrong answers on questions linked to the footgun; fixed when a later answer on such a question
    # was right.
    last_wrong: dict[tuple[int, str], object] = {}
    right_after: dict[tuple[int, str], list] = defaultdict(list)
    for user_id, topic, footgun, correct, created in (
        Answer.objects.filter(attempt__user_id__in=ids, topic__in=slugs)
        .exclude(footgun="")
        .order_by("created_at")
        .values_list("attempt__user_id", "topic", "footgun", "correct", "created_at")
    ):
        key = f"{topic}/{footgun}"
        if key not in heat:
            continue
        if correct:
            right_after[(user_id, key)].append(created)
        else:
            heat[key].quiz_wrong.add(user_id)
            last_wrong[(user_id, key)] = created
    for (user_id, key), wrong_at in last_wrong.items():
        if any(when > wrong_at for when in right_after[(user_id, key)]):
            heat[key].quiz_fixed.add(user_id)

    ordered = sorted(heat.values(), key=lambda h: (-h.still_stuck, -h.tripped, h.footgun.number))
    return ordered, len(ids)


# Question statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizStats:
    topic: Topic
    quiz: object
    learners: int
    questions: list[tuple[object, stats.QuestionStats]]


def _wrong_choices(question, response: dict) -> tuple[str, ...]:
    if not isinstance(response, dict):
        return ()
    if question.kind == "single":
        choice = response.get("choice")
        return (choice,) if isinstance(choice, str) and (c := question.choice(choice)) and not c.correct else ()
    if question.kind == "multiple":
        picked = response.get("choices") or []
        return tuple(sorted(p for p in picked if isinstance(p, str) and (c := question.choice(p)) and not c.correct))
    if question.kind == "true_false":
        value = response.get("value")
        return (str(value).lower(),) if value is not None else ()
    return ()


def question_statistics(*, cohort: Cohort) -> list[QuizStats]:
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    ids = list(cohort_learners(cohort).values_list("pk", flat=True))
    # Each learner's first finished attempt per quiz is the one that measures the question, not the retries.
    first: dict[tuple[int, str, str], tuple[int, float]] = {}
    for attempt_id, user_id, topic, quiz, score in (
        Attempt.objects.filter(user_id__in=ids, topic__in=slugs, finished_at__isnull=False)
        .order_by("started_at", "id")
        .values_list("id", "user_id", "topic", "quiz", "score")
    ):
        first.setdefault((user_id, topic, quiz), (attempt_id, score or 0.0))
    attempt_owner = {attempt_id: (user_id, topic, quiz) for (user_id, topic, quiz), (attempt_id, _) in first.items()}
    answers: dict[tuple[str, str, str], list] = defaultdict(list)
    for attempt_id, question_id, correct, response in Answer.objects.filter(
        attempt_id__in=list(attempt_owner)
    ).values_list("attempt_id", "question_id", "correct", "response"):
        user_id, topic, quiz = attempt_owner[attempt_id]
        answers[(topic, quiz, question_id)].append((user_id, correct, response))
    result = []
    for topic in topics:
        for quiz in quizzes_of(topic).values():
            totals = {
                user_id: score for (user_id, t, q), (_, score) in first.items() if (t, q) == (topic.slug, quiz.slug)
            }
            rows = []
            for question in quiz.questions:
                first_answers = [
                    stats.FirstAnswer(user_id, correct, _wrong_choices(question, response))
                    for user_id, correct, response in answers[(topic.slug, quiz.slug, question.id)]
                ]
                rows.append((question, stats.question_stats(question.id, first_answers, totals)))
            result.append(QuizStats(topic=topic, quiz=quiz, learners=len(totals), questions=rows))
    return result


# Exercise statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseRow:
    topic: Topic
    exercise: object
    stats: stats.ExerciseStats


def exercise_statistics(*, cohort: Cohort) -> list[ExerciseRow]:
    topics = cohort_topics(cohort)
    slugs = [t.slug for t in topics]
    ids = list(cohort_learners(cohort).values_list("pk", flat=True))
    checks: dict[tuple[str, str, int], list[bool]] = defaultdict(list)
    first_ids: dict[int, tuple[str, str, int]] = {}
    for sub_id, user_id, topic, exercise, passed, number in (
        Submission.objects.filter(user_id__in=ids, topic__in=slugs, counts_as_attempt=True)
        .order_by("created_at", "id")
        .values_list("id", "user_id", "topic", "exercise", "passed", "check_number")
    ):
        checks[(topic, exercise, user_id)].append(passed)
        if number == 1:
            first_ids[sub_id] = (topic, exercise, user_id)
    first_rules: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for sub_id, rule in FiredRule.objects.filter(submission_id__in=list(first_ids)).values_list(
        "submission_id", "rule"
    ):
        first_rules[first_ids[sub_id]].append(rule)
    hints: dict[tuple[str, str, int], int] = defaultdict(int)
    for topic, exercise, user_id in HintReveal.objects.filter(user_id__in=ids, topic__in=slugs).values_list(
        "topic", "exercise", "user_id"
    ):
        hints[(topic, exercise, user_id)] += 1
    rows = []
    for topic in topics:
        for exercise in exercises_of(topic):
            learners = {u for (t, e, u) in list(checks) + list(hints) if (t, e) == (topic.slug, exercise.slug)}
            runs = [
                stats.ExerciseRun(
                    learner=u,
                    passed=tuple(checks[(topic.slug, exercise.slug, u)]),
                    first_check_rules=tuple(first_rules[(topic.slug, exercise.slug, u)]),
                    hints_used=hints[(topic.slug, exercise.slug, u)],
                )
                for u in sorted(learners)
            ]
            rows.append(ExerciseRow(topic=topic, exercise=exercise, stats=stats.exercise_stats(runs)))
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
