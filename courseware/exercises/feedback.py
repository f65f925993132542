"""What the learner sees after a check, built from a stored submission (so reloads show it too)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from courseware.topics.content import Footgun, Library
from courseware.topics.rendering import highlight

from .content import Exercise, ExerciseFile
from .grading import Verdict
from .models import Status, Submission

# Past this size a file is shown without syntax colours: a lexer's time grows with the input.
HIGHLIGHT_MAX_BYTES = 48 * 1024

NOT_COUNTED = {
    Status.TIMEOUT: "The check ran out of time.",
    Status.CPU_LIMIT: "The check used too much CPU time.",
    Status.MEMORY_LIMIT: "The check used too much memory.",
    Status.OUTPUT_LIMIT: "The check produced too much output.",
    Status.CRASHED: "The checker failed.",
    Status.BUSY: "The checker was busy.",
}


@dataclass(frozen=True)
class RuleLink:
    rule: str
    title: str
    footgun_url: str | None
    primer_url: str | None
    primer_title: str | None


@dataclass
class FindingView:
    rule: str
    severity: str
    line: int | None
    resource: str | None
    message: str
    fix: str
    link: RuleLink | None
    is_target: bool
    anchor: str
    suppressed_reason: str = ""


@dataclass(frozen=True)
class UnmetView:
    """A requirement of the prompt that the learner's files do not meet yet."""

    message: str
    detail: str
    path: str | None
    line: int | None
    anchor: str | None
    learn: str | None


@dataclass
class FileView:
    index: int
    path: str
    status: str
    error_message: str | None
    error_line: int | None
    findings: list[FindingView] = field(default_factory=list)
    suppressed: list[FindingView] = field(default_factory=list)
    html: str = ""
    marked_lines: tuple[int, ...] = ()

    @property
    def anchor(self) -> str:
        return f"result-file-{self.index}"


@dataclass
class Feedback:
    submission: Submission
    status: str
    message: str
    counted: bool
    not_counted_reason: str
    verdict: Verdict | None
    files: list[FileView]
    fixed: list[RuleLink]
    remaining: list[RuleLink]
    regressions: list[RuleLink]
    anti_primer_url: str | None
    anti_primer_title: str | None
    truncated: bool
    unmet: list[UnmetView] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.verdict and self.verdict.passed)

    @property
    def findings_total(self) -> int:
        return sum(len(f.findings) for f in self.files)


@functools.cache
def _rules_by_id() -> dict:
    from courseware.footguns.registry import all_rules

    return {rule.id: rule for rule in all_rules()}


def rule_link(rule_id: str, library: Library) -> RuleLink:
    rule = _rules_by_id().get(rule_id)
    if rule is None:
        return RuleLink(rule_id, rule_id, None, None, None)
    topic = library.topic(rule.topic)
    footgun: Footgun | None = topic.footgun(rule.footgun_slug) if topic else None
    if footgun is None:
        return RuleLink(rule_id, rule.summary, rule.learn, None, None)
    anchor_title = None
    primer = topic.pages.get("primer") if topic else None
    if primer is not None:
        anchor_title = next((h.text for h in primer.toc if h.anchor == footgun.primer), None)
    return RuleLink(rule_id, footgun.title, footgun.url, footgun.primer_url, anchor_title or "the primer")


def highlight_file(file: ExerciseFile, marked: tuple[int, ...], anchor: str) -> str:
    language = file.language if len(file.text) <= HIGHLIGHT_MAX_BYTES else "text"
    return highlight(file.text, language, marked=marked, line_numbers=True, line_anchor=f"{anchor}-L", label=file.path)


