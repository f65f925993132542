"""A runner that is not root confines its children through a user namespace.

Production runs the zygote as root here, so this drives the other branch of
courseware.sandbox.confine from a separate interpreter: it drops to an ordinary uid
first, then confines itself and runs the containment canaries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import encodings.idna, json, os, sys, tempfile, unicodedata
    from courseware.sandbox import canaries, confine

    workdir = tempfile.mkdtemp(prefix="sandbox-unprivileged-")
    os.chown(workdir, 1000, 1000)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setgroups([])
        os.setgid(1000)
        os.setuid(1000)
        try:
            done = confine.confine(confine.ChildLimits(1, 2, 512 * 2**20, 32), workdir, write_end)
            report = {"applied": done.applied, "skipped": done.skipped}
            for name in ("fork", "file_write", "network", "secrets", "inherited_fds", "environment"):
                report[name] = getattr(canaries, name)({})
        except Exception as exc:
            report = {"error": repr(exc)}
        for fd in (confine.RESULT_FD, write_end):
            try:
                os.write(fd, json.dumps(report).encode())
                break
            except OSError:
                pass
        os._exit(0)
    os.close(write_end)
    data = os.read(read_end, 65536)
    os.waitpid(pid, 0)
    os.rmdir(workdir)
    sys.stdout.write(data.decode())
    """
)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to switch to an ordinary uid")
def test_an_unprivileged_runner_confines_through_a_user_namespace():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, cwd=root, check=True
    )
    report = json.loads(result.stdout)
    assert "error" not in report, report
    if "namespaces" in report["skipped"]:
        pytest.skip(f"this kernel refuses unprivileged user namespaces: {report['skipped']}")
    assert {"netns", "readonly-fs", "empty-root", "rlimits"} <= set(report["applied"])
    escaped = {name: canary for name, canary in report.items() if isinstance(canary, dict) and canary.get("escaped")}
    assert not escaped


NO_PID_NAMESPACE = textwrap.dedent(
    """
    import encodings.idna, json, os, sys, tempfile, unicodedata
    from courseware.sandbox import canaries, confine

    real_unshare = os.unshare

    def unshare(flags):
        if flags & os.CLONE_NEWPID:  # a kernel or container runtime that refuses PID namespaces
            raise PermissionError(1, "Operation not permitted")
        real_unshare(flags)

    os.unshare = unshare
    workdir = tempfile.mkdtemp(prefix="sandbox-nopidns-")
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            done = confine.confine(confine.ChildLimits(1, 2, 512 * 2**20, 32), workdir, write_end)
            report = {"applied": done.applied, "skipped": done.skipped,
                      "signal_others": canaries.signal_others({"pids": [parent]})}
        except Exception as exc:
            report = {"error": repr(exc)}
        os.write(confine.RESULT_FD, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    data = os.read(read_end, 65536)
    os.waitpid(pid, 0)
    os.rmdir(workdir)
    sys.stdout.write(data.decode())
    """
)


@pytest.mark.skipif(os.getuid() != 0, reason="needs root, as the production runner here")
def test_without_a_pid_namespace_the_rest_holds_and_the_canary_says_so():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run(
        [sys.executable, "-c", NO_PID_NAMESPACE], capture_output=True, text=True, timeout=60, cwd=root, check=True
    )
    report = json.loads(result.stdout)
    assert "error" not in report, report
    assert "pidns" in report["skipped"] and "pidns" not in report["applied"]
    assert {"netns", "readonly-fs", "empty-root", "uid:nobody"} <= set(report["applied"])
    # The self-test's canary reports the escape, so the runner refuses to serve outside DEBUG (fail closed).
    assert report["signal_others"]["escaped"] is True
