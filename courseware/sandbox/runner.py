"""The web-process side: admission, size caps, pre-scan, one confined child per check.

The runner never forks. It starts one zygote interpreter (courseware.sandbox.zygote)
that has preloaded the parsers, asks it for a child per job over a socketpair, then
reads the child's result pipe with a cap while the wall-clock deadline runs, and kills
the child's process group when time or output runs out. The zygote reports how the
child ended (wait status and CPU time) on a second pipe.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from courseware.footguns.registry import TOPICS
from courseware.sandbox import canaries, messages, zygote
from courseware.sandbox.jobs import WARM_UP_FILES
from courseware.sandbox.limits import Limits
from courseware.sandbox.outcome import CanaryResult, Outcome, SelfTestReport
from courseware.sandbox.protocol import ProtocolError, recv_message, send_message

logger = logging.getLogger(__name__)

CHECK_JOB = "courseware.sandbox.jobs:check"
SIMULATE_JOB = "courseware.sandbox.jobs:simulate"
WARM_UP_JOB = "courseware.sandbox.jobs:warm_up"
# The child cannot import what it cannot read once it is nobody (the interpreter may live
# under a private home), so everything a job needs is imported here, before the fork.
PRELOAD = (
    "encodings.idna",
    "unicodedata",
    "yaml",
    "courseware.sandbox.jobs",
    "courseware.sandbox.canaries",
    "courseware.footguns.limits",
    "courseware.footguns.engine",
    # The engine imports these lazily (a one-file CLI run pays only for its parser); the child needs them all.
    "courseware.footguns.acceptance",
    "courseware.footguns.parsers.yaml_lines",
    "courseware.footguns.parsers.json_lines",
    "courseware.footguns.parsers.hcl",
    *(module for topic in TOPICS for module in topic.preload),
)
ZYGOTE_START_S = 60.0
CONTROL_TIMEOUT_S = 10.0
# After SIGKILL the zygote should report within milliseconds; past this we stop waiting.
KILL_GRACE_S = 2.0
_READ_CHUNK = 65536
_BOOT = "import json, sys; sys.path[:] = json.loads(sys.argv[4]); from courseware.sandbox.zygote import main; main()"


class RunnerUnavailable(Exception):
    """The runner cannot serve: its zygote would not start, or a canary escaped."""

    def __init__(self, message: str, escaped: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.escaped = escaped


class _RunnerFault(Exception):
    pass


@dataclass(frozen=True)
class _Ending:
    body: bytes
    wait: dict[str, Any] | None
    killed_for: str | None


class Runner:
    def __init__(self, limits: Limits = Limits(), *, allow_unsafe: bool = False) -> None:  # noqa: B008
        self.limits = limits
        self.allow_unsafe = allow_unsafe
        self.last_self_test: SelfTestReport | None = None
        self._pool = threading.BoundedSemaphore(limits.pool_size)
        self._state_lock = threading.Lock()
        self._control_lock = threading.Lock()
        self._in_flight: dict[str, float] = {}
        self._running: set[int] = set()
        self._zygote: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._zygote_info: dict[str, Any] = {}
        self._serving = False
        self._closed = False

    # Life cycle

    def start(self) -> SelfTestReport:
        _sweep_abandoned_workdirs()
        try:
            with self._control_lock:
                self._stop_zygote()
                self._start_zygote()
            report = self.self_test()
        except BaseException:
            self.close()
            raise
        if not report.contained and not self.allow_unsafe:
            self.close()
            raise RunnerUnavailable("the sandbox does not contain: " + ", ".join(report.escaped), report.escaped)
        if not report.contained:
            logger.warning("sandbox canaries escaped, serving anyway: %s", report.escaped)
        self._serving = True
        return report

    def close(self) -> None:
        self._serving = False
        self._closed = True
        with self._state_lock:
            running = list(self._running)
        for pid in running:
            _kill(pid)
        with self._control_lock:
            self._stop_zygote()

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def zygote_pid(self) -> int | None:
        return self._zygote.pid if self._zygote else None

    # Checking learner files

    def check(
        self,
        files: Mapping[str, str],
        *,
        learner_key: str,
        accept: Sequence[Mapping[str, Any]] = (),
        topic: str | None = None,
    ) -> Outcome:
        """Check learner files; with `topic`, also evaluate the exercise's `accept:` requirements."""
        started = time.monotonic()
        try:
            return self._check(files, learner_key, started, {"accept": list(accept), "topic": topic})
        except Exception:
            logger.exception("sandbox check failed")
            return Outcome("crashed", messages.crashed(), None, _ms(started), detail="runner error")

    def simulate(self, files: Mapping[str, str], *, learner_key: str, topic: str, name: str, scenario: str) -> Outcome:
        """Simulate learner files under a scenario (its text) in a confined child, under the same limits and
        admission as a check; the result (`Result.to_dict()`) is the outcome's report."""
        started = time.monotonic()
        try:
            job = {"topic": topic, "name": name, "scenario": scenario}
            return self._check(files, learner_key, started, job, job=SIMULATE_JOB)
        except Exception:
            logger.exception("sandbox simulation failed")
            return Outcome("crashed", messages.crashed(), None, _ms(started), detail="runner error")

    def _check(
        self, files: Mapping[str, str], learner_key: str, started: float, exercise: dict, job: str | None = None
    ) -> Outcome:
        job = job or CHECK_JOB  # read when called: tests swap the module's job for a sleeping one
        if not self._serving:
            return Outcome("crashed", messages.unavailable(), None, _ms(started), detail="stopped")
        encoded, rejection = self._validate(files)
        if rejection:
            return Outcome("rejected", rejection, None, _ms(started))
        with self._admitted(learner_key, started) as busy:
            if busy:
                return busy
            rejection = self._prescan(encoded)
            if rejection:
                return Outcome("rejected", rejection, None, _ms(started))
            args = {
                "files": {path: data.decode() for path, data in encoded.items()},
                "scan": asdict(self.limits.scan),
                "max_findings": self.limits.max_findings,
                **exercise,
            }
            outcome = self._run(job, args, self.limits, started)
            if job != SIMULATE_JOB and outcome.status == "ok" and outcome.report is not None:
                outcome = replace(outcome, message=messages.checked(outcome.report))
            return outcome

    def _validate(self, files: Mapping[str, str]) -> tuple[dict[str, bytes], str | None]:
        scan = self.limits.scan
        if not files:
            return {}, messages.no_files()
        if len(files) > scan.max_files:
            return {}, messages.too_many_files(len(files), scan.max_files)
        encoded: dict[str, bytes] = {}
        total = 0
        for path, text in files.items():
            if not _usable_path(path):
                return {}, messages.bad_path(str(path))
            try:
                if isinstance(text, str):
                    data = text.encode()
                elif isinstance(text, bytes | bytearray):
                    data = bytes(text)
                    data.decode()
                else:
                    return {}, messages.not_text(path)
            except UnicodeError:
                return {}, messages.not_text(path)
            if len(data) > scan.max_file_bytes:
                return {}, messages.file_too_big(path, len(data), scan.max_file_bytes)
            total += len(data)
            if total > scan.max_total_bytes:
                return {}, messages.total_too_big(total, scan.max_total_bytes)
            encoded[path] = data
        return encoded, None

    def _prescan(self, encoded: dict[str, bytes]) -> str | None:
        from courseware.footguns.prescan import prescan

        for path, data in encoded.items():
            rejection = prescan(path, data, self.limits.scan)
            if rejection:
                return rejection if path in rejection else f"{path}: {rejection}"
        return None

    @contextlib.contextmanager
    def _admitted(self, learner_key: str, started: float) -> Iterator[Outcome | None]:
        with self._state_lock:
            since = self._in_flight.get(learner_key)
            if since is None:
                self._in_flight[learner_key] = started
        if since is not None:
            left = self.limits.queue_wait_s + self.limits.wall_s - (time.monotonic() - since)
            retry = max(1, math.ceil(left))
            yield Outcome("busy", messages.learner_busy(), None, _ms(started), retry)
            return
        try:
            if not self._pool.acquire(timeout=self.limits.queue_wait_s):
                retry = max(1, math.ceil(self.limits.wall_s / 2))
                yield Outcome("busy", messages.busy(retry), None, _ms(started), retry)
                return
            try:
                yield None
            finally:
                self._pool.release()
        finally:
            with self._state_lock:
                del self._in_flight[learner_key]

    # Canaries

    def run_canary(self, name: str, *, limits: Limits | None = None, **args: Any) -> Outcome:
        """Run one canary from courseware.sandbox.canaries in a confined child."""
        canary = canaries.CANARIES[name]
        started = time.monotonic()
        try:
            return self._run(canary.job, {**canary.args, **args}, limits or self.limits, started)
        except Exception:
            logger.exception("sandbox canary %s failed", name)
            return Outcome("crashed", messages.crashed(), None, _ms(started), detail="runner error")

    def self_test(self) -> SelfTestReport:
        started = time.monotonic()
        # A lower CPU limit proves the same mechanism and keeps start-up short; the wall
        # clock stays above the hard CPU limit so that each limit shows as itself.
        limits = replace(self.limits, cpu_s=1, cpu_hard_s=2, wall_s=3.0)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sandbox-self-test") as pool:
            futures = [pool.submit(self._judge_canary, canary, limits) for canary in canaries.SELF_TEST]
            answering = pool.submit(self._engine_answers, limits)
            results = [_prescan_canary(self.limits), *(future.result() for future in futures)]
            results.append(answering.result())
        warm = str(self._zygote_info.get("warm", "zygote not started"))
        report = SelfTestReport(tuple(results), _ms(started), warm)
        self.last_self_test = report
        return report

    def _engine_answers(self, limits: Limits) -> CanaryResult:
        # Not a containment canary: proves a confined child can still do the real job
        # (everything it needs was preloaded), so a broken deploy fails at start-up.
        args = {"files": WARM_UP_FILES, "scan": asdict(limits.scan), "max_findings": limits.max_findings}
        outcome = self._run(CHECK_JOB, args, limits, time.monotonic())
        files = (outcome.report or {}).get("files") or []
        if outcome.status == "ok" and len(files) == len(WARM_UP_FILES):
            return CanaryResult("engine", True, f"a confined child checked {len(files)} files; {outcome.detail}")
        return CanaryResult("engine", False, f"the engine did not answer: {outcome.status} {outcome.detail}")

    def _judge_canary(self, canary: canaries.Canary, limits: Limits) -> CanaryResult:
        with contextlib.ExitStack() as stack:
            args = dict(canary.args)
            if canary.name == "network":
                # A service on the host's loopback is the realistic target (database, app).
                listener = stack.enter_context(socket.create_server(("127.0.0.1", 0)))
                args["local_port"] = listener.getsockname()[1]
            if canary.name == "signal_others":
                # The realistic targets: a sibling check of another learner (stood for by the zygote, which
                # runs as the same user as the web process), this web process, and whatever else kill(-1) finds.
                args["pids"] = [pid for pid in (self.zygote_pid, os.getpid()) if pid]
            if canary.name == "secrets":
                # World-readable, like a SQLite database or the code: only an empty root hides it.
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sandbox-secret-")))
                folder.chmod(0o755)
                secret = folder / "secret.txt"
                secret.write_text("the child must not read this\n")
                secret.chmod(0o644)
                args["paths"] = [str(secret)]
            outcome = self.run_canary(canary.name, limits=limits, **args)
        escaped = (outcome.report or {}).get("escaped", outcome.status == "ok")
        contained = outcome.status in canary.contained_by and not (outcome.status == "ok" and escaped)
        detail = (outcome.report or {}).get("detail") or f"{outcome.status}: {outcome.detail}"
        if canary.name == "deep_nesting" and contained:
            follow_up = self.run_canary("ping", limits=limits)
            contained = follow_up.status == "ok"
            detail += "; the runner still serves" if contained else "; the runner stopped serving"
        return CanaryResult(canary.name, contained, str(detail)[:500])

    # One job in one child

    def _run(self, job: str, args: dict[str, Any], limits: Limits, started: float) -> Outcome:
        # The child gets the whole wall-clock budget, whatever the wait for a slot was.
        deadline = time.monotonic() + limits.wall_s
        workdir = tempfile.mkdtemp(prefix=f"sandbox-{os.getpid()}-")
        result_r, result_w = os.pipe2(os.O_CLOEXEC)
        status_r, status_w = os.pipe2(os.O_CLOEXEC)
        request = {
            "job": job,
            "args": args,
            "workdir": workdir,
            "max_output_bytes": limits.max_output_bytes,
            "limits": {
                "cpu_s": limits.cpu_s,
                "cpu_hard_s": limits.cpu_hard_s,
                "memory_bytes": limits.memory_bytes,
                "open_files": limits.open_files,
            },
        }
        try:
            try:
                pid = self._spawn(request, [result_w, status_w])
            finally:
                os.close(result_w)
                os.close(status_w)
            ending = self._collect(pid, result_r, status_r, deadline, limits)
        except _RunnerFault as fault:
            logger.error("sandbox runner fault: %s", fault)
            return Outcome("crashed", messages.unavailable(), None, _ms(started), detail=str(fault))
        finally:
            os.close(result_r)
            os.close(status_r)
            shutil.rmtree(workdir, ignore_errors=True)
        return _outcome(ending, limits, started)

    def _spawn(self, request: dict[str, Any], fds: list[int]) -> int:
        with self._control_lock:
            if self._closed:
                raise _RunnerFault("the runner is closed")
            if self._control is None or self._zygote is None or self._zygote.poll() is not None:
                logger.warning("sandbox zygote is not running; starting a new one")
                self._stop_zygote()
                self._start_zygote()
            assert self._control is not None
            try:
                send_message(self._control, request, fds)
                reply, _ = recv_message(self._control)
            except (OSError, EOFError, ProtocolError, ValueError) as exc:
                self._stop_zygote()
                raise _RunnerFault(f"zygote channel failed: {exc}") from exc
        if "pid" not in reply:
            raise _RunnerFault(f"zygote refused the job: {reply.get('error')}")
        with self._state_lock:
            self._running.add(reply["pid"])
        return int(reply["pid"])

    def _collect(self, pid: int, result_r: int, status_r: int, deadline: float, limits: Limits) -> _Ending:
        body = bytearray()
        status_raw = bytearray()
        killed_for: str | None = None
        give_up = deadline + KILL_GRACE_S
        poller = select.poll()
        poller.register(result_r, select.POLLIN)
        poller.register(status_r, select.POLLIN)
        result_open = status_open = True
        try:
            while status_open:
                now = time.monotonic()
                if killed_for is None and now >= deadline:
                    killed_for = "timeout"
                    give_up = now + KILL_GRACE_S
                    _kill(pid)
                if now >= give_up:
                    break
                wait_until = give_up if killed_for else deadline
                timeout_ms = max(0, math.ceil((wait_until - now) * 1000))
                for fd, _event in poller.poll(timeout_ms):
                    chunk = os.read(fd, _READ_CHUNK)
                    if fd == status_r:
                        status_raw += chunk
                        if not chunk:
                            status_open = False
                    elif not chunk:
                        result_open = False
                        poller.unregister(result_r)
                    elif killed_for is None:
                        body += chunk
                        if len(body) > limits.max_output_bytes:
                            killed_for = "output_limit"
                            give_up = time.monotonic() + KILL_GRACE_S
                            _kill(pid)
            if result_open and killed_for is None:
                body += _drain(result_r, limits.max_output_bytes + 1 - len(body))
        finally:
            with self._state_lock:
                self._running.discard(pid)
        wait = json.loads(status_raw) if status_raw and not status_open else None
        if wait is None:
            _kill(pid)
        return _Ending(bytes(body), wait, killed_for)

    # The zygote

    def _start_zygote(self) -> None:
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        project_root = str(Path(__file__).resolve().parents[2])
        path = [project_root] + [entry for entry in sys.path if entry != project_root]
        command = [
            sys.executable,
            "-I",
            "-c",
            _BOOT,
            str(child_end.fileno()),
            json.dumps(list(PRELOAD)),
            WARM_UP_JOB,
            json.dumps(path),
        ]
        try:
            process = subprocess.Popen(
                command,
                pass_fds=[child_end.fileno()],
                env={},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            child_end.close()
        parent_end.settimeout(ZYGOTE_START_S)
        try:
            ready, _ = recv_message(parent_end)
        except (OSError, EOFError, ProtocolError, ValueError) as exc:
            parent_end.close()
            _stop_process(process)
            raise RunnerUnavailable(f"the sandbox zygote did not start: {exc}") from exc
        parent_end.settimeout(CONTROL_TIMEOUT_S)
        self._zygote, self._control, self._zygote_info = process, parent_end, ready
        if ready.get("failed"):
            logger.warning("sandbox zygote could not preload: %s", ready["failed"])

    def _stop_zygote(self) -> None:
        control, process = self._control, self._zygote
        self._control = self._zygote = None
        if control is not None:
            control.close()
        if process is not None:
            _stop_process(process)


def _sweep_abandoned_workdirs() -> None:
    # Folders of a web process that died with its zygote (both killed): named sandbox-<pid>-..., removed once
    # that pid is gone. The zygote removes a child's folder itself whenever it reaps the child.
    for folder in Path(tempfile.gettempdir()).glob("sandbox-*-*"):
        pid = folder.name.split("-")[1]
        if not pid.isdigit() or int(pid) == os.getpid() or Path(f"/proc/{pid}").exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _stop_process(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _kill(pid: int) -> None:
    # The child calls setsid() first thing, so its group id is its pid; until then it is
    # alone in the zygote's group, so the direct kill covers that instant.
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _drain(fd: int, limit: int) -> bytes:
    os.set_blocking(fd, False)
    chunks = bytearray()
    with contextlib.suppress(BlockingIOError):
        while len(chunks) < limit:
            chunk = os.read(fd, _READ_CHUNK)
            if not chunk:
                break
            chunks += chunk
    return bytes(chunks)


def _outcome(ending: _Ending, limits: Limits, started: float) -> Outcome:
    elapsed = _ms(started)
    if ending.killed_for == "timeout":
        return Outcome("timeout", messages.timeout(limits), None, elapsed, detail="wall clock")
    if ending.killed_for == "output_limit" or len(ending.body) > limits.max_output_bytes:
        return Outcome("output_limit", messages.output_limit(limits), None, elapsed)
    if ending.wait is None:
        return Outcome("crashed", messages.unavailable(), None, elapsed, detail="zygote did not report")
    wait_status = int(ending.wait["status"])
    cpu_s = float(ending.wait.get("cpu_s", 0.0))
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        detail = f"signal {signal.Signals(sig).name}, {cpu_s:.2f} s CPU"
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_s >= limits.cpu_hard_s - 0.1):
            return Outcome("cpu_limit", messages.cpu_limit(limits), None, elapsed, detail=detail)
        return Outcome("crashed", messages.crashed(), None, elapsed, detail=detail)
    code = os.WEXITSTATUS(wait_status)
    if code == zygote.EXIT_OK:
        try:
            envelope = json.loads(ending.body)
            report = envelope["result"]
        except (ValueError, KeyError, TypeError):
            return Outcome("crashed", messages.crashed(), None, elapsed, detail="unreadable result")
        confinement = envelope.get("confinement", {})
        detail = "confinement: " + ", ".join(confinement.get("applied", []))
        if confinement.get("skipped"):
            detail += "; skipped: " + "; ".join(f"{k} ({v})" for k, v in confinement["skipped"].items())
        return Outcome("ok", "Checked.", report, elapsed, detail=detail)
    if code == zygote.EXIT_MEMORY:
        return Outcome("memory_limit", messages.memory_limit(limits), None, elapsed)
    if code == zygote.EXIT_OUTPUT:
        return Outcome("output_limit", messages.output_limit(limits), None, elapsed)
    if code == zygote.EXIT_RECURSION:
        return Outcome("rejected", messages.too_complex(), None, elapsed, detail="RecursionError")
    reasons = {
        zygote.EXIT_CONFINEMENT: "the child could not confine itself",
        zygote.EXIT_NO_JOB: "the job could not be imported",
    }
    detail = reasons.get(code, f"exit code {code}")
    if code == zygote.EXIT_ERROR:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            detail = str(json.loads(ending.body)["error"]).strip()
    if code in reasons:
        logger.error("sandbox child failed: %s", detail)
    return Outcome("crashed", messages.crashed(), None, elapsed, detail=detail)


def _prescan_canary(limits: Limits) -> CanaryResult:
    try:
        from courseware.footguns.prescan import prescan
    except ImportError as exc:
        return CanaryResult("prescan", False, f"the pre-scan cannot be imported: {exc}")
    bomb = prescan("template.yaml", canaries.ALIAS_BOMB.encode(), limits.scan)
    deep = prescan("template.yaml", canaries.DEEP_NESTING.encode()[: limits.scan.max_file_bytes], limits.scan)
    missed = [name for name, verdict in (("alias bomb", bomb), ("deep nesting", deep)) if not verdict]
    if missed:
        return CanaryResult("prescan", False, f"the pre-scan let through: {', '.join(missed)}")
    return CanaryResult("prescan", True, "the pre-scan rejects the alias bomb and deep nesting")


def _usable_path(path: object) -> bool:
    if not isinstance(path, str) or not 0 < len(path) <= 200 or "\0" in path or "\\" in path:
        return False
    parts = PurePosixPath(path).parts
    return not path.startswith("/") and ".." not in parts and "." not in path.split("/")


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000
