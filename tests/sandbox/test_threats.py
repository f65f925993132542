"""The threat list: each test names something hostile input must not be able to do."""

from __future__ import annotations

import os
import re
import signal
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from courseware.sandbox import Limits
from courseware.sandbox.canaries import ALIAS_BOMB

NOBODY = 65534
# CPU time does not depend on load, wall time does: a roomy deadline lets the CPU limit show.
ROOMY = Limits(cpu_s=1, cpu_hard_s=2, wall_s=10.0)


def _contained(outcome):
    assert outcome.status == "ok", (outcome.status, outcome.detail)
    assert outcome.report["escaped"] is False, outcome.report["detail"]
    return outcome.report["detail"]


def test_cannot_write_files(runner):
    assert _contained(runner.run_canary("file_write")) == "every write was refused"


def test_cannot_fork(runner):
    assert _contained(runner.run_canary("fork")).startswith("refused: fork (")


def test_cannot_reach_the_network(runner):
    import socket

    # A service on the host's loopback is the realistic target (a database, the app itself).
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        detail = _contained(runner.run_canary("network", local_port=port))
    assert "no connection" in detail


def test_child_sees_no_environment(runner):
    assert os.environ["SANDBOX_TEST_SECRET"]  # set in the parent before the runner started
    assert _contained(runner.run_canary("environment")) == "environment is empty"


def test_cannot_read_parent_secrets(runner, tmp_path):
    # /etc/shadow, the environments of pid 1 and of the zygote, and a world-readable file
    # standing for the SQLite database or the code.
    tmp_path.chmod(0o755)
    database = tmp_path / "courseware.sqlite3"
    database.write_text("password hashes")
    database.chmod(0o644)
    assert "all unreadable" in _contained(runner.run_canary("secrets", paths=[str(database)]))


def test_inherits_no_open_files(runner):
    _contained(runner.run_canary("inherited_fds"))


def test_runs_as_nobody_in_an_empty_root(runner):
    outcome = runner.run_canary("ping")
    assert outcome.report["uid"] == NOBODY
    assert outcome.report["cwd"] == "/"  # the empty directory is the child's whole filesystem
    assert not _work_dirs()  # and it is removed after
    for layer in ("netns", "pidns", "readonly-fs", "empty-root", "uid:nobody", "rlimits", "environ:empty"):
        assert layer in outcome.detail


def test_alias_bomb_is_rejected_fast(runner):
    outcome = runner.check({"template.yaml": ALIAS_BOMB}, learner_key="bomb")
    assert outcome.status == "rejected"
    assert outcome.duration_ms < 500  # about 1 ms; generous for a loaded 2-core machine
    assert outcome.counts_as_attempt


def test_unscanned_alias_bomb_hits_the_cpu_limit(runner):
    outcome = runner.run_canary("alias_bomb", limits=ROOMY)
    assert outcome.status == "cpu_limit"
    assert "SIGXCPU" in outcome.detail


def test_deep_nesting_does_not_crash_the_server(runner):
    zygote = runner.zygote_pid
    deep = "[" * 200_000 + "]" * 50_000
    outcome = runner.check({"template.yaml": deep}, learner_key="deep")
    assert outcome.status == "rejected"
    assert "nested" in outcome.message
    # Without the pre-scan the parser itself must be contained too.
    raw = runner.run_canary("deep_nesting", limits=ROOMY)
    assert raw.status in {"ok", "crashed", "cpu_limit", "memory_limit"}
    assert runner.run_canary("ping").status == "ok"
    assert runner.zygote_pid == zygote


def test_calling_process_survives_a_segfaulting_child(runner):
    zygote = runner.zygote_pid
    outcome = runner.run_canary("segfault")
    assert outcome.status == "crashed"
    assert "SIGSEGV" in outcome.detail
    assert not outcome.counts_as_attempt
    assert runner.run_canary("ping").status == "ok"
    assert runner.zygote_pid == zygote


def test_infinite_parse_is_killed_at_the_cpu_limit(runner):
    outcome = runner.run_canary("spin", limits=ROOMY)
    assert outcome.status == "cpu_limit"
    cpu_s = float(re.search(r"([\d.]+) s CPU", outcome.detail).group(1))
    assert 0.8 <= cpu_s < ROOMY.cpu_hard_s
    assert not outcome.counts_as_attempt


def test_infinite_parse_is_killed_at_the_deadline(runner):
    # Blocked rather than computing: only the wall clock can end it.
    outcome = runner.run_canary("sleep")
    assert outcome.status == "timeout"
    wall_ms = runner.limits.wall_s * 1000
    assert wall_ms <= outcome.duration_ms < wall_ms + 1500
    assert "seconds" in outcome.message
    assert not outcome.counts_as_attempt


def test_memory_bomb_is_contained(runner):
    outcome = runner.run_canary("memory_bomb")
    assert outcome.status == "memory_limit"
    assert "MiB" in outcome.message
    assert runner.run_canary("large_allocation").report["escaped"] is False


def test_output_flood_is_capped(runner):
    # Raw bytes straight into the result pipe: the parent stops reading and kills.
    flood = runner.run_canary("flood")
    assert flood.status == "output_limit"
    assert flood.duration_ms < 2000
    # A result the child itself finds too large never leaves it.
    assert runner.run_canary("big_result").status == "output_limit"


def test_findings_are_capped(runner, monkeypatch):
    functions = "".join(
        f"  Fn{i}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: app.handler\n"
        for i in range(100)
    )
    template = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + functions
    monkeypatch.setattr(runner, "limits", replace(runner.limits, max_findings=30))
    outcome = runner.check({"template.yaml": template}, learner_key="flood")
    assert outcome.status == "ok"
    assert outcome.report["truncated"] is True
    assert outcome.report["findings_total"] > 30
    assert sum(len(f["findings"]) for f in outcome.report["files"]) == 30
    assert "the first 30 are shown" in outcome.message


