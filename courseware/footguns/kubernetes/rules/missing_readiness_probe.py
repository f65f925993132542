from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        services = model.selecting_services(workload)
        if not services or workload.kind in ("Job", "CronJob"):
            continue  # nothing in these files sends it traffic
        serving = [c for c in workload.pod.containers if c.serving]
        # The containers that take the traffic: those that declare ports, or the only one.
        exposed = [c for c in serving if c.ports] or (serving if len(serving) == 1 else [])
        for container in exposed:
            if container.readiness is not None:
                continue
            yield Hit(
                file=container.file,
                line=container.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} is behind Service {services[0].name} but has no readiness "
                    "probe, so it counts as ready the moment it starts. Every rollout and restart sends "
                    "requests to a process that is not listening yet, and a stuck instance stays in rotation."
                ),
                fix="Add a readinessProbe on a cheap endpoint that answers only when this instance can serve.",
            )


RULE = Rule(
    id="kubernetes/missing-readiness-probe",
    footgun="kubernetes/missing-readiness-probe",
    severity="error",
    summary="A container behind a Service has no readiness probe, so traffic arrives before it can serve.",
    formats=("kubernetes",),
    check=check,
)
