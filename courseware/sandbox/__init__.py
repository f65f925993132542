"""Run the footgun engine on learner files in a confined child process (plain Python).

API (the exercises app calls exactly this)::

    from courseware.sandbox import Limits, Outcome, Runner, RunnerUnavailable, get_runner

    runner = get_runner()        # process-wide, started on first use; may raise RunnerUnavailable
    outcome = runner.check({"template.yaml": text}, learner_key=str(user.pk))
    outcome.status               # ok | rejected | timeout | cpu_limit | memory_limit |
                                 # output_limit | crashed | busy
    outcome.message              # for the learner, in plain words
    outcome.report               # engine JSON v1 when status == "ok", findings capped at
                                 # Limits.max_findings ("truncated": true, "findings_total": n)
    outcome.counts_as_attempt    # True only for ok and rejected
    outcome.retry_after_s        # set when busy: send HTTP 429 with Retry-After
    outcome.detail               # for logs only, never for the learner

- ``Limits`` (frozen): cpu_s=2 (soft, SIGXCPU) < cpu_hard_s=3, wall_s=5.0,
  memory_bytes=512 MiB (RLIMIT_AS), open_files=32, max_output_bytes=1 MiB,
  max_findings=500, scan=ScanLimits() (size caps and pre-scan bounds),
  pool_size=cores - 1 (at least 1), queue_wait_s=1.0 (how long a check waits for a free
  child before "busy").
- ``Runner(limits, allow_unsafe=False)``: ``start()`` starts the zygote and runs
  ``self_test()``; if a canary escapes it raises ``RunnerUnavailable`` (its ``escaped``
  names the canaries) unless allow_unsafe. ``check()`` is thread-safe and never raises.
  ``self_test()`` returns a ``SelfTestReport`` (``canaries``: name, contained, detail;
  ``contained``; ``escaped``). ``close()`` kills running children and stops the zygote.
  ``run_canary(name)`` runs one canary of ``courseware.sandbox.canaries`` (tests, checks).
- ``get_runner()`` reads SANDBOX_POOL_SIZE, SANDBOX_WALL_S and SANDBOX_ALLOW_UNSAFE=1
  (pass it only with DEBUG). After a fork (gunicorn workers) each process gets its own,
  so the machine-wide bound is workers x pool_size. The first call costs about 1.3 s
  (zygote start ~0.2 s, self-test ~1.1 s): call it once at start-up, not in a request.
- The self-test entries: prescan (in the web process), alias_bomb, deep_nesting,
  large_allocation (1 GiB, so memory_bytes above that fails it), fork, file_write,
  network, environment, secrets, inherited_fds, signal_others (the zygote and the web
  process are invisible to a child), and engine (a confined child can run a
  real check, so a broken deploy fails at start-up too).

How a check runs (reference/security.md §5):

1. In the web process: file count, per-file and total size caps, path and UTF-8 checks,
   then one in-flight check per learner, then the engine's streaming pre-scan, then a
   slot of the bounded pool (waiting at most queue_wait_s, else ``busy``).
2. A zygote interpreter, started once with ``python -I`` and an empty environment, has
   preloaded the parsers, rules and engine; it forks a fresh child per check. The web
   process never forks.
3. The child confines itself before it reads learner input: new session (its own
   process group), /dev/null for stdio and no other inherited descriptors, a new network
   namespace (no usable interface), a PID namespace of its own (it runs as pid 2 under a
   waiting init, so no sibling check, zygote or web process can be seen or signalled), a
   mount namespace with every mount read-only, an
   empty per-check working directory that it also chroots into (no host file, /proc or
   database is visible), RLIMIT_CPU soft < hard, RLIMIT_AS, RLIMIT_FSIZE=0,
   RLIMIT_NOFILE, RLIMIT_NPROC=0 (effective because it then switches to uid/gid nobody;
   a non-root runner uses a user namespace instead), no core dumps, no_new_privs, not
   dumpable (no ptrace between children), SIGKILL when the zygote dies, an empty
   environment. So anything a job imports must be preloaded by the zygote (PRELOAD and
   the warm-up in courseware.sandbox.jobs); tests/sandbox/test_engine_parity.py proves it
   for every rule fixture.
4. The parent reads the result pipe with a byte cap and kills the child's process group
   at the wall-clock deadline; the zygote reaps the child and reports its wait status
   and CPU time, which map to the outcome. If the zygote dies, the next check starts a
   new one.

Operators: ``python -m courseware.sandbox selftest`` prints each canary (exit 1 if one
escaped); ``python -m courseware.sandbox bench --runs 200`` measures start-up and check().
"""

from __future__ import annotations

import atexit
import os
import threading
import time

from courseware.sandbox.limits import Limits
from courseware.sandbox.outcome import CanaryResult, Outcome, SelfTestReport
from courseware.sandbox.runner import Runner, RunnerUnavailable

__all__ = [
    "CanaryResult",
    "Limits",
    "Outcome",
    "Runner",
    "RunnerUnavailable",
    "SelfTestReport",
    "get_runner",
    "limits_from_environment",
]

# A runner that failed to start is not retried on every request: each try costs a self-test.
RETRY_START_AFTER_S = 60.0

_lock = threading.Lock()
_runner: Runner | None = None
_runner_pid: int | None = None
_failure: tuple[float, int, RunnerUnavailable] | None = None


def limits_from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> Limits:
    environ = os.environ if environ is None else environ
    overrides: dict[str, float | int] = {}
    if environ.get("SANDBOX_POOL_SIZE"):
        overrides["pool_size"] = int(environ["SANDBOX_POOL_SIZE"])
    if environ.get("SANDBOX_WALL_S"):
        overrides["wall_s"] = float(environ["SANDBOX_WALL_S"])
    return Limits(**overrides)


def get_runner() -> Runner:
    global _runner, _runner_pid, _failure
    with _lock:
        if _runner is not None and _runner_pid == os.getpid():
            return _runner
        # A runner inherited through fork() belongs to the parent process: leave it alone.
        if _failure is not None:
            failed_at, pid, error = _failure
            if pid == os.getpid() and time.monotonic() - failed_at < RETRY_START_AFTER_S:
                raise error
        runner = Runner(limits_from_environment(), allow_unsafe=os.environ.get("SANDBOX_ALLOW_UNSAFE") == "1")
        try:
            runner.start()
        except RunnerUnavailable as error:
            _failure = (time.monotonic(), os.getpid(), error)
            raise
        _runner, _runner_pid, _failure = runner, os.getpid(), None
        return _runner


@atexit.register
def _close_runner() -> None:
    if _runner is not None and _runner_pid == os.getpid():
        _runner.close()


def runner_status() -> str:
    """How this process's runner stands, without starting one: for the readiness check."""
    with _lock:
        runner, pid, failure = _runner, _runner_pid, _failure
    if runner is not None and pid == os.getpid():
        report = runner.last_self_test
        if report is None:
            return "started, no self-test"
        if report.contained:
            return "self-test passed"
        return "self-test failed: " + ", ".join(report.escaped)
    if failure is not None and failure[1] == os.getpid():
        return f"unavailable: {failure[2]}"
    return "not started in this process"
