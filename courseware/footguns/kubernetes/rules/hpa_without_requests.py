from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for hpa in model.autoscalers:
        targets = [w for w in model.workloads if hpa in model.autoscalers_for(w)]
        for workload in targets:
            if model.has_defaults(workload.namespace, "requests"):
                continue
            for metric in hpa.utilization_resources:
                resource = metric.value
                lacking = [
                    c.name
                    for c in workload.pod.containers
                    if c.serving and resource not in c.requests and resource not in c.limits
                ]
                if not lacking:
                    continue
                yield Hit(
                    file=metric.file,
                    line=metric.line,
                    resource=f"HorizontalPodAutoscaler/{hpa.name}",
                    message=(
                        f"HorizontalPodAutoscaler {hpa.name} scales {workload.kind} {workload.name} on {resource} "
                        f"utilisation, but container {', '.join(lacking)} requests no {resource}. Utilisation is "
                        "a percentage of the request, so the autoscaler cannot compute it and never scales: "
                        "the workload stays at its current size through the peak."
                    ),
                    fix=f"Set resources.requests.{resource} on every container of {workload.name}.",
                )


RULE = Rule(
    id="kubernetes/hpa-without-requests",
    footgun="kubernetes/hpa-without-requests",
    severity="error",
    summary="An HPA scaling on utilisation of a resource its pods do not request never scales.",
    formats=("kubernetes",),
    check=check,
)
