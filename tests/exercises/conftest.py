from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from courseware.sandbox import Limits, Outcome


@dataclass
class FakeRunner:
    """Stands in for the sandbox where a test is about the web side, not the confinement."""

    status: str = "ok"
    message: str = "Checked."
    retry_after_s: int | None = None
    calls: list[dict] = field(default_factory=list)
    on_check: object = None
    limits: Limits = field(default_factory=Limits)
    simulate_status: str = "ok"

    def check(self, files, *, learner_key, accept=(), topic=None):
        from courseware.footguns.engine import check_files

        self.calls.append({"files": dict(files), "learner_key": learner_key, "accept": list(accept)})
        if callable(self.on_check):
            self.on_check(files)
        report = check_files(files, requirements=accept, topic=topic).to_dict() if self.status == "ok" else None
        return Outcome(self.status, self.message, report, 1.0, self.retry_after_s)

    def simulate(self, files, *, learner_key, topic, name, scenario):
        from courseware.footguns.simulation import read_scenario, simulate_models

        self.calls.append({"files": dict(files), "learner_key": learner_key, "simulate": name})
        if self.simulate_status != "ok":
            return Outcome(self.simulate_status, "Failed.", None, 1.0)
        parsed = read_scenario(scenario, topic=topic, name=name, source=name)[0]
        return Outcome("ok", "Checked.", simulate_models(files, parsed).compact().to_dict(), 1.0)


@pytest.fixture
def fake_runner(monkeypatch):
    runner = FakeRunner()
    monkeypatch.setattr("courseware.exercises.checker.checker", lambda: runner)
    return runner


@pytest.fixture
def demo(fixture_content):
    from courseware.exercises.content import exercise_of
    from courseware.topics.library import get_library

    topic = get_library().topic("demo-topic")
    return topic, exercise_of(topic, "set-a-timeout")


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
