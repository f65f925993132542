"""Render a report as terminal text, JSON (version 1) or SARIF 2.1.0."""

from __future__ import annotations

import json
from typing import Any

from courseware.footguns.report import Finding, Report

TOOL_NAME = "courseware-footguns"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BUILTIN_RULES = {
    "parse-error": ("error", "The file could not be read or parsed."),
    "suppression-without-reason": ("warning", "A footgun:ignore comment gives no reason."),
    "rule-error": ("warning", "A rule failed on this input (a checker bug); the other rules ran."),
    "invalid-value": ("error", "A value the service needs as a number is not one (it is not taken as unset)."),
}


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_text(report: Report) -> str:
    lines = []
    for result in report.files:
        for finding in result.findings:
            path = _printable(result.path)
            where = f"{path}:{finding.line}" if finding.line else path
            resource = f" [{_printable(finding.resource)}]" if finding.resource else ""
            lines.append(f"{where}: {finding.severity} {finding.rule}{resource}")
            lines.append(f"    {_printable(finding.message)}")
            lines.append(f"    fix: {_printable(finding.fix)}")
            if finding.learn:
                lines.append(f"    learn: {finding.learn}")
        for item in result.suppressed:
            line = item.finding.line
            lines.append(
                f"{_printable(result.path)}:{line}: suppressed {item.finding.rule} (reason: {_printable(item.reason)})"
            )
    findings = report.findings
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    suppressed = sum(len(r.suppressed) for r in report.files)
    summary = (
        f"{len(findings)} finding(s): {counts['error']} error, {counts['warning']} warning, "
        f"{counts['info']} info; {suppressed} suppressed; {len(report.files)} file(s) checked"
    )
    if report.truncated:
        summary += " (truncated)"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    # Learner-controlled text must not drive the terminal (escape sequences, bidi controls).
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _rule_descriptors() -> list[dict[str, Any]]:
    from courseware.footguns.registry import all_rules  # SARIF lists every rule; text and JSON need none

    descriptors = []
    for rule in all_rules():
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
                "properties": {"footgun": rule.footgun, "learn": rule.learn, "formats": list(rule.formats)},
            }
        )
    for rule_id, (severity, summary) in BUILTIN_RULES.items():
        descriptors.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": summary},
                "defaultConfiguration": {"level": _SARIF_LEVELS[severity]},
            }
        )
    return descriptors


def _sarif_result(finding: Finding, path: str, index: dict[str, int], reason: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": path}}
    if finding.line:
        location["region"] = {"startLine": finding.line}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": f"{finding.message} Fix: {finding.fix}"},
        "locations": [{"physicalLocation": location}],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.resource:
        result["locations"][0]["logicalLocations"] = [{"name": finding.resource}]
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result


def render_sarif(report: Report) -> str:
    descriptors = _rule_descriptors()
    index = {descriptor["id"]: number for number, descriptor in enumerate(descriptors)}
    results = []
    for file_result in report.files:
        for finding in file_result.findings:
            results.append(_sarif_result(finding, file_result.path, index))
        for item in file_result.suppressed:
            results.append(_sarif_result(item.finding, file_result.path, index, item.reason))
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "rules": descriptors}},
                "results": results,
                "artifacts": [{"location": {"uri": r.path}} for r in report.files],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
