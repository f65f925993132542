from __future__ import annotations

from pathlib import Path

from courseware.footguns.docs import rules_markdown
from courseware.footguns.registry import all_rules

RULES = all_rules()


RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rules_doc_is_generated_from_rule_metadata():
    assert RULES_DOC.read_text() == rules_markdown(), (
        "docs/rules.md is stale: run `python -m courseware.footguns --rules-table > docs/rules.md`"
    )


def test_every_rule_is_in_the_table():
    table = rules_markdown()
    for rule in RULES:
        assert f"`{rule.id}`" in table
