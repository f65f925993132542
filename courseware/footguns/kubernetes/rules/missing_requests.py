from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label, where
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        if model.has_defaults(workload.namespace, "requests"):
            continue  # a LimitRange in these files fills them in
        for container in workload.pod.containers:
            # A limit without a request becomes the request (https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/).
            missing = [r for r in ("cpu", "memory") if r not in container.requests and r not in container.limits]
            if not missing:
                continue
            yield Hit(
                file=container.file,
                line=where(container),
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} requests no {' and no '.join(missing)}. The scheduler counts "
                    "it as needing nothing and packs it onto busy nodes; without any request the pod is "
                    "BestEffort, the first evicted under memory pressure, and an autoscaler cannot compute its "
                    "utilisation."
                ),
                fix=(
                    f"Set resources.requests.{missing[0]} (and {'memory' if missing[0] == 'cpu' else 'cpu'}) "
                    "from measured usage, or add a LimitRange with defaultRequest as a safety net."
                ),
            )


RULE = Rule(
    id="kubernetes/missing-requests",
    footgun="kubernetes/missing-resource-requests",
    severity="error",
    summary="A container with no CPU or memory request is scheduled as if it needed nothing.",
    formats=("kubernetes",),
    check=check,
)
