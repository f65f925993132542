"""Item statistics and readiness: pure functions over plain rows (no database).

Definitions (also in docs/dashboard.md):

- Facility of a question: the share of learners whose first answer was right (0..1).
- Discrimination: facility in the upper group minus facility in the lower group, where learners are ranked by
  their total score on the quiz's first attempt and each group is the top / bottom 27 % (Kelley), at least one
  learner each. Needs 4 learners or more; fewer gives None. Ranges from -1 to 1; negative means stronger
  learners got it wrong more often than weaker ones.
- A question looks broken when its discrimination is negative, or when at least 3 learners answered and
  nobody got it right.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

UPPER_LOWER_SHARE = 0.27
MIN_LEARNERS_FOR_DISCRIMINATION = 4
MIN_ANSWERS_FOR_EVERYONE_WRONG = 3


@dataclass(frozen=True)
class FirstAnswer:
    learner: int
    correct: bool
    wrong_choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    answers: int
    facility: float | None
    discrimination: float | None
    top_wrong_choice: str | None
    top_wrong_count: int
    broken_reasons: tuple[str, ...]

    @property
    def looks_broken(self) -> bool:
        return bool(self.broken_reasons)


def facility(answers: Sequence[FirstAnswer]) -> float | None:
    if not answers:
        return None
    return sum(a.correct for a in answers) / len(answers)


def groups(totals: Mapping[int, float]) -> tuple[set[int], set[int]]:
    """Upper and lower 27 % of learners by total score (ties broken by learner id for stability)."""
    if len(totals) < MIN_LEARNERS_FOR_DISCRIMINATION:
        return set(), set()
    ranked = sorted(totals, key=lambda learner: (-totals[learner], learner))
    size = max(1, round(len(ranked) * UPPER_LOWER_SHARE))
    return set(ranked[:size]), set(ranked[-size:])


def discrimination(answers: Sequence[FirstAnswer], totals: Mapping[int, float]) -> float | None:
    upper, lower = groups(totals)
    if not upper:
        return None
    up = [a for a in answers if a.learner in upper]
    low = [a for a in answers if a.learner in lower]
    if not up or not low:
        return None
    return facility(up) - facility(low)


def question_stats(
    question_id: str,
    answers: Sequence[FirstAnswer],
    totals: Mapping[int, float],
    *,
    wrong_picks: Mapping[str, int] | None = None,
) -> QuestionStats:
    """wrong_picks, when given, are wrong choices already counted (e.g. by the database)."""
    wrong = (
        Counter(wrong_picks)
        if wrong_picks is not None
        else Counter(choice for a in answers if not a.correct for choice in a.wrong_choices)
    )
    top_wrong, top_count = wrong.most_common(1)[0] if wrong else (None, 0)
    fac = facility(answers)
    disc = discrimination(answers, totals)
    reasons = []
    if disc is not None and disc < 0:
        reasons.append("negative discrimination")
    if len(answers) >= MIN_ANSWERS_FOR_EVERYONE_WRONG and fac == 0:
        reasons.append("everyone got it wrong")
    return QuestionStats(
        question_id=question_id,
        answers=len(answers),
        facility=fac,
        discrimination=disc,
        top_wrong_choice=top_wrong,
        top_wrong_count=top_count,
        broken_reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class ExerciseRun:
    """One learner's counted checks of one exercise, oldest first."""

    learner: int
    passed: tuple[bool, ...]
    first_check_rules: tuple[str, ...]
    hints_used: int


@dataclass(frozen=True)
class ExerciseStats:
    started: int
    passed: int
    median_checks_to_pass: float | None
    hints_used_total: int
    learners_using_hints: int
    top_first_check_rules: tuple[tuple[str, int], ...]


def exercise_stats(runs: Iterable[ExerciseRun], *, top: int = 5) -> ExerciseStats:
    runs = [r for r in runs if r.passed]
    first_rules = Counter(rule for r in runs for rule in set(r.first_check_rules))
    return summarise_exercise(
        first_pass=[r.passed.index(True) + 1 if True in r.passed else None for r in runs],
        first_check_rules=first_rules,
        hints_used_total=sum(r.hints_used for r in runs),
        learners_using_hints=sum(1 for r in runs if r.hints_used),
        top=top,
    )


def summarise_exercise(
    *,
    first_pass: Sequence[int | None],
    first_check_rules: Mapping[str, int],
    hints_used_total: int,
    learners_using_hints: int,
    top: int = 5,
) -> ExerciseStats:
    """first_pass: for each learner who checked at least once, the number of the counted check that first
    passed, or None if none did yet."""
    checks_to_pass = [n for n in first_pass if n is not None]
    return ExerciseStats(
        started=len(first_pass),
        passed=len(checks_to_pass),
        median_checks_to_pass=statistics.median(checks_to_pass) if checks_to_pass else None,
        hints_used_total=hints_used_total,
        learners_using_hints=learners_using_hints,
        top_first_check_rules=tuple(sorted(first_check_rules.items(), key=lambda kv: (-kv[1], kv[0]))[:top]),
    )


@dataclass(frozen=True)
class ReadinessRule:
    """When a learner counts as ready for a topic.

    Ready = the required pages are read, every quiz of the topic is passed (best attempt at or above its
    pass mark) and at least `exercises_needed` exercises are passed.
    """

    required_pages: tuple[str, ...]
    quizzes: tuple[str, ...]
    exercises_needed: int

    @classmethod
    def default_for(cls, *, quizzes: Sequence[str], exercises: Sequence[str]) -> ReadinessRule:
        return cls(
            required_pages=("primer", "footguns"),
            quizzes=tuple(quizzes),
            exercises_needed=math.ceil(len(exercises) / 2),
        )


@dataclass(frozen=True)
class Readiness:
    pages_read: int
    pages_total: int
    # The best share of each of the topic's quizzes, averaged over all of them (a quiz not taken counts 0), 0..1;
    # None when no quiz was attempted. Averaging over the attempted quizzes only made 1 quiz of 3 look like 51%.
    best_quiz_share: float | None
    quizzes_passed: int
    quizzes_total: int
    exercises_passed: int
    exercises_total: int
    ready: bool
    missing: tuple[str, ...]


def readiness(
    rule: ReadinessRule,
    *,
    pages_read: set[str],
    pages_total: int,
    best_quiz: Mapping[str, tuple[float, bool]],
    exercises_passed: set[str],
    exercises_total: int,
) -> Readiness:
    """best_quiz maps quiz slug to (best share 0..1, passed)."""
    missing = []
    unread = [page for page in rule.required_pages if page not in pages_read]
    if unread:
        missing.append("read " + ", ".join(p.replace("_", " ") for p in unread))
    failed = [quiz for quiz in rule.quizzes if not best_quiz.get(quiz, (0.0, False))[1]]
    if failed:
        missing.append("pass quiz " + ", ".join(failed))
    if len(exercises_passed) < rule.exercises_needed:
        missing.append(f"pass {rule.exercises_needed - len(exercises_passed)} more exercise(s)")
    attempted = [q for q in rule.quizzes if q in best_quiz]
    share = sum(best_quiz[q][0] for q in attempted) / len(rule.quizzes) if attempted else None
    return Readiness(
        pages_read=len(pages_read),
        pages_total=pages_total,
        best_quiz_share=share,
        quizzes_passed=len(rule.quizzes) - len(failed),
        quizzes_total=len(rule.quizzes),
        exercises_passed=len(exercises_passed),
        exercises_total=exercises_total,
        ready=not missing,
        missing=tuple(missing),
    )


CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (OWASP CSV injection): prefix risky cells with an apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text
