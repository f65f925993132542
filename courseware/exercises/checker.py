"""The exercises app's access to the sandbox runner, and the in-process starter reports."""

from __future__ import annotations

import os
import threading
import time

from django.conf import settings

from courseware.sandbox import Runner, RunnerUnavailable, get_runner

from .content import Exercise

_lock = threading.Lock()
_starter_reports: dict[tuple[str, str, str], dict] = {}


def unsafe_requested() -> bool:
    return os.environ.get("SANDBOX_ALLOW_UNSAFE") == "1"


# After a failed start, checks fail fast for a while instead of each paying a zygote start and self-test.
RETRY_START_AFTER_S = 30.0
_failed: tuple[float, RunnerUnavailable] | None = None


def checker() -> Runner:
    """The process-wide runner; refuses an unconfined one outside DEBUG (fail closed)."""
    global _failed
    if _failed is not None and time.monotonic() < _failed[0]:
        raise _failed[1]
    try:
        runner = get_runner()
    except RunnerUnavailable as exc:
        _failed = (time.monotonic() + RETRY_START_AFTER_S, exc)
        raise
    except Exception as exc:  # noqa: BLE001 - a runner that cannot start is "unavailable", never a 500
        _failed = (time.monotonic() + RETRY_START_AFTER_S, RunnerUnavailable(str(exc)))
        raise _failed[1] from exc
    _failed = None
    report = runner.last_self_test
    if report is not None and not report.contained and not settings.DEBUG:
        raise RunnerUnavailable(
            "SANDBOX_ALLOW_UNSAFE=1 is honoured only with DEBUG; the sandbox does not contain: "
            + ", ".join(report.escaped),
            report.escaped,
        )
    return runner


def starter_report(exercise: Exercise) -> dict:
    """The engine's report on the starter, once per process per content hash.

    The starter files are the author's, not the learner's, so the in-process engine is safe here.
    """
    key = (exercise.topic, exercise.slug, exercise.content_hash)
    report = _starter_reports.get(key)
    if report is None:
        from courseware.footguns.engine import check_files

        report = check_files(exercise.starter_files()).to_dict()
        with _lock:
            _starter_reports[key] = report
    return report


def solution_report(exercise: Exercise) -> dict:
    from courseware.footguns.engine import check_files

    return check_files(exercise.solution_files()).to_dict()
