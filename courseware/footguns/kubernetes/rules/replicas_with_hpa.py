from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        autoscalers = model.autoscalers_for(workload)
        if workload.replicas is None or not autoscalers:
            continue
        yield Hit(
            file=workload.replicas.file,
            line=workload.replicas.line,
            resource=workload.ref,
            message=(
                f"{workload.kind} {workload.name} sets replicas: {workload.replicas.value} and "
                f"HorizontalPodAutoscaler {autoscalers[0].name} scales it. Every apply or GitOps sync resets the "
                "count to the manifest's number, in the middle of a peak if that is when you deploy, until the "
                "autoscaler climbs back."
            ),
            fix="Drop spec.replicas from the manifest and let the autoscaler own the count (minReplicas is the floor).",
        )


RULE = Rule(
    id="kubernetes/replicas-with-hpa",
    footgun="kubernetes/hpa-fights-replicas",
    severity="warning",
    summary="A workload that sets replicas while an HPA scales it is reset on every apply.",
    formats=("kubernetes",),
    check=check,
)
