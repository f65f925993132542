"""The verdict on one check: pure, no database, no Django (docs/authoring.md "Exercises").

A check passes when every file parses, no target fires and no rule fires that did not fire on the
starter. Suppressed findings still count as firing: a suppression comment never makes a target pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PARSE_ERROR_RULE = "parse-error"


@dataclass(frozen=True)
class ParseError:
    path: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Verdict:
    passed: bool
    fixed: tuple[str, ...]
    remaining: tuple[str, ...]
    regressions: tuple[str, ...]
    parse_errors: tuple[ParseError, ...]
    # Functions a target fired on in the starter that are gone now: deleting a function is not fixing it.
    removed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "fixed": list(self.fixed),
            "remaining": list(self.remaining),
            "regressions": list(self.regressions),
            "parse_errors": [{"path": p.path, "line": p.line, "message": p.message} for p in self.parse_errors],
            "removed": list(self.removed),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        return cls(
            passed=bool(data.get("passed")),
            fixed=tuple(data.get("fixed", ())),
            remaining=tuple(data.get("remaining", ())),
            regressions=tuple(data.get("regressions", ())),
            parse_errors=tuple(
                ParseError(p["path"], p.get("line"), p["message"]) for p in data.get("parse_errors", ())
            ),
            removed=tuple(data.get("removed", ())),
        )


def fired_rules(report: Mapping[str, Any]) -> frozenset[str]:
    """Rule ids that fired anywhere in a JSON v1 report, suppressed ones included."""
    fired: set[str] = set()
    for result in report.get("files", ()):
        for finding in (*result.get("findings", ()), *result.get("suppressed", ())):
            fired.add(finding["rule"])
    fired.discard(PARSE_ERROR_RULE)
    return frozenset(fired)


def parse_errors(report: Mapping[str, Any]) -> tuple[ParseError, ...]:
    errors = []
    for result in report.get("files", ()):
        if result.get("status", "ok") != "ok":
            error = result.get("error") or {}
            errors.append(ParseError(result["path"], error.get("line"), error.get("message") or "unreadable"))
    return tuple(errors)


def grade(*, targets: Iterable[str], starter_report: Mapping[str, Any], report: Mapping[str, Any]) -> Verdict:
    targets = tuple(targets)
    on_starter = fired_rules(starter_report)
    now = fired_rules(report)
    errors = parse_errors(report)
    remaining = tuple(t for t in targets if t in now)
    # Until every file parses, nothing can be called fixed: the rules did not see the file.
    fixed = () if errors else tuple(t for t in targets if t in on_starter and t not in now)
    regressions = tuple(sorted(now - on_starter - set(targets)))
    removed = removed_functions(targets=targets, starter_report=starter_report, report=report)
    passed = not errors and not remaining and not regressions and not removed and not report.get("truncated")
    return Verdict(passed, fixed, remaining, regressions, errors, removed)


def removed_functions(
    *, targets: Iterable[str], starter_report: Mapping[str, Any], report: Mapping[str, Any]
) -> tuple[str, ...]:
    """Functions that a target fired on in the starter but that the learner's files no longer define."""
    if "functions" not in report or errors_in(report):
        return ()
    targets = set(targets)
    targeted = {
        finding.get("resource")
        for result in starter_report.get("files", ())
        for finding in (*result.get("findings", ()), *result.get("suppressed", ()))
        if finding.get("rule") in targets and finding.get("resource")
    }
    # Some rules report the queue or bucket, not the function: only functions of the starter are followed.
    targeted &= set(starter_report.get("functions", ()))
    return tuple(sorted(targeted - set(report.get("functions", ()))))


def errors_in(report: Mapping[str, Any]) -> bool:
    return any(result.get("status", "ok") != "ok" for result in report.get("files", ()))
