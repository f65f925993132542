from __future__ import annotations

import posixpath
from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def shell_script(command: list[str]) -> str | None:
    """The script of `sh -c "..."`, or None when the command is not a shell running one."""
    if len(command) < 3 or posixpath.basename(command[0]) not in SHELLS or not command[1].startswith("-"):
        return None
    return command[2] if "c" in command[1] else None


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        if workload.kind in ("Job", "CronJob"):
            continue
        for container in workload.pod.containers:
            if not container.serving:
                continue
            argv = container.command + container.args
            script = shell_script(argv)
            if script is None:
                continue
            # Some shells (dash) stay PID 1 for a list of commands and do not pass SIGTERM on; bash 4.4+ may exec
            # the last one. An explicit `exec` hands over whatever the shell.
            several = any(mark in script for mark in ("&&", ";", "\n", "||", "|"))
            if not several or "exec " in script:
                continue
            yield Hit(
                file=container.file,
                line=container.command_line or container.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} starts through a shell script ({argv[0]} {argv[1]}) that runs "
                    "several commands without exec. Depending on the image's shell, the shell stays PID 1 and "
                    "does not pass SIGTERM on, so the application never hears that it should stop: it is killed "
                    "when the grace period ends, mid-request."
                ),
                fix="End the script with `exec your-app ...` so the app replaces the shell, or run it directly.",
            )


RULE = Rule(
    id="kubernetes/shell-form-entrypoint",
    footgun="kubernetes/no-graceful-shutdown",
    severity="warning",
    summary="A shell script as PID 1 swallows SIGTERM, so the app is killed instead of stopping.",
    formats=("kubernetes",),
    check=check,
)
