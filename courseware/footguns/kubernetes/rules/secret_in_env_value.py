from __future__ import annotations

import re
from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule

_SECRET_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH|DSN|CONNECTION_?STRING)", re.I
)
_NOT_SECRET = re.compile(r"(_FILE|_PATH|_URL_?PATH|_NAME|_ID|_HEADER|_TTL|_TIMEOUT|_EXPIRY|_LENGTH)$", re.I)
_PLACEHOLDER = re.compile(r"^(\$\(.*\)|\$\{.*\}|<.*>|changeme|)$", re.I)


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            for var in container.env:
                if not isinstance(var.value, str) or _PLACEHOLDER.match(var.value.strip()):
                    continue
                if not _SECRET_NAME.search(var.name) or _NOT_SECRET.search(var.name):
                    continue
                yield Hit(
                    file=var.file,
                    line=var.line,
                    resource=workload.ref,
                    message=(
                        f"{label(workload, container)} sets {var.name} as a literal value in the manifest. The "
                        "credential is now in Git, in CI logs, in `kubectl get -o yaml` for anyone who can read "
                        "the workload, and in the process environment."
                    ),
                    fix=(
                        "Put it in a Secret (or an external secret store) referenced with valueFrom.secretKeyRef, "
                        "or mount it as a file; rotate the exposed value."
                    ),
                )


RULE = Rule(
    id="kubernetes/secret-in-env-value",
    footgun="kubernetes/secret-in-manifest",
    severity="error",
    summary="A credential written as a literal environment value is exposed wherever the manifest goes.",
    formats=("kubernetes",),
    check=check,
)
