from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule
from courseware.footguns.values import whole_number

_MACROS = {"@hourly": 3600, "@daily": 86400, "@midnight": 86400, "@weekly": 604800, "@monthly": 28 * 86400,
           "@yearly": 365 * 86400, "@annually": 365 * 86400}  # fmt: skip


def interval_s(schedule: str) -> int | None:
    """The shortest time between two runs of simple schedules; None when it takes a calendar to know."""
    text = schedule.strip()
    if text in _MACROS:
        return _MACROS[text]
    fields = text.split()
    if len(fields) == 6 and fields[0].startswith("TZ="):
        fields = fields[1:]
    if len(fields) != 5 or any(f != "*" for f in fields[2:]):
        return None
    minute, hour = fields[:2]
    if hour == "*":
        if minute == "*":
            return 60
        if minute.startswith("*/") and (step := whole_number(minute[2:])):
            return step * 60
        return 3600 if whole_number(minute) is not None else None
    if whole_number(minute) is not None and whole_number(hour) is not None:
        return 86400
    return None


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        if workload.kind != "CronJob":
            continue
        policy = workload.concurrency_policy
        if policy is not None and policy.value in ("Forbid", "Replace"):
            continue
        deadline = whole_number(workload.active_deadline_s.value) if workload.active_deadline_s else None
        schedule = workload.schedule.value if workload.schedule and isinstance(workload.schedule.value, str) else ""
        every = interval_s(schedule)
        if deadline is not None and every is not None and deadline < every:
            continue  # a run is stopped before the next one starts
        said = "concurrencyPolicy: Allow" if policy is not None else "no concurrencyPolicy (the default is Allow)"
        yield Hit(
            file=policy.file if policy is not None else workload.file,
            line=policy.line if policy is not None else workload.line,
            resource=workload.ref,
            message=(
                f"CronJob {workload.name} has {said}. When a run takes longer than the schedule's interval "
                "the next one starts beside it: duplicate side effects, two writers on the same data, and pods "
                "that pile up while a dependency is slow."
            ),
            fix="Set concurrencyPolicy: Forbid (or Replace), and bound each run with activeDeadlineSeconds.",
        )


RULE = Rule(
    id="kubernetes/cronjob-allows-overlap",
    footgun="kubernetes/cronjob-overlap",
    severity="warning",
    summary="A CronJob that allows concurrent runs can run a job twice at once.",
    formats=("kubernetes",),
    check=check,
)
