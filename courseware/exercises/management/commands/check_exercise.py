"""Grade a folder of files against an exercise, exactly as the workspace does (sandbox, rules, requirements).

    python manage.py check_exercise aws-lambda/importer-timeout path/to/folder [--format text|json]

Exit 0 passed, 1 not passed (or the checker could not finish), 2 bad input. docs/authoring.md lists the JSON keys.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courseware.exercises import checker, suite
from courseware.exercises.content import exercise_of
from courseware.sandbox import RunnerUnavailable
from courseware.topics.library import get_library


class BadInput(Exception):
    pass


class Command(BaseCommand):
    help = "Grade a folder of learner files against an exercise through the sandbox, as the workspace does."
    requires_system_checks: list[str] = []  # the content it needs is loaded (and its errors reported) below

    def add_arguments(self, parser) -> None:
        parser.add_argument("exercise", help="<topic>/<exercise slug>, e.g. aws-lambda/importer-timeout")
        parser.add_argument("folder", help="a folder holding the learner's files under the starter's paths")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, **options) -> None:
        try:
            exercise = _exercise(options["exercise"])
            files = _files(exercise, Path(options["folder"]))
        except BadInput as error:
            self.stderr.write(f"check_exercise: {error}")
            sys.exit(2)
        try:
            runner = checker.checker()
        except RunnerUnavailable as error:
            raise CommandError(f"the sandbox runner is not available: {error}") from error
        outcome = runner.check(files, learner_key="check_exercise", accept=exercise.accept, topic=exercise.engine)
        verdict = suite.verdict_for(exercise, outcome.report) if outcome.status == "ok" and outcome.report else None
        result = _result(outcome, verdict)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(_text(options["exercise"], result))
        sys.exit(0 if result["passed"] else 1)


def _exercise(name: str):
    topic_slug, _, slug = name.partition("/")
    topic = get_library().topic(topic_slug)
    exercise = exercise_of(topic, slug) if topic is not None and slug else None
    if exercise is None:
        raise BadInput(f"no exercise '{name}' (write <topic>/<slug>, e.g. aws-lambda/importer-timeout)")
    return exercise


def _files(exercise, folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        raise BadInput(f"'{folder}' is not a folder")
    files = {}
    for path in exercise.paths:
        file = folder / path
        if not file.is_file():
            raise BadInput(f"'{folder}' has no {path} (the exercise's files are: {', '.join(exercise.paths)})")
        try:
            files[path] = file.read_bytes().decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError as error:
            raise BadInput(f"{path} is not UTF-8 text") from error
    return files


def _result(outcome, verdict) -> dict:
    findings = [
        {"path": r["path"], "line": f.get("line"), "rule": f["rule"], "severity": f.get("severity"),
         "message": f.get("message")}
        for r in (outcome.report or {}).get("files", ())
        for f in r.get("findings", ())
    ]  # fmt: skip
    data = verdict.to_dict() if verdict else {"passed": False}
    return {
        "passed": bool(verdict and verdict.passed),
        "status": outcome.status,
        "message": outcome.message,
        "fixed": data.get("fixed", []),
        "remaining": data.get("remaining", []),
        "regressions": data.get("regressions", []),
        "removed": data.get("removed", []),
        "unmet": data.get("unmet", []),
        "parse_errors": data.get("parse_errors", []),
        "findings": findings,
    }


def _text(name: str, result: dict) -> str:
    lines = [f"{name}: {'PASSED' if result['passed'] else 'NOT PASSED'} ({result['status']}: {result['message']})"]
    lines += [f"  fixed: {rule}" for rule in result["fixed"]]
    lines += [f"  still firing: {rule}" for rule in result["remaining"]]
    lines += [f"  new problem: {rule}" for rule in result["regressions"]]
    lines += [f"  function deleted: {name}" for name in result["removed"]]
    for unmet in result["unmet"]:
        where = f" [{unmet['path']}:{unmet['line']}]" if unmet.get("path") else ""
        lines.append(f"  requirement {unmet['index'] + 1} not met{where}: {unmet['message']}")
        if unmet.get("detail"):
            lines.append(f"    saw: {unmet['detail']}")
    for error in result["parse_errors"]:
        lines.append(f"  parse error [{error['path']}:{error['line']}]: {error['message']}")
    for finding in result["findings"]:
        lines.append(f"  {finding['path']}:{finding['line']}: {finding['rule']} ({finding['severity']})")
    return "\n".join(lines)
