"""Small readings of the model that several Kubernetes rules share."""

from __future__ import annotations

from courseware.footguns.kubernetes.model import REPLICATED_KINDS, Container, Manifests, Workload
from courseware.footguns.values import whole_number


def where(container: Container) -> int | None:
    """The line a finding about the container's resources points at."""
    return container.resources_line or container.line


def replica_floor(model: Manifests, workload: Workload) -> int | None:
    """The fewest replicas the workload runs (an HPA's minReplicas when one manages it); None if unknown."""
    if workload.kind not in REPLICATED_KINDS:
        return None
    autoscalers = model.autoscalers_for(workload)
    if autoscalers:
        return min(hpa.min_replicas for hpa in autoscalers)
    if workload.replicas is None:
        return 1
    return whole_number(workload.replicas.value)


def label(workload: Workload, container: Container | None = None) -> str:
    text = f"{workload.kind} {workload.name}"
    return f"{text}, container {container.name}" if container is not None else text
