"""Start-up self-test of the sandbox as a system check (tag `sandbox`).

The runner is process-wide and runs its canaries once when it starts, so this check costs the
self-test once per process (once per test session), not once per `check` call.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from courseware.sandbox import RunnerUnavailable, get_runner

from .checker import unsafe_requested


@checks.register("sandbox")
def sandbox_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if unsafe_requested() and not settings.DEBUG:
        messages.append(
            checks.Error(
                "SANDBOX_ALLOW_UNSAFE=1 is honoured only with DEBUG=1; exercise checks refuse an unconfined runner.",
                hint="Unset SANDBOX_ALLOW_UNSAFE in production, or fix the host so the canaries are contained.",
                id="sandbox.E002",
            )
        )
    try:
        runner = get_runner()
    except RunnerUnavailable as exc:
        if exc.escaped:
            messages.append(
                checks.Warning(
                    f"The sandbox self-test found canaries that escape: {', '.join(exc.escaped)}. "
                    "Exercise checks are refused until they are contained.",
                    hint="Run `python -m courseware.sandbox selftest` for details (docs/operations.md).",
                    id="sandbox.W001",
                )
            )
            return messages
        return messages + [_cannot_start(exc)]
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported, never raised
        return messages + [_cannot_start(exc)]
    report = runner.last_self_test
    if report is not None and not report.contained:
        messages.append(
            checks.Warning(
                f"The sandbox self-test found canaries that escape: {', '.join(report.escaped)} "
                "(served anyway because SANDBOX_ALLOW_UNSAFE=1).",
                id="sandbox.W001",
            )
        )
    return messages


def _cannot_start(exc: Exception) -> checks.CheckMessage:
    text = f"The sandbox runner cannot start: {exc}. Exercise checks will report the checker as unavailable."
    if settings.DEBUG:
        return checks.Warning(text, id="sandbox.W002")
    return checks.Error(text, id="sandbox.E001")


@checks.register("content")
def exercise_suites_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Every exercise as a test suite: starter fails, solution passes, wrong/ refused, right/ accepted."""
    from courseware.topics.library import get_library

    from .content import exercises_of
    from .suite import suite_problems

    library = get_library()
    if library.errors:
        return []  # the content check reports those first; a half-loaded exercise proves nothing
    messages: list[checks.CheckMessage] = []
    for topic in library.topics.values():
        for exercise in exercises_of(topic):
            for problem in suite_problems(exercise, topic.scenarios):
                messages.append(
                    checks.Error(f"{problem.source}:{problem.line}: {problem.message}", id="exercises.E001")
                )
    return messages
