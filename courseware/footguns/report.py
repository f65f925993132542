"""Findings and the report: the JSON output, version 1 (DESIGN.md "Footgun engine")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from courseware.footguns.acceptance import RequirementResult

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One rule firing at one place, with the footgun it teaches and how to fix it."""

    rule: str
    footgun: str | None
    severity: str
    file: str
    line: int | None
    resource: str | None
    message: str
    fix: str
    learn: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "footgun": self.footgun,
            "severity": self.severity,
            "line": self.line,
            "resource": self.resource,
            "message": self.message,
            "fix": self.fix,
            "learn": self.learn,
        }


@dataclass(frozen=True)
class Suppressed:
    """A finding silenced by a `footgun:ignore` comment, with the reason the comment gives."""

    finding: Finding
    reason: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.finding.to_dict(), "reason": self.reason, "suppressed_at": self.line}


@dataclass
class FileResult:
    """What the engine says about one file: its format, status and findings."""

    path: str
    format: str
    status: str = "ok"  # ok | parse_error | rejected
    error: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "status": self.status,
            "error": self.error,
            "findings": [finding.to_dict() for finding in self.findings],
            "suppressed": [item.to_dict() for item in self.suppressed],
        }


@dataclass
class Report:
    """The result of one check over a set of files (the JSON report's version 1 shape)."""

    files: list[FileResult]
    truncated: bool = False
    # What the files define that rules report on, by the name findings use (Lambda: functions as written,
    # logical ids, resource labels, function keys). An addition to version 1: graders use it to notice a
    # resource deleted instead of fixed.
    resources: list[str] = field(default_factory=list)
    # An exercise's acceptance checks, when the engine was given them (an addition to version 1).
    requirements: list[RequirementResult] | None = None

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]

    @property
    def has_unreadable_files(self) -> bool:
        return any(result.status != "ok" for result in self.files)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": 1,
            "files": [result.to_dict() for result in self.files],
            "resources": list(self.resources),
        }
        if self.requirements is not None:
            data["requirements"] = [result.to_dict() for result in self.requirements]
        if self.truncated:
            data["truncated"] = True
        return data
