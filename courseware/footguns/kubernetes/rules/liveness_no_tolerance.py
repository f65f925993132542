from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            live = container.liveness
            if live is None or live.failure_threshold > 1:
                continue
            setting = live.failure_threshold_setting
            yield Hit(
                file=live.file,
                line=setting.line if setting is not None else live.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} restarts the container after a single failed liveness "
                    f"check (failureThreshold {live.failure_threshold}). One slow answer during a garbage "
                    "collection, a traffic spike or a dependency blip kills a healthy process, and every replica "
                    "sees the same blip at once."
                ),
                fix="Keep the default failureThreshold of 3 or more, and check only the process itself in liveness.",
            )


RULE = Rule(
    id="kubernetes/liveness-no-tolerance",
    footgun="kubernetes/liveness-checks-dependencies",
    severity="warning",
    summary="A liveness probe that restarts the container after one failed check turns blips into restarts.",
    formats=("kubernetes",),
    check=check,
)
