from __future__ import annotations

import posixpath
from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.rule import Context, Hit, Rule

# Host paths that hand a pod the node: its root, configuration, container runtime sockets, kubelet state.
SENSITIVE = (
    "/", "/etc", "/root", "/home", "/proc", "/sys", "/boot", "/dev", "/var/lib/kubelet", "/var/lib/docker",
    "/var/lib/containerd", "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock", "/var/run", "/run",
)  # fmt: skip


def is_sensitive(path: str) -> bool:
    normal = posixpath.normpath(path) if path.startswith("/") else path
    return normal in SENSITIVE or normal.endswith(".sock")


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for host in workload.pod.host_paths:
            if not is_sensitive(host.path):
                continue
            writers = [
                c.name
                for c in workload.pod.containers
                if host.volume in c.volume_mounts and c.volume_mounts[host.volume].value is not True
            ]
            if not writers and not any(host.volume in c.volume_mounts for c in workload.pod.containers):
                continue  # declared but mounted nowhere
            access = f"writable by {', '.join(writers)}" if writers else "read-only"
            yield Hit(
                file=host.file,
                line=host.line,
                resource=workload.ref,
                message=(
                    f"{workload.kind} {workload.name} mounts the node's {host.path} ({access}). Whoever controls "
                    "this pod can read the node's secrets or drive its container runtime, which is control of the "
                    "node and every pod on it."
                ),
                fix=(
                    "Do not mount host paths into application pods; if an agent truly needs one, mount the "
                    "narrowest path read-only."
                ),
            )


RULE = Rule(
    id="kubernetes/sensitive-host-path",
    footgun="kubernetes/host-path-mount",
    severity="error",
    summary="A pod that mounts the node's root, configuration or runtime socket can take over the node.",
    formats=("kubernetes",),
    check=check,
)
