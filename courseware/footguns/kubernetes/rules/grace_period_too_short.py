from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule
from courseware.footguns.values import whole_number

# https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination: 30 s by default, and
# the countdown covers the preStop hook and the shutdown after it.
DEFAULT_GRACE_S = 30


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        grace_setting = workload.pod.grace_period
        grace = whole_number(grace_setting.value) if grace_setting is not None else DEFAULT_GRACE_S
        if grace is None:
            continue
        if grace == 0 and grace_setting is not None:
            yield Hit(
                file=grace_setting.file,
                line=grace_setting.line,
                resource=workload.ref,
                message=(
                    f"{workload.kind} {workload.name} sets terminationGracePeriodSeconds to 0: its containers "
                    "are killed without a chance to finish in-flight work or close connections."
                ),
                fix="Give the pod time to drain: a grace period above its slowest request plus any preStop sleep.",
            )
            continue
        for container in workload.pod.containers:
            sleep = container.pre_stop_sleep_s
            if sleep is None or not isinstance(sleep.value, int) or sleep.value < grace:
                continue
            yield Hit(
                file=sleep.file,
                line=sleep.line,
                resource=workload.ref,
                message=(
                    f"{workload.kind} {workload.name}, container {container.name}: the preStop hook sleeps "
                    f"{sleep.value} s but the grace period is {grace} s"
                    f"{'' if grace_setting is not None else ' (the default)'}. The countdown covers the hook, so "
                    "the process is killed before it ever receives SIGTERM and drops what it was doing."
                ),
                fix="Make terminationGracePeriodSeconds longer than the preStop sleep plus the time to drain.",
            )


RULE = Rule(
    id="kubernetes/grace-period-too-short",
    footgun="kubernetes/no-graceful-shutdown",
    severity="error",
    summary="A grace period of zero, or shorter than the preStop sleep, kills pods mid-request.",
    formats=("kubernetes",),
    check=check,
)
