from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import replica_floor
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        floor = replica_floor(model, workload)
        if floor is None or floor < 2 or model.budgets_for(workload):
            continue
        yield Hit(
            file=workload.file,
            line=workload.line,
            resource=workload.ref,
            message=(
                f"{workload.kind} {workload.name} runs {floor} or more replicas, but no "
                "PodDisruptionBudget in these files covers its pods. A node drain or a cluster upgrade may "
                "evict every replica on the drained nodes at once."
            ),
            fix="Add a PodDisruptionBudget for its pods with maxUnavailable: 1 (or minAvailable below the replicas).",
        )


RULE = Rule(
    id="kubernetes/missing-pdb",
    footgun="kubernetes/missing-or-strict-pdb",
    severity="warning",
    summary="Several replicas and no PodDisruptionBudget: a drain may take them all at once.",
    formats=("kubernetes",),
    check=check,
)
