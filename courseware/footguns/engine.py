"""Files in, report out: parse, build the model, run every rule, place the findings."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from courseware.footguns.limits import ScanLimits
from courseware.footguns.loading import Loaded, load_file
from courseware.footguns.registry import TOPIC_OF_FORMAT
from courseware.footguns.report import FileResult, Finding, Report, Suppressed
from courseware.footguns.rule import Context, Rule
from courseware.footguns.suppression import directives
from courseware.footguns.topic import TopicEngine, Unit

PARSE_ERROR_RULE = "parse-error"
SUPPRESSION_RULE = "suppression-without-reason"
RULE_ERROR = "rule-error"
INVALID_VALUE_RULE = "invalid-value"


def check_files(
    files: Mapping[str, str | bytes],
    *,
    limits: ScanLimits = ScanLimits(),  # noqa: B008
    today: datetime.date | None = None,
    rules: tuple[Rule, ...] | None = None,
    requirements: Sequence[Mapping[str, Any]] = (),
    topic: str | None = None,
) -> Report:
    """Run the rules of each file's topic (or only `rules`); with `requirements` (an exercise's `accept:` list,
    of `topic`) evaluate those too."""
    context = Context(today=today or datetime.date.today())
    loaded = _load_all(files, limits)
    results = {item.path: _file_result(item) for item in loaded}
    by_topic = _build_units([item for item in loaded if item.status == "ok"])
    units = [unit for topic_units in by_topic.values() for unit in topic_units]
    findings: list[Finding] = []
    for engine, topic_units in by_topic.items():
        topic_rules = engine.rules() if rules is None else tuple(r for r in rules if r.topic == engine.slug)
        for unit in topic_units:
            findings.extend(_run_rules(topic_rules, unit, context, limits))
            findings.extend(_invalid_values(unit, limits))
    texts = {item.path: item.text for item in loaded if item.status == "ok"}
    # Two routes to one fact (an S3 notification and an S3 permission) give one finding.
    findings = list(dict.fromkeys(findings))
    _place(findings, results, texts)
    report = Report(
        files=[results[path] for path in sorted(results)],
        resources=sorted({name for unit in units for name in unit.resources}),
    )
    if topic is not None:
        from courseware.footguns import acceptance

        models = [unit.model for topic_engine, topic_units in by_topic.items() if topic_engine.slug == topic
                  for unit in topic_units]  # fmt: skip
        report.requirements = acceptance.evaluate(topic, requirements, models)
    _truncate(report, limits)
    return report


def _run_rules(rules: tuple[Rule, ...], unit: Unit, context: Context, limits: ScanLimits) -> list[Finding]:
    findings = []
    for rule in rules:
        try:
            hits = list(rule.check(unit.model, context))
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
    return findings


def build_models(
    files: Mapping[str, str | bytes],
    topic: str,
    *,
    limits: ScanLimits = ScanLimits(),  # noqa: B008
) -> list[Any]:
    """The model of each unit of `topic` in `files`, without running rules (content checks use it)."""
    loaded = [item for item in _load_all(files, limits) if item.status == "ok"]
    return [unit.model for engine, units in _build_units(loaded).items() if engine.slug == topic for unit in units]


def _invalid_values(unit: Unit, limits: ScanLimits) -> list[Finding]:
    return [
        Finding(
            rule=INVALID_VALUE_RULE,
            footgun=None,
            severity="error",
            file=problem.file,
            line=problem.line,
            resource=problem.resource,
            message=_clip(problem.message, limits),
            fix=_clip(problem.fix, limits),
            learn=None,
        )
        for problem in unit.problems
    ]


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


def _build_units(loaded: list[Loaded]) -> dict[TopicEngine, list[Unit]]:
    """Each topic builds the units of its own files; files of an unknown format belong to none."""
    files: dict[TopicEngine, list[Loaded]] = {}
    for item in loaded:
        engine = TOPIC_OF_FORMAT.get(item.format)
        if engine is not None:
            files.setdefault(engine, []).append(item)
    return {engine: engine.build_units(items) for engine, items in files.items()}


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
