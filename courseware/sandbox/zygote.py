"""The pre-warmed parent: imports the parsers once, then forks one child per job.

Started by the runner as a separate interpreter (``python -I``) with one end of a
socketpair, so the web process itself never forks and no web-worker thread state is
copied into a child. It is single-threaded: a selector waits on the control socket and
on a SIGCHLD wake-up pipe. For each request it forks a child that confines itself
(courseware.sandbox.confine) and runs the job; when the child is reaped, the wait status
and resource usage go to the status pipe that came with the request.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from typing import Any

from courseware.sandbox.confine import RESULT_FD, ChildLimits, ConfinementError, become_subreaper, confine
from courseware.sandbox.protocol import recv_message, send_message

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_MEMORY = 3
EXIT_RECURSION = 4
EXIT_OUTPUT = 5
EXIT_CONFINEMENT = 6
EXIT_NO_JOB = 7

_MEMORY_ERROR_ENVELOPE = b'{"ok":false,"error":"MemoryError"}'


def main() -> None:
    control_fd, preload, warm_up = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
    control = socket.socket(fileno=control_fd)
    # A child killed at its deadline leaves the processes of its PID namespace orphaned: they come here to be
    # reaped (_reap takes any pid), not to the host's init, which may never reap them.
    become_subreaper()
    loaded, failed = _preload(preload)
    warmed = _warm_up(warm_up)
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    send_message(
        control,
        {"ready": True, "pid": os.getpid(), "loaded": loaded, "failed": failed, "warm": warmed},
    )
    _serve(control, wake_r)


def _preload(modules: list[str]) -> tuple[list[str], dict[str, str]]:
    loaded, failed = [], {}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # reported to the runner, which decides
            failed[name] = f"{type(exc).__name__}: {exc}"
        else:
            loaded.append(name)
    return loaded, failed


def _warm_up(path: str) -> str:
    try:
        return str(resolve(path)({}))
    except Exception as exc:
        return f"warm-up failed: {type(exc).__name__}: {exc}"


def resolve(path: str) -> Callable[[dict[str, Any]], Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _serve(control: socket.socket, wake_r: int) -> None:
    # pid -> (status pipe, working directory): the zygote removes a child's folder when it reaps the child, so
    # the folder goes on every ending, even when the web process that asked for the check has died.
    status_fds: dict[int, tuple[int, str]] = {}
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is control:
                try:
                    request, fds = recv_message(control, max_fds=2)
                except (EOFError, OSError):
                    _kill_all(status_fds)  # the runner is gone: nobody enforces deadlines now
                    return
                _spawn(control, request, fds, status_fds)
            else:
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
            _reap(status_fds)


def _spawn(control: socket.socket, request: dict, fds: list[int], status_fds: dict) -> None:
    if len(fds) != 2:
        for fd in fds:
            os.close(fd)
        send_message(control, {"error": "a request needs a result pipe and a status pipe"})
        return
    result_w, status_w = fds
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(result_w)
        os.close(status_w)
        send_message(control, {"error": f"fork failed: {exc}"})
        return
    if pid == 0:
        _child(request, result_w)  # never returns
    os.close(result_w)
    status_fds[pid] = (status_w, str(request.get("workdir", "")))
    send_message(control, {"pid": pid})


def _kill_all(status_fds: dict[int, tuple[int, str]]) -> None:
    for pid in list(status_fds):
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(OSError):
                kill(pid, signal.SIGKILL)
    while status_fds:
        try:
            pid, _status = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        entry = status_fds.pop(pid, None)
        if entry is not None:
            _finished(*entry)


def _reap(status_fds: dict[int, tuple[int, str]]) -> None:
    while True:  # orphans from the children's PID namespaces too, not only the children it tracks
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        entry = status_fds.pop(pid, None)
        if entry is None:
            continue
        fd, workdir = entry
        _reap_group(pid)
        report = {
            "pid": pid,
            "status": status,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "maxrss_kb": usage.ru_maxrss,
        }
        with contextlib.suppress(OSError):
            os.write(fd, json.dumps(report).encode())
        _finished(fd, workdir)


def _reap_group(leader: int) -> None:
    """Before a check's ending is reported, nothing of it runs: a child killed at its deadline leaves its PID
    namespace's init orphaned (it comes here, the subreaper) and dying; wait for every member of its group."""
    with contextlib.suppress(OSError):
        os.killpg(leader, signal.SIGKILL)
    while True:
        try:
            os.waitpid(-leader, 0)
        except ChildProcessError:
            return


def _finished(status_fd: int, workdir: str) -> None:
    with contextlib.suppress(OSError):
        os.close(status_fd)
    if os.path.basename(workdir).startswith("sandbox-"):
        shutil.rmtree(workdir, ignore_errors=True)


def _child(request: dict, result_w: int) -> None:
    code = EXIT_ERROR
    try:
        code = _run_child(request, result_w)
    except MemoryError:
        code = EXIT_MEMORY
    except BaseException:  # nothing may escape back into the zygote's loop
        code = EXIT_ERROR
    finally:
        os._exit(code)


def _run_child(request: dict, result_w: int) -> int:
    try:
        job = resolve(request["job"])
    except Exception:
        return EXIT_NO_JOB
    try:
        confinement = confine(ChildLimits(**request["limits"]), request["workdir"], result_w)
    except (ConfinementError, OSError):
        return EXIT_CONFINEMENT
    # From here on the process handles untrusted input.
    memory_error = _MEMORY_ERROR_ENVELOPE
    try:
        result = job(request["args"])
        envelope = {
            "ok": True,
            "result": result,
            "confinement": {"applied": confinement.applied, "skipped": confinement.skipped},
        }
        payload = json.dumps(envelope, separators=(",", ":"), allow_nan=False).encode()
    except MemoryError:
        _write_all(memory_error)
        return EXIT_MEMORY
    except RecursionError:
        return EXIT_RECURSION
    except Exception as exc:  # the runner maps it to "crashed"
        detail = "".join(traceback.format_exception_only(exc))[-2000:]
        _write_all(json.dumps({"ok": False, "error": detail}).encode())
        return EXIT_ERROR
    if len(payload) > request["max_output_bytes"]:
        return EXIT_OUTPUT
    _write_all(payload)
    return EXIT_OK


def _write_all(data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(RESULT_FD, view)
        view = view[written:]


if __name__ == "__main__":
    main()