def build_feedback(*, submission: Submission, exercise: Exercise, library: Library) -> Feedback:
    verdict = Verdict.from_dict(submission.verdict) if submission.verdict else None
    links: dict[str, RuleLink] = {}

    def link(rule_id: str) -> RuleLink:
        if rule_id not in links:
            links[rule_id] = rule_link(rule_id, library)
        return links[rule_id]

    files: list[FileView] = []
    report = submission.report or {}
    texts = submission.files if isinstance(submission.files, dict) else {}
    order = {path: index for index, path in enumerate(exercise.paths)}
    unmet_lines: dict[str, set[int]] = {}
    for unmet in verdict.unmet if verdict else ():
        if unmet.path and unmet.line:
            unmet_lines.setdefault(unmet.path, set()).add(unmet.line)
    for result in sorted(report.get("files", ()), key=lambda r: order.get(r["path"], len(order))):
        index = order.get(result["path"], len(files))
        anchor = f"result-file-{index}"
        error = result.get("error") or {}
        view = FileView(
            index=index,
            path=result["path"],
            status=result.get("status", "ok"),
            error_message=error.get("message"),
            error_line=error.get("line"),
        )
        for finding in result.get("findings", ()):
            view.findings.append(_finding_view(finding, exercise, link, anchor))
        for finding in result.get("suppressed", ()):
            item = _finding_view(finding, exercise, link, anchor)
            item.suppressed_reason = str(finding.get("reason", ""))
            view.suppressed.append(item)
        marked = {f.line for f in (*view.findings, *view.suppressed) if f.line}
        marked |= unmet_lines.get(result["path"], set())
        if view.error_line:
            marked.add(view.error_line)
        view.marked_lines = tuple(sorted(marked))
        shown = view.findings or view.suppressed or view.status != "ok" or result["path"] in unmet_lines
        if shown and result["path"] in texts:
            view.html = highlight_file(
                ExerciseFile(result["path"], str(texts[result["path"]])), view.marked_lines, anchor
            )
        files.append(view)
    hour = exercise.anti_primer_hour
    return Feedback(
        submission=submission,
        status=submission.status,
        message=submission.message,
        counted=submission.counts_as_attempt,
        not_counted_reason=NOT_COUNTED.get(submission.status, ""),
        verdict=verdict,
        files=files,
        fixed=[link(r) for r in verdict.fixed] if verdict else [],
        remaining=[link(r) for r in verdict.remaining] if verdict else [],
        regressions=[link(r) for r in verdict.regressions] if verdict else [],
        anti_primer_url=f"/topics/{exercise.topic}/anti_primer/#hour-{hour}" if hour is not None else None,
        anti_primer_title=_hour_title(exercise, library),
        truncated=bool(report.get("truncated")),
        unmet=[_unmet_view(u, order, exercise.topic) for u in verdict.unmet] if verdict else [],
    )


def _unmet_view(unmet, order: dict[str, int], topic: str) -> UnmetView:
    anchor = None
    if unmet.path in order and unmet.line:
        anchor = f"result-file-{order[unmet.path]}-L-{unmet.line}"
    learn = f"/topics/{topic}/primer/#{unmet.learn}" if unmet.learn else None
    return UnmetView(unmet.message, unmet.detail, unmet.path, unmet.line, anchor, learn)


def _hour_title(exercise: Exercise, library: Library) -> str | None:
    topic = library.topic(exercise.topic)
    if exercise.anti_primer_hour is None or topic is None or topic.anti_primer is None:
        return None
    hour = next((h for h in topic.anti_primer.hours if h.hour == exercise.anti_primer_hour), None)
    return f"Hour {hour.hour}: {hour.title}" if hour else None


def _finding_view(finding: dict, exercise: Exercise, link, anchor: str) -> FindingView:
    rule = str(finding.get("rule", ""))
    known = rule not in ("parse-error", "suppression-without-reason")
    line = finding.get("line")
    return FindingView(
        rule=rule,
        severity=str(finding.get("severity", "")),
        line=line if isinstance(line, int) else None,
        resource=finding.get("resource"),
        message=str(finding.get("message", "")),
        fix=str(finding.get("fix", "")),
        link=link(rule) if known else None,
        is_target=rule in exercise.targets,
        anchor=f"{anchor}-L-{line}" if isinstance(line, int) else anchor,
    )


def plain_feedback(verdict: Verdict, report: dict, library: Library) -> list[str]:
    """What a check that did not pass still finds, one sentence each: the footgun by its title, where it fires
    (file and line), the prompt's unmet requirements in the author's words. For places without the full
    feedback panel (a live round on a phone)."""
    first_at: dict[str, str] = {}
    for result in report.get("files", ()):
        for finding in (*result.get("findings", ()), *result.get("suppressed", ())):
            rule = finding.get("rule")
            if rule and rule not in first_at:
                line = finding.get("line")
                first_at[rule] = f"{result.get('path')}{f' line {line}' if line else ''}"
    found = [
        f"{p.path} does not parse{f' (line {p.line})' if p.line else ''}: {p.message}" for p in verdict.parse_errors
    ]
    found += [f"{name} is gone from your files: deleting it does not fix it" for name in verdict.removed]
    for rules, how in ((verdict.remaining, "still fires"), (verdict.regressions, "now fires, and did not before")):
        for rule in rules:
            where = f" at {first_at[rule]}" if rule in first_at else ""
            # Footgun titles are sentences; quoted, without their full stop, they read as the subject.
            found.append(f"“{rule_link(rule, library).title.rstrip('.')}” {how}{where}")
    for unmet in verdict.unmet:
        found.append(f"{unmet.message}{f' (line {unmet.line})' if unmet.line else ''}")
    return found
