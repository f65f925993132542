from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests, Service, Workload, same_namespace
from courseware.footguns.rule import Context, Hit, Rule


def _nearest(service: Service, workloads: list[Workload]) -> str:
    """The label that differs on the workload that comes closest, to point at a typo."""
    assert service.selector is not None
    best: tuple[int, str] | None = None
    for workload in workloads:
        labels = workload.pod.labels
        differ = [k for k, v in service.selector.items() if labels.get(k) != v]
        if best is None or len(differ) < best[0]:
            key = differ[0]
            have = f"'{labels[key]}'" if key in labels else "no such label"
            best = (len(differ), f" The closest is {workload.kind} {workload.name}: {key} is {have}.")
    return best[1] if best else ""


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for service in model.services:
        if not service.selector:
            continue
        candidates = [w for w in model.workloads if same_namespace(w.namespace, service.namespace)]
        if not candidates:
            continue  # the pods are in files not given: unknown, not missing
        if any(service in model.selecting_services(w) for w in candidates):
            continue
        wanted = ", ".join(f"{k}={v}" for k, v in service.selector.items())
        yield Hit(
            file=service.file,
            line=service.selector_line or service.line,
            resource=f"Service/{service.name}",
            message=(
                f"Service {service.name} selects pods labelled {wanted}, and no pod template in these files has "
                f"those labels.{_nearest(service, candidates)} The Service gets no endpoints: clients resolve "
                "its name and have their connections refused, with no error anywhere in the API."
            ),
            fix="Make the selector equal to labels of the workload's pod template (spec.template.metadata.labels).",
        )


RULE = Rule(
    id="kubernetes/service-selector-no-match",
    footgun="kubernetes/service-selector-mismatch",
    severity="error",
    summary="A Service whose selector matches no pod template in the files has no endpoints.",
    formats=("kubernetes",),
    check=check,
)
