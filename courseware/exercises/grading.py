"""The verdict on one check: pure, no database, no Django (docs/authoring.md "Exercises").

A check passes when every file parses, no target fires, no rule fires that did not fire on the starter,
nothing a target fired on was deleted (a function, a workload), and every `accept:` requirement holds.
Suppressed findings still count as firing: a suppression comment never makes a target pass.
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
class Unmet:
    """An `accept:` requirement that does not hold: the author's message and what the checker saw."""

    index: int
    message: str
    detail: str
    path: str | None
    line: int | None
    learn: str | None


@dataclass(frozen=True)
class Verdict:
    passed: bool
    fixed: tuple[str, ...]
    remaining: tuple[str, ...]
    regressions: tuple[str, ...]
    parse_errors: tuple[ParseError, ...]
    # Functions a target fired on in the starter that are gone now: deleting a function is not fixing it.
    removed: tuple[str, ...] = ()
    unmet: tuple[Unmet, ...] = ()
    requirements_total: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "fixed": list(self.fixed),
            "remaining": list(self.remaining),
            "regressions": list(self.regressions),
            "parse_errors": [{"path": p.path, "line": p.line, "message": p.message} for p in self.parse_errors],
            "removed": list(self.removed),
            "unmet": [
                {
                    "index": u.index,
                    "message": u.message,
                    "detail": u.detail,
                    "path": u.path,
                    "line": u.line,
                    "learn": u.learn,
                }
                for u in self.unmet
            ],
            "requirements_total": self.requirements_total,
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
            unmet=tuple(
                Unmet(u["index"], u["message"], u.get("detail", ""), u.get("path"), u.get("line"), u.get("learn"))
                for u in data.get("unmet", ())
            ),
            requirements_total=int(data.get("requirements_total", 0)),
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


NOT_EVALUATED = "The checker did not evaluate this exercise's requirements, so it cannot pass yet."


def unmet_requirements(report: Mapping[str, Any], expected: int) -> tuple[Unmet, ...]:
    """Requirements that do not hold; all of them when the report carries none (fail closed)."""
    results = report.get("requirements")
    if expected and (not isinstance(results, list) or len(results) != expected):
        return (Unmet(0, NOT_EVALUATED, "", None, None, None),)
    return tuple(
        Unmet(r["index"], r["message"], r.get("detail", ""), r.get("file"), r.get("line"), r.get("learn"))
        for r in results or ()
        if not r.get("ok")
    )


def grade(
    *,
    targets: Iterable[str],
    starter_report: Mapping[str, Any],
    report: Mapping[str, Any],
    requirements: int = 0,
) -> Verdict:
    """`requirements` is how many `accept:` checks the exercise has; the report must carry a result for each."""
    targets = tuple(targets)
    on_starter = fired_rules(starter_report)
    now = fired_rules(report)
    errors = parse_errors(report)
    remaining = tuple(t for t in targets if t in now)
    # Until every file parses, nothing can be called fixed: the rules did not see the file.
    fixed = () if errors else tuple(t for t in targets if t in on_starter and t not in now)
    regressions = tuple(sorted(now - on_starter - set(targets)))
    removed = removed_resources(targets=targets, starter_report=starter_report, report=report)
    if removed:
        fixed = ()  # a target that stopped firing because its function is gone was not fixed
    unmet = unmet_requirements(report, requirements) if not errors else ()
    passed = (
        not errors
        and not remaining
        and not regressions
        and not removed
        and not unmet
        and not report.get("truncated")
        and not (requirements and not report.get("requirements"))
    )
    return Verdict(passed, fixed, remaining, regressions, errors, removed, unmet, requirements)


def removed_resources(
    *, targets: Iterable[str], starter_report: Mapping[str, Any], report: Mapping[str, Any]
) -> tuple[str, ...]:
    """Functions that a target fired on in the starter but that the learner's files no longer define."""
    if "resources" not in report or errors_in(report):
        return ()
    targets = set(targets)
    targeted = {
        finding.get("resource")
        for result in starter_report.get("files", ())
        for finding in (*result.get("findings", ()), *result.get("suppressed", ()))
        if finding.get("rule") in targets and finding.get("resource")
    }
    # Some rules report the queue or bucket, not the function: only functions of the starter are followed.
    targeted &= set(starter_report.get("resources", ()))
    return tuple(sorted(targeted - set(report.get("resources", ()))))


def errors_in(report: Mapping[str, Any]) -> bool:
    return any(result.get("status", "ok") != "ok" for result in report.get("files", ()))


def still_wrong(verdict: Verdict) -> list[str]:
    """What a verdict that did not pass still finds wrong, one plain sentence each, in the learner's terms."""
    found = [
        f"{p.path} does not parse{f' (line {p.line})' if p.line else ''}: {p.message}" for p in verdict.parse_errors
    ]
    found += [f"{name} is gone: deleting it does not fix it" for name in verdict.removed]
    found += [f"{rule} still fires" for rule in verdict.remaining]
    found += [f"{rule} fires, and did not in the starter" for rule in verdict.regressions]
    for unmet in verdict.unmet:
        where = f" (line {unmet.line})" if unmet.line else ""
        found.append(f"{unmet.message}{where}")
    return found
