from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from courseware.footguns.registry import all_rules
from courseware.footguns.rule import FORMAT_EXTENSIONS
from tests.footguns.fixtures_support import all_fixtures

RULES = all_rules()

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "docs" / "contracts.md"
SEVERITIES = {"info", "warning", "error"}


def _footgun_slugs(topic: str) -> set[str]:
    catalogue = ROOT / "content" / topic / "footguns.yaml"
    if catalogue.exists():
        data = yaml.safe_load(catalogue.read_text())
        return {entry["slug"] for entry in data["footguns"]}
    # Until the catalogue exists, the contract table is the source of truth.
    section = CONTRACTS.read_text().split("## Footguns of the AWS Lambda course", 1)[1]
    section = section.split("\n## ", 1)[0]
    return set(re.findall(r"^\| ([a-z0-9-]+) \|", section, re.M)) - {"slug"}


def _contract_rules() -> dict[str, str]:
    section = CONTRACTS.read_text().split("## Rules of the footgun engine", 1)[1]
    section = section.split("\n## ", 1)[0]
    return dict(re.findall(r"^\| ([a-z0-9-]+/[a-z0-9-]+) \| ([a-z0-9-]+) \|", section, re.M))


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_pass_and_fail_fixtures_in_every_format(rule):
    have = {(f.kind, f.ext) for f in all_fixtures() if f.rule_id == rule.id}
    missing = [
        f"{kind}.{FORMAT_EXTENSIONS[fmt]}"
        for fmt in rule.formats
        for kind in ("pass", "fail")
        if (kind, FORMAT_EXTENSIONS[fmt]) not in have
    ]
    assert not missing, f"{rule.id} lacks fixtures: {missing}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_footgun_exists_in_content(rule):
    assert rule.footgun_slug in _footgun_slugs(rule.topic)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_metadata_is_complete(rule):
    assert rule.severity in SEVERITIES
    assert rule.summary and rule.summary.endswith(".")
    assert rule.formats and set(rule.formats) <= set(FORMAT_EXTENSIONS)
    assert "/" in rule.id and rule.topic == rule.footgun.split("/", 1)[0]


def test_rules_match_the_contract_table():
    contract = _contract_rules()
    assert {r.id: r.footgun_slug for r in RULES} == contract


def test_every_fixture_belongs_to_a_rule_and_a_supported_format():
    for fixture in all_fixtures():
        rule = next((r for r in RULES if r.id == fixture.rule_id), None)
        assert rule is not None, fixture.path.name
        supported = {FORMAT_EXTENSIONS[f] for f in rule.formats}
        assert fixture.ext in supported, f"{fixture.path.name}: {rule.id} does not support .{fixture.ext}"
