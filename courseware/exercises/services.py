from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import Counter, OrderedDict
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from courseware.sandbox import Outcome, Runner, RunnerUnavailable

from . import checker, grading
from .content import Exercise
from .models import Draft, FiredRule, HintReveal, Status, Submission, Visitor

logger = logging.getLogger(__name__)

INTERRUPTED_MESSAGE = (
    "This check was interrupted: the server stopped before it finished. It does not count as an attempt; your "
    "files are saved. Check again."
)
IN_FLIGHT = "check-in-flight"
# A check that has not finished this long after it started never will (its server stopped): wall limit + slack.
STALE_AFTER_SLACK_S = 30

UNAVAILABLE_MESSAGE = (
    "The checker is not available right now, so your files were not checked. This does not count as an "
    "attempt; your files are saved. Please try again in a minute."
)


FINISH_FIELDS = [
    "status",
    "message",
    "report",
    "verdict",
    "passed",
    "counts_as_attempt",
    "check_number",
    "duration_ms",
    "finished_at",
    "findings_count",
]


def draft_save(*, user, exercise: Exercise, files: dict[str, str]) -> None:
    """One UPDATE in the common case (the learner already has a draft), an INSERT the first time."""
    lookup = {"user": user, "topic": exercise.topic, "exercise": exercise.slug}
    if Draft.objects.filter(**lookup).update(files=files, updated_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            Draft.objects.create(**lookup, files=files)
    except IntegrityError:  # two saves raced to create it: the second one updates
        Draft.objects.filter(**lookup).update(files=files, updated_at=timezone.now())


# A visitor's edits, kept in their session until they sign in or sign up (then they become a Draft).
SESSION_DRAFTS_KEY = "exercise_drafts"
MAX_SESSION_DRAFTS = 5


def session_draft_save(*, session, exercise: Exercise, files: dict[str, str]) -> None:
    drafts = dict(session.get(SESSION_DRAFTS_KEY) or {})
    key = f"{exercise.topic}/{exercise.slug}"
    drafts.pop(key, None)
    drafts[key] = {path: files.get(path, "") for path in exercise.paths}
    while len(drafts) > MAX_SESSION_DRAFTS:  # bounded: the oldest edits go first
        drafts.pop(next(iter(drafts)))
    session[SESSION_DRAFTS_KEY] = drafts


def session_draft(*, session, exercise: Exercise) -> dict[str, str] | None:
    draft = (session.get(SESSION_DRAFTS_KEY) or {}).get(f"{exercise.topic}/{exercise.slug}")
    if not isinstance(draft, dict):
        return None
    return {path: str(draft.get(path, text)) for path, text in exercise.starter_files().items()}


def session_drafts_carry_over(*, request, user, previous: dict) -> int:
    """At sign-in or sign-up the visitor's edits move into the account: they are newer than any old draft."""
    from courseware.topics.library import get_library

    from .content import exercise_of

    drafts = previous.get(SESSION_DRAFTS_KEY)
    if not isinstance(drafts, dict):
        return 0
    moved = 0
    library = get_library()
    for key, files in drafts.items():
        topic_slug, _, slug = str(key).partition("/")
        topic = library.topic(topic_slug)
        exercise = exercise_of(topic, slug) if topic is not None else None
        if exercise is None or not isinstance(files, dict):
            continue
        draft_save(user=user, exercise=exercise, files={p: str(files.get(p, "")) for p in exercise.paths})
        moved += 1
    if hasattr(request, "session"):
        request.session.pop(SESSION_DRAFTS_KEY, None)
    return moved


def visitor_checks_carry_over(*, request, user, previous: dict) -> int:
    """At sign-in or sign-up the visitor's checks become the account's, numbered after the account's own."""
    from courseware.quizzes.services import ANON_SESSION_KEY

    token = previous.get(ANON_SESSION_KEY)
    if not token or not isinstance(token, str):
        return 0
    with transaction.atomic():
        moved = Submission.objects.filter(user__isnull=True, anon_token=token).update(user=user, anon_token="")
        if moved:
            numbers: Counter[tuple[str, str]] = Counter()
            counted = Submission.objects.filter(user=user, counts_as_attempt=True).order_by("id")
            changed = []
            for sub in counted.only("id", "topic", "exercise", "check_number"):
                numbers[(sub.topic, sub.exercise)] += 1
                if sub.check_number != numbers[(sub.topic, sub.exercise)]:
                    sub.check_number = numbers[(sub.topic, sub.exercise)]
                    changed.append(sub)
            Submission.objects.bulk_update(changed, ["check_number"])
    return moved


def draft_discard(*, user, exercise: Exercise) -> None:
    Draft.objects.filter(user=user, topic=exercise.topic, exercise=exercise.slug).delete()


def hint_reveal_next(*, user, exercise: Exercise) -> int:
    """Reveal the next hint; idempotent per level. Returns how many hints are now revealed."""
    lookup = {"user": user, "topic": exercise.topic, "exercise": exercise.slug}
    revealed = HintReveal.objects.filter(**lookup).count()
    if revealed >= len(exercise.hints):
        return revealed
    try:
        with transaction.atomic():
            HintReveal.objects.get_or_create(**lookup, level=revealed + 1)
    except IntegrityError:
        pass  # a double click revealed it already
    return HintReveal.objects.filter(**lookup).count()


def submission_start(*, user, exercise: Exercise, files: dict[str, str]) -> Submission:
    """Stored (and committed) before the runner starts, so nothing is lost if it dies. `user` may be a Visitor."""
    visitor = isinstance(user, Visitor)
    hints_used = (
        0 if visitor else HintReveal.objects.filter(user=user, topic=exercise.topic, exercise=exercise.slug).count()
    )
    return Submission.objects.create(
        user=None if visitor else user,
        anon_token=user.token if visitor else "",
        topic=exercise.topic,
        exercise=exercise.slug,
        files=files,
        status=Status.PENDING,
        hints_used=hints_used,
        content_hash=exercise.content_hash,
    )


def submission_finish(
    *, submission: Submission, exercise: Exercise, outcome: Outcome, duration_ms: float
) -> Submission:
    verdict = None
    if outcome.status == Status.OK and outcome.report is not None:
        verdict = grading.grade(
            targets=exercise.targets,
            starter_report=checker.starter_report(exercise),
            report=outcome.report,
            requirements=len(exercise.accept),
        )
    counts = outcome.counts_as_attempt
    submission.status = outcome.status
    submission.message = outcome.message
    submission.report = outcome.report
    submission.verdict = verdict.to_dict() if verdict else None
    submission.passed = bool(verdict and verdict.passed)
    submission.counts_as_attempt = counts
    submission.duration_ms = round(duration_ms)
    submission.finished_at = timezone.now()
    rule_counts = _rule_counts(outcome.report)
    submission.findings_count = _findings_count(outcome.report)
    with transaction.atomic():
        if counts:
            earlier = (
                Submission.objects.for_user(submission.owner)
                .for_exercise(exercise)
                .counted()
                .filter(id__lt=submission.id)
                .count()
            )
            submission.check_number = earlier + 1
        submission.save(update_fields=FINISH_FIELDS)
        FiredRule.objects.bulk_create(
            [FiredRule(submission=submission, rule=rule, count=n) for rule, n in sorted(rule_counts.items())]
        )
    return submission


def run_check(*, exercise: Exercise, files: dict[str, str], learner_key: str, runner: Runner | None = None) -> Outcome:
    """The one way any part of the app checks a learner's files: the sandbox's runner (refused when it does not
    contain, outside DEBUG), one check at a time per learner across workers, the exercise's acceptance checks,
    and an unavailable runner as an outcome, never an exception. Exercise pages and live rounds both call it."""
    started = time.monotonic()
    try:
        active = runner or checker.checker()
        return _check_one_at_a_time(active, learner_key=learner_key, exercise=exercise, files=files, started=started)
    except RunnerUnavailable as exc:
        logger.error("exercise check without a runner: %s", exc)
        return Outcome("crashed", UNAVAILABLE_MESSAGE, None, 0.0, detail=str(exc))


def verdict_for(exercise: Exercise, report: dict) -> grading.Verdict:
    return grading.grade(
        targets=exercise.targets,
        starter_report=checker.starter_report(exercise),
        report=report,
        requirements=len(exercise.accept),
    )


def submission_check(*, user, exercise: Exercise, files: dict[str, str], runner: Runner | None = None) -> Submission:
    """A check by a learner, or by a Visitor (their edits are kept in their session by the view)."""
    visitor = isinstance(user, Visitor)
    if not visitor:
        draft_save(user=user, exercise=exercise, files=files)
    submission = submission_start(user=user, exercise=exercise, files=files)
    learner_key = f"visitor:{user.token}" if visitor else str(user.pk)  # one check in flight per learner or visitor
    started = time.monotonic()
    outcome = run_check(exercise=exercise, files=files, learner_key=learner_key, runner=runner)
    duration_ms = (time.monotonic() - started) * 1000
    submission = submission_finish(submission=submission, exercise=exercise, outcome=outcome, duration_ms=duration_ms)
    # Not stored: only meaningful for the response to this request (HTTP 429 Retry-After when busy).
    submission.retry_after_s = outcome.retry_after_s
    return submission


def _check_one_at_a_time(
    runner: Runner, *, learner_key: str, exercise: Exercise, files: dict[str, str], started: float
) -> Outcome:
    """One check at a time per learner across every worker and server (the runner's own guard is per process).

    The lock frees itself after the longest a check can take, so a worker that dies holding it cannot block the
    learner for longer than that.
    """
    from courseware.ratelimit import limiter
    from courseware.sandbox import messages

    longest_s = runner.limits.queue_wait_s + runner.limits.wall_s + 5
    if not limiter.acquire(IN_FLIGHT, learner_key, ttl_s=longest_s):
        retry = max(1, math.ceil(runner.limits.wall_s))
        return Outcome("busy", messages.learner_busy(), None, (time.monotonic() - started) * 1000, retry)
    try:
        return runner.check(files, learner_key=learner_key, accept=exercise.accept, topic=exercise.engine)
    finally:
        limiter.release(IN_FLIGHT, learner_key)


def submissions_interrupt_stale(*, user, now=None) -> int:
    """Settle, on read, the learner's checks whose server stopped mid-run: interrupted, not counted."""
    from courseware.sandbox import limits_from_environment

    limits = limits_from_environment()
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=limits.queue_wait_s + limits.wall_s + STALE_AFTER_SLACK_S)
    return (
        Submission.objects.for_user(user)
        .filter(status=Status.PENDING, created_at__lt=cutoff)
        .update(status=Status.INTERRUPTED, message=INTERRUPTED_MESSAGE, counts_as_attempt=False, finished_at=now)
    )


