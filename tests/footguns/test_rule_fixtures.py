from __future__ import annotations

import datetime

import pytest

from courseware.footguns.engine import check_files
from tests.footguns.fixtures_support import all_fixtures

TODAY = datetime.date(2026, 11, 27)
FIXTURES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_fixture_findings_match_markers(fixture):
    assert fixture.rule_id, f"{fixture.path.name} does not start with a rule name"
    report = check_files({fixture.path.name: fixture.path.read_bytes()}, today=TODAY)
    (result,) = report.files
    assert result.status == "ok", result.error
    expected = fixture.expected()
    if fixture.kind == "fail":
        assert any(rule == fixture.rule_id for rule, _ in expected), "a fail fixture needs a marker"
    else:
        assert not expected, "a pass fixture carries no markers"
    considered = {fixture.rule_id} | {rule for rule, _ in expected}
    assert "rule-error" not in {f.rule for f in result.findings}
    found = {(f.rule, f.line) for f in result.findings if f.rule in considered}
    assert found == expected
