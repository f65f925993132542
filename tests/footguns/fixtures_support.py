"""Reading rule fixtures: `<rule-name>[-variant].<pass|fail>.<ext>` with `# expect:` markers.

JSON cannot carry comments, so a JSON fail fixture lists its expectations in a sidecar
`<name>.fail.json.expect`, one `<rule-name> <line>` pair per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from courseware.footguns.registry import all_rules

FIXTURES = Path(__file__).parent / "fixtures"
EXTENSIONS = ("yaml", "json", "tf", "yml", "py")
_NAME = re.compile(r"^(?P<stem>[a-z0-9-]+)\.(?P<kind>pass|fail)\.(?P<ext>yaml|json|tf|yml|py)$")
_MARK = re.compile(r"#\s*expect:\s*([a-z0-9, -]+?)\s*$")


@dataclass(frozen=True)
class Fixture:
    path: Path
    topic: str
    rule_id: str
    kind: str
    ext: str

    @property
    def id(self) -> str:
        return f"{self.topic}/{self.path.name}"

    def expected(self) -> set[tuple[str, int]]:
        marks: set[tuple[str, int]] = set()
        if self.ext == "json":
            sidecar = self.path.with_name(self.path.name + ".expect")
            if sidecar.exists():
                for row in sidecar.read_text().splitlines():
                    if row.strip() and not row.startswith("#"):
                        name, line = row.split()
                        marks.add((f"{self.topic}/{name}", int(line)))
            return marks
        for number, line in enumerate(self.path.read_text().splitlines(), start=1):
            match = _MARK.search(line)
            if match:
                for name in match.group(1).split(","):
                    marks.add((f"{self.topic}/{name.strip()}", number))
        return marks


def _rule_for(topic: str, stem: str) -> str | None:
    names = [r.name for r in all_rules() if r.topic == topic]
    matches = [n for n in names if stem == n or stem.startswith(n + "-")]
    return f"{topic}/{max(matches, key=len)}" if matches else None


def all_fixtures() -> list[Fixture]:
    found = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            match = _NAME.match(path.name)
            if match is None:
                continue
            rule_id = _rule_for(folder.name, match["stem"])
            found.append(Fixture(path, folder.name, rule_id or "", match["kind"], match["ext"]))
    return found
