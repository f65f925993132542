"""Hostile jobs that prove the confinement holds.

Each canary runs inside a confined child, tries one thing a hostile parser input (or a
parser bug) could lead to, and reports whether it got through. The runner's self-test
runs the ones in SELF_TEST at start-up and refuses to serve if any escapes; the tests
in tests/sandbox/ run all of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import stat
import threading
import time
from dataclasses import dataclass, field
from typing import Any

LARGE_ALLOCATION_BYTES = 2**30
_DEV_NULL = os.makedev(1, 3)
ALIAS_BOMB = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n" for level in range(1, 9)
)
DEEP_NESTING = "[" * 200_000 + "]" * 200_000


@dataclass(frozen=True)
class Canary:
    name: str
    job: str
    # Outcome statuses that prove containment; for "ok" the canary's own report decides.
    contained_by: frozenset[str] = frozenset({"ok"})
    args: dict[str, Any] = field(default_factory=dict)


def _escaped(escaped: bool, detail: str) -> dict[str, Any]:
    return {"escaped": escaped, "detail": detail}


def alias_bomb(_args: dict[str, Any]) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tree = yaml.load(ALIAS_BOMB, Loader=loader)  # noqa: S506 - a safe loader, chosen above
    size = len(json.dumps(tree))
    return _escaped(True, f"expanded the bomb to {size} bytes without hitting a limit")


def deep_nesting(_args: dict[str, Any]) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        yaml.load(DEEP_NESTING, Loader=loader)  # noqa: S506
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        return _escaped(False, f"the parser gave up cleanly: {type(exc).__name__}")
    return _escaped(False, "the parser coped with 200 000 levels")


def large_allocation(_args: dict[str, Any]) -> dict[str, Any]:
    try:
        block = bytearray(LARGE_ALLOCATION_BYTES)
    except MemoryError:
        return _escaped(False, f"allocating {LARGE_ALLOCATION_BYTES // 2**20} MiB raised MemoryError")
    block[-1] = 1
    return _escaped(True, f"allocated {len(block) // 2**20} MiB")


def fork(_args: dict[str, Any]) -> dict[str, Any]:
    got_through, refused = [], []
    try:
        pid = os.fork()
    except OSError as exc:
        refused.append(f"fork ({exc.strerror})")
    else:
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        got_through.append("fork")
    try:
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
    except RuntimeError:
        refused.append("thread")
    else:
        got_through.append("thread")
    if got_through:
        return _escaped(True, f"started a new process or thread: {', '.join(got_through)}")
    return _escaped(False, f"refused: {', '.join(refused)}")


def file_write(_args: dict[str, Any]) -> dict[str, Any]:
    name = f"sandbox-canary-{os.getpid()}"
    written = []
    for folder in (".", "/tmp", "/var/tmp", "/dev/shm"):  # noqa: S108 - the point of the test
        path = os.path.join(folder, name)
        try:
            with open(path, "wb") as handle:
                handle.write(b"x")
        except OSError:
            continue
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)
        written.append(path)
    if written:
        return _escaped(True, f"wrote {', '.join(written)}")
    return _escaped(False, "every write was refused")


def network(args: dict[str, Any]) -> dict[str, Any]:
    targets = [("127.0.0.1", args["local_port"])] if args.get("local_port") else []
    targets.append(("1.1.1.1", 53))
    reached = []
    for host, port in targets:
        try:
            with socket.create_connection((host, port), timeout=1):
                reached.append(f"{host}:{port}")
        except OSError:
            continue
    interfaces = [name for _, name in socket.if_nameindex()]
    if reached:
        return _escaped(True, f"connected to {', '.join(reached)}; interfaces {interfaces}")
    return _escaped(False, f"no connection; interfaces {interfaces}")


def environment(_args: dict[str, Any]) -> dict[str, Any]:
    if os.environ:
        return _escaped(True, f"sees variables: {', '.join(sorted(os.environ)[:10])}")
    return _escaped(False, "environment is empty")


def secrets(args: dict[str, Any]) -> dict[str, Any]:
    paths = ["/etc/shadow", "/proc/1/environ", f"/proc/{os.getppid()}/environ"]
    readable = []
    for path in paths + list(args.get("paths", [])):
        try:
            with open(path, "rb") as handle:
                handle.read(1)
        except OSError:
            continue
        readable.append(path)
    if readable:
        return _escaped(True, f"could read {', '.join(readable)}")
    return _escaped(False, f"{len(paths) + len(args.get('paths', []))} secret files are all unreadable")


def inherited_fds(_args: dict[str, Any]) -> dict[str, Any]:
    # fstat, not /proc/self/fd: the child may have no /proc at all.
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    open_fds = []
    for fd in range(limit):
        try:
            os.fstat(fd)
        except OSError:
            continue
        open_fds.append(fd)
    if open_fds != [0, 1, 2, 3]:
        return _escaped(True, f"open descriptors: {open_fds}")
    if any(os.fstat(fd).st_rdev != _DEV_NULL or not stat.S_ISCHR(os.fstat(fd).st_mode) for fd in (0, 1, 2)):
        return _escaped(True, "standard streams are not /dev/null")
    return _escaped(False, "only /dev/null and the result pipe are open")


def signal_others(args: dict[str, Any]) -> dict[str, Any]:
    """Another learner's check, the zygote, the web process: none may be seen, let alone signalled.

    Probes with signal 0 (a permission and existence check that delivers nothing), unless args["kill"] asks to
    send SIGKILL to the given pids, as a parser exploit would to a sibling check.
    """
    sig = signal.SIGKILL if args.get("kill") else 0
    reached = []
    for pid in [int(pid) for pid in args.get("pids", [])]:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            continue
        except PermissionError:
            reached.append(f"{pid} (exists)")
            continue
        reached.append(str(pid))
    try:
        os.kill(-1, 0)  # every process this one may signal
    except ProcessLookupError:
        pass
    else:
        reached.append("-1 (some process)")
    if reached:
        return _escaped(True, f"could see or signal: {', '.join(reached)}")
    return _escaped(False, f"no other process is visible (own pid {os.getpid()})")


# Canaries for the tests only: misbehaviour whose containment is a runner outcome.


def ping(_args: dict[str, Any]) -> dict[str, Any]:
    return {"escaped": False, "detail": "pong", "uid": os.getuid(), "cwd": os.getcwd()}


def segfault(_args: dict[str, Any]) -> dict[str, Any]:
    # A real fault, as a bug in a C parser would cause (a kill() of itself would be ignored by the pid 1 of a
    # PID namespace, which only kernel-generated signals reach).
    import ctypes

    ctypes.string_at(0)
    return _escaped(True, "survived SIGSEGV")


def spin(_args: dict[str, Any]) -> dict[str, Any]:
    while True:
        pass


def sleep(_args: dict[str, Any]) -> dict[str, Any]:
    time.sleep(3600)
    return _escaped(True, "woke up")


def flood(_args: dict[str, Any]) -> dict[str, Any]:
    chunk = b"x" * 65536
    while True:
        os.write(3, chunk)


def big_result(_args: dict[str, Any]) -> dict[str, Any]:
    return {"escaped": False, "detail": "x" * (8 * 2**20)}


def memory_bomb(_args: dict[str, Any]) -> dict[str, Any]:
    return {"size": len(b"x" * 2**31)}


def recursion(_args: dict[str, Any]) -> dict[str, Any]:
    def down(n: int) -> int:
        return down(n + 1) + 1

    return {"depth": down(0)}


def error(_args: dict[str, Any]) -> dict[str, Any]:
    raise ValueError("a bug in a job")


def _canary(name: str, *contained_by: str) -> Canary:
    statuses = frozenset(contained_by or ("ok",))
    return Canary(name=name, job=f"{__name__}:{name}", contained_by=statuses)


SELF_TEST = (
    _canary("alias_bomb", "cpu_limit", "memory_limit", "timeout"),
    _canary("deep_nesting", "ok", "crashed", "memory_limit", "cpu_limit", "timeout"),
    _canary("large_allocation", "ok", "memory_limit"),
    _canary("fork"),
    _canary("file_write"),
    _canary("network"),
    _canary("environment"),
    _canary("secrets"),
    _canary("inherited_fds"),
    _canary("signal_others"),
)
CANARIES = {canary.name: canary for canary in SELF_TEST} | {
    name: _canary(name)
    for name in ("ping", "segfault", "spin", "sleep", "flood", "big_result", "memory_bomb", "recursion", "error")
}