def test_no_process_left_behind(runner, monkeypatch):
    spawned: list[int] = []
    spawn = runner._spawn

    def recording_spawn(*args):
        spawned.append(spawn(*args))
        return spawned[-1]

    monkeypatch.setattr(runner, "_spawn", recording_spawn)
    for name in ("sleep", "spin", "fork", "segfault", "flood"):
        runner.run_canary(name, limits=Limits(cpu_s=1, cpu_hard_s=2, wall_s=1.0))
    assert len(spawned) == 5
    assert _children_of(runner.zygote_pid) == []
    # Each child leads its own session; anything it started would still carry that id.
    assert not [pid for pid, session in _sessions().items() if session in spawned]
    assert not _work_dirs()


def test_kill_reaches_the_whole_process_group(runner):
    outcome = runner.run_canary("sleep", limits=Limits(cpu_s=1, cpu_hard_s=2, wall_s=0.5))
    assert outcome.status == "timeout"
    assert _children_of(runner.zygote_pid) == []


def test_a_lost_zygote_is_replaced(runner):
    old = runner.zygote_pid
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and runner._zygote.poll() is None:
        time.sleep(0.01)
    outcome = runner.run_canary("ping")
    assert outcome.status == "ok"
    assert runner.zygote_pid not in {None, old}


@pytest.mark.parametrize("text", ["x = 1\n" * 10, "def handler(e, c):\n    return 1\n"])
def test_python_handlers_are_parsed_not_run(runner, text):
    outcome = runner.check({"src/app.py": text + "import os; os._exit(9)\n"}, learner_key="py")
    assert outcome.status == "ok", outcome.detail


def _work_dirs() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"sandbox-{os.getpid()}-*"))


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may contain spaces or parentheses: the parent pid follows the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _sessions() -> dict[int, int]:
    sessions = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            sessions[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[3])
    return sessions


def _gone_within(pid: int, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in {"Z", "X"}:
            return True
        time.sleep(0.01)
    return False


# reference/security.md §6: each hostile input gets an answer the learner can act on, quickly.
HOSTILE_CORPUS = {
    "quadratic-alias": {
        "template.yaml": "big: &b [" + ",".join(["1"] * 10_000) + "]\nrefs: [" + ",".join(["*b"] * 1000) + "]\n"
    },
    "deep-block-yaml": {"template.yaml": "".join("  " * i + f"k{i}:\n" for i in range(300))},
    "deep-json": {"template.json": "[" * 5000 + "]" * 5000},
    "huge-decimal": {"template.yaml": "Timeout: " + "9" * 5000 + "\n"},
    "huge-hex": {"template.yaml": "x: 0x" + "f" * 200_000 + "\n"},
    "python-tag": {"template.yaml": "a: !Ref {a: b}\nd: !!python/object/apply:os.system [id]\n"},
    "multi-document": {"template.yaml": "a: 1\n---\nb: 2\n"},
    "python-unary-chain": {"src/app.py": "x = " + "-" * 20_000 + "1\n"},
    "python-binary-chain": {"src/app.py": "x=1" + "+1" * 20_000 + "\n"},
    "python-parens": {"src/app.py": "x = " + "(" * 201 + "1" + ")" * 201 + "\n"},
    "python-nul": {"src/app.py": "x = 1\0\n"},
    "hcl-unclosed-string": {"main.tf": 'a = "0123456789abcdef\n'},
    "hcl-open-heredoc": {"main.tf": "x = <<EOT\n" + "a" * 100_000},
    "hcl-regex-in-string": {"main.tf": 'b = "${replace(a, "/[.]$/", "")}"\n'},
    "hcl-deep-tuple": {"main.tf": "a = " + "[" * 5000 + "1" + "]" * 5000 + "\n"},
    "json-surrogate-nan": {"template.json": '{"a": "\\ud800", "b": NaN}'},
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CORPUS))
def test_hostile_corpus_gets_a_defined_outcome(runner, name):
    zygote = runner.zygote_pid
    outcome = runner.check(HOSTILE_CORPUS[name], learner_key=name)
    assert outcome.status in {"ok", "rejected"}, (outcome.status, outcome.detail)
    assert outcome.duration_ms < 2000
    if outcome.status == "ok":
        assert all(result["status"] in {"ok", "parse_error", "rejected"} for result in outcome.report["files"])
    assert runner.zygote_pid == zygote


def test_cannot_signal_other_checks(runner):
    """A child (standing in for a parser exploit) tries to SIGKILL a concurrent learner's check."""
    import threading

    sibling: dict = {}
    thread = threading.Thread(target=lambda: sibling.update(outcome=runner.run_canary("sleep")))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not runner._running and time.monotonic() < deadline:
            time.sleep(0.01)
        (sibling_pid,) = tuple(runner._running)
        targets = [sibling_pid, runner.zygote_pid, os.getpid()]
        detail = _contained(runner.run_canary("signal_others", pids=targets, kill=True))
        assert detail.startswith("no other process is visible")
    finally:
        thread.join()
    # The sibling was not killed: it slept on until its own wall-clock deadline.
    assert sibling["outcome"].status == "timeout", sibling["outcome"]


def test_each_check_runs_alone_in_its_own_pid_namespace(runner):
    outcome = runner.run_canary("ping")
    assert "pidns" in outcome.detail
    assert "no other process is visible (own pid 2)" == _contained(runner.run_canary("signal_others"))


def test_the_signal_canary_sees_processes_when_unconfined():
    from courseware.sandbox import canaries

    report = canaries.signal_others({"pids": [os.getpid()]})
    assert report["escaped"] is True and str(os.getpid()) in report["detail"]