def _rule_counts(report: dict | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for result in (report or {}).get("files", ()):
        for finding in (*result.get("findings", ()), *result.get("suppressed", ())):
            counts[finding["rule"]] += 1
    return counts


def _findings_count(report: dict | None) -> int:
    return sum(len(result.get("findings", ())) for result in (report or {}).get("files", ()))


# --- "In production": the exercise's scenario replayed on the starter and on the learner's files -------------

_sim_lock = threading.Lock()
_starter_simulations: dict[tuple[str, str, str, str], Any] = {}


def starter_simulation(*, exercise: Exercise, scenario: Any) -> Any:
    """The starter under the exercise's scenario, once per process per content (the author's files: in process)."""
    from courseware.footguns.simulation import simulate_files

    key = (exercise.topic, exercise.slug, exercise.content_hash, scenario.text)
    result = _starter_simulations.get(key)
    if result is None:
        result = simulate_files(exercise.starter_files(), scenario).compact()
        with _sim_lock:
            _starter_simulations[key] = result
    return result


def run_simulation(*, exercise: Exercise, scenario: Any, files: dict[str, str], learner_key: str,
                   runner: Runner | None = None) -> Any:  # fmt: skip
    """The learner's files under the scenario, parsed and simulated only in the sandbox; None when it could not
    run (the panel is then left out: the verdict never depends on it).

    A result depends only on the files and the scenario, so each worker remembers its latest ones: a re-check of
    the same files, or of the untouched starter (the author's files, simulated in process), costs no child.
    """
    from courseware.footguns.simulation import Result

    if files == exercise.starter_files():
        return starter_simulation(exercise=exercise, scenario=scenario)
    key = _simulation_key(files, scenario)
    remembered = _learner_simulations.get(key)
    if remembered is not None:
        _learner_simulations.move_to_end(key)
        return remembered
    try:
        active = runner or checker.checker()
        outcome = active.simulate(
            files, learner_key=f"{learner_key}:simulate", topic=scenario.topic, name=scenario.name,
            scenario=scenario.text,
        )  # fmt: skip
    except RunnerUnavailable as exc:
        logger.warning("simulation without a runner: %s", exc)
        return None
    except Exception:  # noqa: BLE001 - whatever goes wrong, the panel is left out and the page still answers
        logger.exception("simulation failed")
        return None
    if outcome.status != "ok" or outcome.report is None:
        logger.info("simulation of %s ended %s: %s", exercise.slug, outcome.status, outcome.detail)
        return None
    try:
        result = Result.from_dict(outcome.report)
    except (KeyError, TypeError, ValueError):
        logger.exception("unreadable simulation result")
        return None
    with _sim_lock:
        _learner_simulations[key] = result
        while len(_learner_simulations) > REMEMBERED_SIMULATIONS:
            _learner_simulations.popitem(last=False)
    return result


REMEMBERED_SIMULATIONS = 64  # per worker: a compacted result is about 25 KB
_learner_simulations: OrderedDict[str, Any] = OrderedDict()


def _simulation_key(files: dict[str, str], scenario: Any) -> str:
    digest = hashlib.sha256(scenario.text.encode())
    for path in sorted(files):
        digest.update(b"\0" + path.encode() + b"\0" + files[path].encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


_replays: dict[tuple[str, str], Any] = {}


def story_replay(*, topic: Any) -> tuple[Any, Any, Exercise] | None:
    """The anti-primer's broken stack (the starter of the exercise that replays its scenario) and its fixed stack
    (that exercise's solution) under the story's scenario; None when the story names no scenario or no exercise
    replays it. Content only, so computed in process, once per content."""
    from courseware.footguns.simulation import simulate_files

    from .content import exercises_of

    story = topic.anti_primer
    scenario = topic.scenarios.get(story.scenario or "") if story is not None else None
    if scenario is None:
        return None
    exercise = next((e for e in exercises_of(topic) if e.scenario == scenario.name), None)
    if exercise is None:
        return None
    key = (topic.slug, topic.content_hash)
    found = _replays.get(key)
    if found is None:
        broken = simulate_files(exercise.starter_files(), scenario).compact()
        fixed = simulate_files(exercise.solution_files(), scenario).compact()
        found = (broken, fixed, exercise)
        with _sim_lock:
            _replays[key] = found
    return found
