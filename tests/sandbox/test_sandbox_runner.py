"""Admission, input caps, the self-test gate and the life cycle of courseware.sandbox.runner."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import replace

import pytest

import courseware.sandbox as sandbox
from courseware.sandbox import Limits, Runner, RunnerUnavailable, get_runner

FAST = Limits(cpu_s=1, cpu_hard_s=2, wall_s=2.5, pool_size=2, queue_wait_s=0.0)

SAM_WITHOUT_TIMEOUT = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: 1024
"""


def test_a_clean_check_returns_the_engine_report(runner):
    outcome = runner.check({"template.yaml": SAM_WITHOUT_TIMEOUT}, learner_key="lena")
    assert outcome.status == "ok", outcome.detail
    assert outcome.counts_as_attempt
    assert outcome.report["version"] == 1
    found = {(f["rule"], f["line"]) for f in outcome.report["files"][0]["findings"]}
    assert ("aws-lambda/default-timeout", 4) in found
    assert outcome.message.startswith("Checked:")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, "nothing to check"),
        ({f"f{i}.yaml": "a: 1" for i in range(21)}, "at most 20"),
        ({"template.yaml": "a" * (256 * 1024 + 1)}, "per file"),
        ({f"f{i}.yaml": "#" * (200 * 1024) for i in range(6)}, "in total"),
        ({"../etc/passwd": "a: 1"}, "not a usable file name"),
        ({"/etc/passwd": "a: 1"}, "not a usable file name"),
        ({"template.yaml": "\ud800"}, "not valid UTF-8"),
        ({"template.yaml": 42}, "not valid UTF-8"),
    ],
)
def test_bad_input_is_rejected_before_any_child(runner, files, expected):
    outcome = runner.check(files, learner_key="caps")
    assert outcome.status == "rejected"
    assert expected in outcome.message
    assert outcome.duration_ms < 500  # no child was started: about 1 ms


def test_busy_when_pool_is_full(make_checks_sleep):
    with Runner(replace(FAST, pool_size=1, wall_s=1.5)) as runner:
        make_checks_sleep()
        first = _in_background(runner, "ada")
        _wait_until_running(runner)
        outcome = runner.check({"template.yaml": "a: 1"}, learner_key="grace")
        assert outcome.status == "busy"
        assert outcome.retry_after_s >= 1
        assert not outcome.counts_as_attempt
        first.join()
        assert first.outcome.status == "timeout"
    assert runner.check({"template.yaml": "a: 1"}, learner_key="grace").status == "crashed"


def test_one_check_per_learner(runner, make_checks_sleep):
    make_checks_sleep()
    first = _in_background(runner, "ada")
    _wait_until_running(runner)
    same = runner.check({"template.yaml": "a: 1"}, learner_key="ada")
    assert same.status == "busy"
    assert "previous check" in same.message
    assert 1 <= same.retry_after_s <= math.ceil(runner.limits.queue_wait_s + runner.limits.wall_s)
    other = runner.check({"template.yaml": "a: 1"}, learner_key="grace")
    assert other.status == "timeout"  # another learner still gets the second slot
    first.join()


def test_a_slot_frees_up_within_the_queue_wait(make_checks_sleep):
    limits = replace(FAST, pool_size=1, wall_s=0.5, queue_wait_s=3.0)
    with Runner(limits) as runner:
        make_checks_sleep()
        first = _in_background(runner, "ada")
        _wait_until_running(runner)
        assert runner.check({"template.yaml": "a: 1"}, learner_key="grace").status == "timeout"
        first.join()


