from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.checks import Error, Warning, run_checks

from courseware.exercises import checker
from courseware.sandbox import CanaryResult, RunnerUnavailable, SelfTestReport


def sandbox_messages():
    return run_checks(tags=["sandbox"])


def escaped_report() -> SelfTestReport:
    return SelfTestReport((CanaryResult("network", False, "connected"), CanaryResult("fork", True, "")), 1.0, "warm")


def test_a_contained_sandbox_passes_the_check():
    # The real runner: started once per process (per test session), so this costs the self-test once.
    assert sandbox_messages() == []


def test_an_escaped_canary_is_a_warning(monkeypatch):
    def refuse():
        raise RunnerUnavailable("the sandbox does not contain: network", ("network",))

    monkeypatch.setattr("courseware.exercises.checks.get_runner", refuse)
    [message] = sandbox_messages()
    assert isinstance(message, Warning) and message.id == "sandbox.W001"
    assert "network" in message.msg


@pytest.mark.parametrize(("debug", "kind", "code"), [(False, Error, "sandbox.E001"), (True, Warning, "sandbox.W002")])
def test_a_runner_that_cannot_start_is_an_error_in_production(monkeypatch, settings, debug, kind, code):
    settings.DEBUG = debug

    def broken():
        raise RunnerUnavailable("zygote did not start")

    monkeypatch.setattr("courseware.exercises.checks.get_runner", broken)
    [message] = sandbox_messages()
    assert type(message) is kind and message.id == code


def test_allow_unsafe_without_debug_is_an_error(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setenv("SANDBOX_ALLOW_UNSAFE", "1")
    monkeypatch.setattr(
        "courseware.exercises.checks.get_runner", lambda: SimpleNamespace(last_self_test=escaped_report())
    )
    ids = sorted(m.id for m in sandbox_messages())
    assert ids == ["sandbox.E002", "sandbox.W001"]


def test_an_unconfined_runner_is_refused_outside_debug(monkeypatch, settings):
    monkeypatch.setattr(
        "courseware.exercises.checker.get_runner", lambda: SimpleNamespace(last_self_test=escaped_report())
    )
    settings.DEBUG = False
    with pytest.raises(RunnerUnavailable):
        checker.checker()
    settings.DEBUG = True
    assert checker.checker().last_self_test.escaped == ("network",)


def test_a_runner_that_will_not_start_fails_fast_for_a_while(monkeypatch, settings):
    attempts = []

    def broken():
        attempts.append(1)
        raise OSError("no zygote")

    monkeypatch.setattr("courseware.exercises.checker.get_runner", broken)
    monkeypatch.setattr("courseware.exercises.checker._failed", None)
    for _ in range(3):
        with pytest.raises(RunnerUnavailable):
            checker.checker()
    assert len(attempts) == 1
    monkeypatch.setattr("courseware.exercises.checker._failed", None)
