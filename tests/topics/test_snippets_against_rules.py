"""Catalogue snippets and the rules of their footgun agree: a right snippet never fires its footgun's rules,
and (Kubernetes, where every snippet is a whole manifest) a wrong snippet fires at least one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from courseware.footguns.engine import check_files
from courseware.footguns.registry import BY_NAME, all_rules

CONTENT = Path(__file__).resolve().parents[2] / "content"
FILE_NAMES = {"terraform": "main.tf", "python": "app.py", "serverless": "serverless.yml", "cloudformation": "t.json"}


def _cases():
    for catalogue in sorted(CONTENT.glob("*/footguns.yaml")):
        topic = catalogue.parent.name
        for footgun in yaml.safe_load(catalogue.read_text())["footguns"]:
            rules = {r.id for r in all_rules() if r.footgun == f"{topic}/{footgun['slug']}"}
            for index, snippet in enumerate(footgun["snippets"]):
                if rules and snippet["format"] in BY_NAME:
                    yield pytest.param(topic, snippet, rules, id=f"{topic}/{footgun['slug']}/{index}-{snippet['kind']}")


@pytest.mark.parametrize(("topic", "snippet", "rules"), list(_cases()))
def test_snippet_agrees_with_its_footguns_rules(topic, snippet, rules):
    name = FILE_NAMES.get(snippet["format"], "manifest.yaml" if topic == "kubernetes" else "template.yaml")
    report = check_files({name: snippet["code"]})
    (result,) = report.files
    assert result.status == "ok" and result.format == snippet["format"], result.error
    fired = {finding.rule for finding in report.findings} & rules
    if snippet["kind"] == "right":
        assert not fired, f"a right snippet fires {fired}"
    elif topic == "kubernetes":
        assert fired, f"a wrong snippet fires none of {sorted(rules)}"
