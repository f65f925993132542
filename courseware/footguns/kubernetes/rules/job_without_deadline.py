from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        if workload.kind not in ("Job", "CronJob") or workload.active_deadline_s is not None:
            continue
        yield Hit(
            file=workload.file,
            line=workload.line,
            resource=workload.ref,
            message=(
                f"{workload.kind} {workload.name} has no activeDeadlineSeconds. A run that hangs (a stuck "
                "connection, a lock) holds its pod and its resources forever; the backoff limit only counts "
                "failures, and a hung process never fails."
            ),
            fix="Set activeDeadlineSeconds on the Job spec to a little more than the longest normal run.",
        )


RULE = Rule(
    id="kubernetes/job-without-deadline",
    footgun="kubernetes/unbounded-job",
    severity="warning",
    summary="A Job or CronJob without a deadline can hang forever.",
    formats=("kubernetes",),
    check=check,
)
