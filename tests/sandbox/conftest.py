from __future__ import annotations

import os

import pytest

from courseware.sandbox import Limits, Runner

# Short limits keep the hostile cases quick; the mechanisms are the same as in production.
FAST = Limits(cpu_s=1, cpu_hard_s=2, wall_s=2.5, pool_size=2, queue_wait_s=0.0)


@pytest.fixture(scope="session")
def runner():
    os.environ["SANDBOX_TEST_SECRET"] = "do-not-leak"
    sandbox = Runner(FAST)
    try:
        sandbox.start()
        yield sandbox
    finally:
        sandbox.close()
        del os.environ["SANDBOX_TEST_SECRET"]


@pytest.fixture
def make_checks_sleep(monkeypatch):
    """After start-up, make check() run a child that sleeps until the wall-clock deadline."""

    def patch() -> None:
        monkeypatch.setattr("courseware.sandbox.runner.CHECK_JOB", "courseware.sandbox.canaries:sleep")

    return patch