def test_concurrent_checks_each_end_in_a_result(runner):
    statuses: list[str] = []

    def learner(name: str) -> None:
        for _ in range(5):
            statuses.append(runner.check({"template.yaml": SAM_WITHOUT_TIMEOUT}, learner_key=name).status)

    threads = [threading.Thread(target=learner, args=(f"learner-{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 30
    assert set(statuses) <= {"ok", "busy"}
    assert "ok" in statuses
    assert not runner._running


def test_start_refuses_when_a_canary_escapes():
    # Above the canary's 1 GiB allocation the memory limit no longer contains it.
    limits = Limits(cpu_s=1, cpu_hard_s=2, wall_s=2.5, memory_bytes=2 * 2**30)
    runner = Runner(limits)
    with pytest.raises(RunnerUnavailable) as refused:
        runner.start()
    assert refused.value.escaped == ("large_allocation",)
    assert "large_allocation" in str(refused.value)
    assert runner.zygote_pid is None


def test_allow_unsafe_serves_anyway_and_says_what_escaped():
    limits = Limits(cpu_s=1, cpu_hard_s=2, wall_s=2.5, memory_bytes=2 * 2**30)
    with Runner(limits, allow_unsafe=True) as runner:
        report = runner.last_self_test
        assert not report.contained
        assert report.escaped == ("large_allocation",)
        assert runner.check({"template.yaml": SAM_WITHOUT_TIMEOUT}, learner_key="x").status == "ok"


def test_self_test_contains_every_canary(runner):
    report = runner.self_test()
    names = [canary.name for canary in report.canaries]
    assert names == [
        "prescan",
        "alias_bomb",
        "deep_nesting",
        "large_allocation",
        "fork",
        "file_write",
        "network",
        "environment",
        "secrets",
        "inherited_fds",
        "signal_others",
        "engine",
    ]
    assert report.contained, [c for c in report.canaries if not c.contained]
    assert report.engine.startswith("engine warm")


def test_check_before_start_is_unavailable_not_an_error():
    outcome = Runner(FAST).check({"template.yaml": "a: 1"}, learner_key="x")
    assert outcome.status == "crashed"
    assert not outcome.counts_as_attempt


def test_get_runner_is_one_runner_configured_from_the_environment(monkeypatch):
    monkeypatch.setenv("SANDBOX_POOL_SIZE", "1")
    monkeypatch.setenv("SANDBOX_WALL_S", "2.5")
    monkeypatch.setattr(sandbox, "_runner", None)
    monkeypatch.setattr(sandbox, "_failure", None)
    try:
        first = get_runner()
        assert get_runner() is first
        assert first.limits.pool_size == 1
        assert first.limits.wall_s == 2.5
        assert first.allow_unsafe is False
    finally:
        if sandbox._runner is not None:
            sandbox._runner.close()


def test_get_runner_does_not_retry_a_failed_start_on_every_request(monkeypatch):
    unsafe = Limits(cpu_s=1, cpu_hard_s=2, wall_s=2.5, memory_bytes=2 * 2**30)
    monkeypatch.setattr(sandbox, "limits_from_environment", lambda: unsafe)
    monkeypatch.setattr(sandbox, "_runner", None)
    monkeypatch.setattr(sandbox, "_failure", None)
    with pytest.raises(RunnerUnavailable) as first:
        get_runner()
    started = time.monotonic()
    with pytest.raises(RunnerUnavailable) as second:
        get_runner()
    assert second.value is first.value
    assert time.monotonic() - started < 0.1
    assert first.value.escaped == ("large_allocation",)


def test_limits_keep_cpu_soft_below_hard():
    with pytest.raises(ValueError, match="below cpu_hard_s"):
        Limits(cpu_s=3, cpu_hard_s=3)
    assert Limits().pool_size >= 1


class _Background(threading.Thread):
    def __init__(self, runner: Runner, learner: str) -> None:
        super().__init__()
        self.runner, self.learner, self.outcome = runner, learner, None

    def run(self) -> None:
        self.outcome = self.runner.check({"template.yaml": "a: 1"}, learner_key=self.learner)


def _in_background(runner: Runner, learner: str) -> _Background:
    thread = _Background(runner, learner)
    thread.start()
    return thread


def _wait_until_running(runner: Runner) -> None:
    deadline = time.monotonic() + 5
    while not runner._running and time.monotonic() < deadline:
        time.sleep(0.005)
    assert runner._running


DYING_WEB_PROCESS = """
import sys
from courseware.sandbox import Limits, Runner
runner = Runner(Limits(cpu_s=1, cpu_hard_s=2, wall_s=60.0))
runner.start()
print(runner.zygote_pid, flush=True)
runner.run_canary("sleep")
"""


def test_a_check_whose_web_process_dies_leaves_no_folder_and_no_child(tmp_path):
    import glob
    import os
    import signal
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    web = subprocess.Popen([sys.executable, "-c", DYING_WEB_PROCESS], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        zygote = int(web.stdout.readline())
        pattern = os.path.join(tempfile.gettempdir(), f"sandbox-{web.pid}-*")
        deadline = time.monotonic() + 20
        while not glob.glob(pattern) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert glob.glob(pattern), "the check never started"
        time.sleep(0.3)
        os.kill(web.pid, signal.SIGKILL)  # a worker killed mid-check
        web.wait(timeout=10)
        deadline = time.monotonic() + 10
        while (glob.glob(pattern) or os.path.exists(f"/proc/{zygote}")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert glob.glob(pattern) == []  # the zygote removed the child's folder when it reaped it
        assert not os.path.exists(f"/proc/{zygote}")  # and then left: nothing is left running
    finally:
        if web.poll() is None:
            web.kill()
            web.wait()
        web.stdout.close()


SCENARIO = """\
title: A few partner files
start: "00:00"
duration: 1h
step: 10s
functions:
  Importer:
    work: {median: 100s, p99: 120s}
    traffic:
      - {at: "00:10", burst: 2}
"""
IMPORTER = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Importer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Events:
        Drop:
          Type: S3
          Properties:
            Bucket: drops
            Events: s3:ObjectCreated:*
"""


def test_learner_files_are_simulated_in_a_confined_child(runner):
    outcome = runner.simulate(
        {"template.yaml": IMPORTER}, learner_key="sim", topic="aws-lambda", name="few", scenario=SCENARIO
    )
    assert outcome.status == "ok", outcome.detail
    assert "confinement" in outcome.detail
    counters = {c["key"]: c["value"] for c in outcome.report["counters"]}
    assert counters["function_timeout"] == 6  # two files, three attempts each, killed at the default 3 s


def test_a_bomb_sent_to_the_simulator_is_rejected_before_any_child(runner):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
    )
    outcome = runner.simulate(
        {"template.yaml": bomb}, learner_key="sim", topic="aws-lambda", name="few", scenario=SCENARIO
    )
    assert outcome.status == "rejected"
    assert outcome.duration_ms < 500


def test_a_broken_scenario_is_a_crash_never_an_exception(runner):
    outcome = runner.simulate(
        {"template.yaml": IMPORTER}, learner_key="sim", topic="aws-lambda", name="few", scenario="title: [\n"
    )
    assert outcome.status == "crashed"
