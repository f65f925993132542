from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule
from courseware.footguns.values import whole_number


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            if container.privileged is not None and container.privileged.value is True:
                setting, what = container.privileged, "runs privileged: it has every capability and the host's devices"
            elif (
                container.allow_privilege_escalation is not None and container.allow_privilege_escalation.value is True
            ):
                setting = container.allow_privilege_escalation
                what = "allows privilege escalation: a process inside can gain more privileges than it started with"
            elif container.run_as_user is not None and whole_number(container.run_as_user.value) == 0:
                setting, what = container.run_as_user, "runs as root (runAsUser: 0)"
            else:
                continue
            yield Hit(
                file=setting.file,
                line=setting.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} {what}. A compromise of the application becomes a compromise "
                    "of the node and everything on it, and a namespace that enforces the baseline or restricted "
                    "Pod Security Standard refuses the pod."
                ),
                fix=(
                    "Remove privileged, set allowPrivilegeEscalation: false and runAsNonRoot: true with a non-zero "
                    "runAsUser, and drop capabilities you do not need."
                ),
            )


RULE = Rule(
    id="kubernetes/privileged-container",
    footgun="kubernetes/privileged-or-root",
    severity="error",
    summary="A privileged container, one that may escalate, or one running as root widens every breach.",
    formats=("kubernetes",),
    check=check,
)
