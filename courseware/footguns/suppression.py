"""Inline suppressions: `footgun:ignore <rule-id> reason: <why>` in a comment.

A directive applies to findings on its own line, or, when the comment stands alone on
its line, to findings on the next line. A directive without a reason suppresses nothing
and is itself reported, so every accepted risk carries its explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIRECTIVE = re.compile(
    r"(?:#|//)[^\n]{0,200}?footgun:ignore[ \t]+([a-z0-9-]{1,60}(?:/[a-z0-9-]{1,60})?)"
    r"(?:[ \t]+reason:[ \t]*([^\n]{0,500}))?"
)


@dataclass(frozen=True)
class Directive:
    """A `footgun:ignore <rule> -- <reason>` comment and the line it covers."""

    line: int
    rule: str
    reason: str
    standalone: bool

    def covers(self, rule_id: str, line: int | None) -> bool:
        if self.rule not in (rule_id, rule_id.split("/", 1)[-1]):
            return False
        return line == self.line or (self.standalone and line == self.line + 1)


def directives(text: str) -> list[Directive]:
    found = []
    if "footgun:ignore" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "footgun:ignore" not in line:
            continue
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        standalone = line.lstrip().startswith(("#", "//"))
        reason = (match.group(2) or "").strip()
        found.append(Directive(number, match.group(1), reason, standalone))
    return found
