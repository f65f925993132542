from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import replica_floor
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        services = model.selecting_services(workload)
        if not services or replica_floor(model, workload) != 1:
            continue
        written = workload.replicas
        yield Hit(
            file=written.file if written is not None else workload.file,
            line=written.line if written is not None else workload.line,
            resource=workload.ref,
            message=(
                f"{workload.kind} {workload.name} serves Service {services[0].name} with a single replica"
                f"{'' if written is not None else ' (replicas is not set, and the default is 1)'}. Every "
                "node drain, eviction or node failure is an outage until the pod is rescheduled and ready."
            ),
            fix="Run at least two replicas, spread across nodes, with a PodDisruptionBudget that allows one down.",
        )


RULE = Rule(
    id="kubernetes/single-replica",
    footgun="kubernetes/single-replica",
    severity="warning",
    summary="A workload behind a Service with one replica goes down with every drain.",
    formats=("kubernetes",),
    check=check,
)
