from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label, where
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        if model.has_defaults(workload.namespace, "limits"):
            continue
        for container in workload.pod.containers:
            if "memory" in container.limits:
                continue
            yield Hit(
                file=container.file,
                line=where(container),
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} has no memory limit. When it grows (a leak, a large "
                    "request) it takes memory its neighbours were promised; the node runs short, and the kubelet "
                    "evicts pods or the kernel kills one — not necessarily this one."
                ),
                fix="Set resources.limits.memory close to the memory request, sized from measured peak usage.",
            )


RULE = Rule(
    id="kubernetes/missing-memory-limit",
    footgun="kubernetes/missing-memory-limit",
    severity="warning",
    summary="A container without a memory limit can starve its neighbours on the node.",
    formats=("kubernetes",),
    check=check,
)
