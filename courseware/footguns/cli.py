"""python -m courseware.footguns [--format text|json|sarif] [--fail-on error|warning|never] PATH...
python -m courseware.footguns simulate PATH... --scenario NAME|FILE [--format text|json]"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from courseware.footguns.engine import check_files
from courseware.footguns.limits import ScanLimits
from courseware.footguns.loading import is_recognised
from courseware.footguns.output import render_json, render_sarif, render_text
from courseware.footguns.report import SEVERITY_RANK, FileResult, Report

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
STDIN = "-"
STDIN_NAME = "stdin.yaml"  # helm template and kustomize build print YAML
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", ".terraform", ".aws-sam", "__pycache__"}
# A repository is not a learner paste: lift the count, the total and the sizes that cost linear time (rendered
# Helm charts and CustomResourceDefinitions run to megabytes); keep the bounds on depth, aliases and operators.
CLI_LIMITS = replace(
    ScanLimits(),
    max_files=100_000,
    max_total_bytes=2**40,
    max_findings=100_000,
    max_file_bytes=16 * 1024 * 1024,
    max_keys=2_000_000,
    max_scalar_bytes=4 * 1024 * 1024,
)


def _formatter(prog: str) -> argparse.HelpFormatter:
    # With no width, argparse imports shutil (and through it bz2 and lzma) on every start to ask the terminal.
    try:
        columns = os.get_terminal_size().columns
    except OSError:
        columns = 80
    return argparse.HelpFormatter(prog, width=max(columns - 2, 20))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, as documented
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m courseware.footguns", description=__doc__, formatter_class=_formatter)
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--fail-on", choices=("error", "warning", "never"), default="error")
    parser.add_argument("--rules-table", action="store_true", help="print docs/rules.md and exit")
    parser.add_argument(
        "--filename",
        default=STDIN_NAME,
        help=f"the name that '-' (standard input) is checked under, for format detection and messages "
        f"(default {STDIN_NAME})",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' reads standard input")
    return parser


def collect(paths: list[str], stdin_name: str = STDIN_NAME) -> tuple[dict[str, bytes], list[FileResult]]:
    files: dict[str, bytes] = {}
    unreadable: list[FileResult] = []
    for raw in paths:
        if raw == STDIN:
            # One byte past the cap is enough for the engine to reject an oversize input; never read it all.
            files[stdin_name] = sys.stdin.buffer.read(CLI_LIMITS.max_file_bytes + 1)
            continue
        if os.path.isdir(raw):
            for folder, dirs, names in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(names):
                    if is_recognised(name):
                        _read(os.path.join(folder, name), files, unreadable)
        else:
            _read(raw, files, unreadable)
    return files, unreadable


def _read(path: str, files: dict[str, bytes], unreadable: list[FileResult]) -> None:
    key = path.replace(os.sep, "/")
    try:
        with open(path, "rb") as handle:
            files[key] = handle.read()
    except OSError as error:
        unreadable.append(
            FileResult(
                path=key,
                format="unknown",
                status="parse_error",
                error={"message": f"Cannot read the file: {error.strerror}.", "line": None},
            )
        )


def exit_code(report: Report, fail_on: str) -> int:
    if report.has_unreadable_files:
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _simulate_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m courseware.footguns simulate",
        description="Replay a traffic scenario against the application these files describe (a model, not a "
        "measurement: docs/simulator.md).",
        formatter_class=_formatter,
    )
    parser.add_argument(
        "--scenario", required=True, help="a scenario name (content/<topic>/scenarios/NAME.yaml) or a scenario file"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories of one application")
    return parser


def simulate_main(argv: list[str]) -> int:
    """Imported only for `simulate`: a plain check never loads the simulator."""
    import json

    from courseware.footguns.engine import _load_all
    from courseware.footguns.registry import TOPIC_OF_FORMAT
    from courseware.footguns.simulation import ScenarioError, load_scenario, render_text, simulate_files

    parser = _simulate_parser()
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        parser.error(f"no such file or directory: {', '.join(missing)}")
    files, unreadable = collect(args.paths)
    for result in unreadable:
        sys.stderr.write(f"{result.path}: {result.error['message'] if result.error else 'unreadable'}\n")
    loaded = _load_all(files, CLI_LIMITS)
    broken = [item for item in loaded if item.status != "ok"]
    for item in broken:
        sys.stderr.write(f"{item.path}:{item.error_line or 1}: {item.error_message}\n")
    topics = [TOPIC_OF_FORMAT[item.format] for item in loaded if item.status == "ok" and item.format in TOPIC_OF_FORMAT]
    topic = next((t for t in topics if t.simulator is not None), None)
    if topic is None:
        parser.error("none of these files is of a topic with a simulator")
    try:
        scenario = load_scenario(topic.slug, args.scenario)
    except ScenarioError as error:
        sys.stderr.write(f"{error.message}\n")
        return EXIT_ERROR
    result = simulate_files(files, scenario, label=", ".join(args.paths))
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(result))
    return EXIT_ERROR if unreadable or broken else EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["simulate"]:
        return simulate_main(argv[1:])
    args = _parser().parse_args(argv)
    if args.rules_table:
        from courseware.footguns.docs import rules_markdown

        sys.stdout.write(rules_markdown())
        return EXIT_CLEAN
    if not args.paths:
        _parser().error("give at least one PATH (a file or a directory)")
    missing = [p for p in args.paths if p != STDIN and not os.path.exists(p)]
    if missing:
        _parser().error(f"no such file or directory: {', '.join(missing)}")
    if args.paths.count(STDIN) > 1:
        _parser().error("standard input ('-') can be read only once")
    files, unreadable = collect(args.paths, args.filename)
    report = check_files(files, limits=CLI_LIMITS)
    if unreadable:
        report.files = sorted(report.files + unreadable, key=lambda r: r.path)
    render = {"text": render_text, "json": render_json, "sarif": render_sarif}[args.format]
    sys.stdout.write(render(report))
    return exit_code(report, args.fail_on)
