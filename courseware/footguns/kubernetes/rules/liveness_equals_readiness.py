from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            live, ready = container.liveness, container.readiness
            if live is None or ready is None or live.handler != ready.handler:
                continue
            # The same endpoint is fine when liveness waits longer (https://kubernetes.io/docs/concepts/
            # configuration/liveness-readiness-startup-probes/): an overloaded pod leaves rotation first.
            if live.tolerance_s > ready.tolerance_s:
                continue
            yield Hit(
                file=live.file,
                line=live.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} uses the same check for liveness as for readiness and gives "
                    f"up on it as soon ({live.tolerance_s} s vs {ready.tolerance_s} s). A busy instance is "
                    "restarted instead of taken out of rotation, and the restarts push its load onto the others."
                ),
                fix=(
                    "Make liveness a process-local check, or keep the endpoint and give liveness a clearly "
                    "higher failureThreshold × periodSeconds than readiness."
                ),
            )


RULE = Rule(
    id="kubernetes/liveness-equals-readiness",
    footgun="kubernetes/liveness-same-as-readiness",
    severity="warning",
    summary="A liveness probe identical to the readiness probe restarts pods that only needed a rest.",
    formats=("kubernetes",),
    check=check,
)
