"""Files in, report out: parse, build the model, run every rule, place the findings."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from courseware.footguns.formats import cloudformation, python_handler, serverless
from courseware.footguns.limits import ScanLimits
from courseware.footguns.loading import Loaded, load_file
from courseware.footguns.model import Application
from courseware.footguns.report import FileResult, Finding, Report, Suppressed
from courseware.footguns.rules import RULES
from courseware.footguns.rules.base import Context, Rule
from courseware.footguns.suppression import directives

PARSE_ERROR_RULE = "parse-error"
SUPPRESSION_RULE = "suppression-without-reason"
RULE_ERROR = "rule-error"


@dataclass
class Unit:
    """Files that describe one application: a template, a Terraform folder, a service."""

    app: Application = field(default_factory=Application)
    paths: list[str] = field(default_factory=list)


def check_files(
    files: Mapping[str, str | bytes],
    *,
    limits: ScanLimits = ScanLimits(),  # noqa: B008
    today: datetime.date | None = None,
    rules: tuple[Rule, ...] = RULES,
    requirements: Sequence[Mapping[str, Any]] = (),
    topic: str | None = None,
) -> Report:
    """Run every rule; with `requirements` (an exercise's `accept:` list, of `topic`) evaluate those too."""
    context = Context(today=today or datetime.date.today())
    loaded = _load_all(files, limits)
    results = {item.path: _file_result(item) for item in loaded}
    units = _build_units([item for item in loaded if item.status == "ok"])
    findings: list[Finding] = []
    for unit in units:
        for rule in rules:
            try:
                hits = list(rule.check(unit.app, context))
            except Exception as error:  # a rule bug must not cost the learner the other rules
                findings.append(_rule_error(rule, unit, error))
                continue
            for hit in hits:
                findings.append(
                    Finding(
                        rule=rule.id,
                        footgun=rule.footgun,
                        severity=hit.severity or rule.severity,
                        file=hit.file,
                        line=hit.line,
                        resource=hit.resource,
                        message=_clip(hit.message, limits),
                        fix=_clip(hit.fix, limits),
                        learn=rule.learn,
                    )
                )
    texts = {item.path: item.text for item in loaded if item.status == "ok"}
    # Two routes to one fact (an S3 notification and an S3 permission) give one finding.
    findings = list(dict.fromkeys(findings))
    _place(findings, results, texts)
    report = Report(
        files=[results[path] for path in sorted(results)],
        functions=sorted({name for unit in units for name in unit.app.functions}),
    )
    if topic is not None:
        from courseware.footguns import acceptance

        report.requirements = acceptance.evaluate(topic, requirements, [unit.app for unit in units])
    _truncate(report, limits)
    return report


def build_apps(files: Mapping[str, str | bytes], *, limits: ScanLimits = ScanLimits()) -> list[Application]:  # noqa: B008
    """The model of each unit in `files`, without running rules (content checks use it on author files)."""
    loaded = [item for item in _load_all(files, limits) if item.status == "ok"]
    return [unit.app for unit in _build_units(loaded)]


def _rule_error(rule: Rule, unit: Unit, error: Exception) -> Finding:
    return Finding(
        rule=RULE_ERROR,
        footgun=None,
        severity="warning",
        file=unit.paths[0] if unit.paths else "",
        line=None,
        resource=None,
        message=(
            f"The check {rule.id} could not finish on this input ({type(error).__name__}). This is "
            "a bug in the checker, not necessarily in your file; the other checks still ran."
        ),
        fix="Report it to the course maintainers with the file that caused it.",
        learn=None,
    )


def _clip(text: str, limits: ScanLimits) -> str:
    if len(text) <= limits.max_message_chars:
        return text
    return text[: limits.max_message_chars - 1] + "…"


def _load_all(files: Mapping[str, str | bytes], limits: ScanLimits) -> list[Loaded]:
    loaded = []
    total = 0
    for index, (path, content) in enumerate(files.items()):
        size = len(content)
        total += size
        if index >= limits.max_files:
            item = Loaded(path, "unknown", "rejected", f"Too many files: at most {limits.max_files}.")
        elif total > limits.max_total_bytes:
            item = Loaded(
                path, "unknown", "rejected",
                f"The files together exceed {limits.max_total_bytes // 1024} KiB.",
            )  # fmt: skip
        else:
            item = load_file(path, content, limits)
        loaded.append(item)
    return loaded


def _file_result(item: Loaded) -> FileResult:
    result = FileResult(path=item.path, format=item.format, status=item.status)
    if item.status != "ok":
        result.error = {"message": item.error_message, "line": item.error_line}
        result.findings.append(
            Finding(
                rule=PARSE_ERROR_RULE,
                footgun=None,
                severity="error",
                file=item.path,
                line=item.error_line,
                resource=None,
                message=item.error_message or "The file could not be read.",
                fix="Correct the file so that it parses, then check again.",
                learn=None,
            )
        )
    return result


def _build_units(loaded: list[Loaded]) -> list[Unit]:
    units: list[Unit] = []
    terraform_units: dict[str, Unit] = {}
    python_files = []
    for item in loaded:
        if item.format in ("sam", "cloudformation"):
            unit = Unit(paths=[item.path])
            cloudformation.read_template(item.document, item.path, item.format, unit.app)
            units.append(unit)
        elif item.format == "serverless":
            unit = Unit(paths=[item.path])
            serverless.read_service(item.document, item.path, unit.app)
            units.append(unit)
        elif item.format == "terraform":
            folder = posixpath.dirname(item.path)
            unit = terraform_units.get(folder)
            if unit is None:
                unit = terraform_units[folder] = Unit()
                units.append(unit)
            unit.paths.append(item.path)
        elif item.format == "python":
            python_files.append(item)
    if terraform_units:
        # Imported only when a .tf file is checked: a template alone never pays for the HCL parser.
        from courseware.footguns.formats import terraform

        for folder, unit in terraform_units.items():
            documents = [(item.path, item.document) for item in loaded if item.path in unit.paths]
            terraform.read_module(documents, folder, unit.app)
    facts = {item.path: python_handler.analyse(item.document, item.path) for item in python_files}
    matched = set()
    for unit in units:
        matched |= python_handler.attach(unit.app, facts, unit.paths)
    for path in sorted(set(facts) - matched):
        unit = Unit(paths=[path])
        unit.app.handlers[path] = facts[path]
        units.append(unit)
    return units


def _place(findings: list[Finding], results: dict[str, FileResult], texts: dict[str, str]) -> None:
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for path, result in results.items():
        found = by_file.get(path, [])
        marks = directives(texts.get(path, ""))
        kept = []
        for finding in found:
            directive = next((d for d in marks if d.covers(finding.rule, finding.line)), None)
            if directive is not None and directive.reason:
                result.suppressed.append(Suppressed(finding, directive.reason, directive.line))
            else:
                kept.append(finding)
        for directive in marks:
            if not directive.reason:
                kept.append(
                    Finding(
                        rule=SUPPRESSION_RULE,
                        footgun=None,
                        severity="warning",
                        file=path,
                        line=directive.line,
                        resource=None,
                        message=(
                            f"This footgun:ignore for {directive.rule} gives no reason, so it "
                            "suppresses nothing. A suppression should say why the risk is accepted."
                        ),
                        fix=f"Write it as `footgun:ignore {directive.rule} reason: <why>`.",
                        learn=None,
                    )
                )
        result.findings.extend(kept)
        result.findings.sort(key=lambda f: (f.line or 0, f.rule, f.resource or ""))
        result.suppressed.sort(key=lambda s: (s.finding.line or 0, s.finding.rule))


def _truncate(report: Report, limits: ScanLimits) -> None:
    budget = limits.max_findings
    for result in report.files:
        if len(result.findings) > budget:
            result.findings = result.findings[:budget]
            report.truncated = True
        budget -= len(result.findings)
