"""The confined child gives the same answer as the engine in process, for every rule fixture.

Everything a job uses must be imported by the zygote before the fork (the child has an
empty root and cannot import), so this walks every parser and rule through the sandbox.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from courseware.footguns.engine import check_files
from courseware.footguns.limits import ScanLimits
from courseware.sandbox.jobs import cap_report

FIXTURES = sorted(
    path
    for path in (Path(__file__).parents[1] / "footguns" / "fixtures").rglob("*")
    if path.is_file() and path.suffix in {".yaml", ".yml", ".json", ".tf", ".py"}
)


@pytest.mark.skipif(not FIXTURES, reason="no engine fixtures")
def test_every_fixture_gets_the_in_process_report(runner):
    scan = ScanLimits(**asdict(runner.limits.scan))
    mismatched = []
    for path in FIXTURES:
        files = {path.name: path.read_text()}
        outcome = runner.check(files, learner_key="parity")
        expected = cap_report(check_files(files, limits=scan).to_dict(), max_findings=runner.limits.max_findings)
        if outcome.status != "ok" or outcome.report != expected:
            mismatched.append((path.name, outcome.status, outcome.detail))
    assert not mismatched
    assert len(FIXTURES) > 50
