"""Footgun CLI vs cfn-lint + cfn-lint-serverless over the same SAM corpus.

Setup (separate, git-ignored venv):
    python3 -m venv bench/.venv-cfnlint
    bench/.venv-cfnlint/bin/pip install cfn-lint==1.58.0 cfn-lint-serverless==0.3.6
Run:
    .venv/bin/python bench/cfnlint_bench.py [runs]
Prints wall times (whole process, interpreter start included) and, for the rules both tools
have, which (template, resource) pairs each one flags.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "bench" / "corpus" / "sam"


def ensure_corpus() -> None:
    """The corpus is generated (deterministically) by make_corpus.py, never committed."""
    if not (ROOT / "bench" / "corpus").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py")], check=True)


CFN_LINT = ROOT / "bench" / ".venv-cfnlint" / "bin" / "cfn-lint"
SHARED = {
    "ES1006": "aws-lambda/default-timeout",
    "ES1005": "aws-lambda/default-memory",
    "ES1007": "aws-lambda/async-no-failure-destination",
    "WS1003": "aws-lambda/wildcard-permissions",
    "WS1004": "aws-lambda/log-retention-unset",
}


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    return time.perf_counter() - started, done.stdout


def ours_command() -> list[str]:
    return [sys.executable, "-m", "courseware.footguns", "--format", "json", str(CORPUS)]


def theirs_command() -> list[str]:
    templates = sorted(str(p) for p in CORPUS.glob("*.yaml"))
    return [str(CFN_LINT), "--format", "json", "-a", "cfn_lint_serverless.rules", "--", *templates]


def our_flags(output: str) -> set[tuple[str, str, str]]:
    flags = set()
    for entry in json.loads(output)["files"]:
        for finding in entry["findings"]:
            if finding["rule"] in SHARED.values():
                for resource in (finding["resource"] or "").split(", "):
                    flags.add((Path(entry["path"]).name, finding["rule"], resource))
    return flags


def their_flags(output: str) -> set[tuple[str, str, str]]:
    flags = set()
    for match in json.loads(output or "[]"):
        rule = SHARED.get(match["Rule"]["Id"])
        if rule is None:
            continue
        path = match["Location"].get("Path") or []
        resource = path[1] if len(path) > 1 else "?"
        if rule == "aws-lambda/wildcard-permissions" and resource.endswith("Role"):
            resource = resource.removesuffix("Role")  # the role SAM generates for <Function>
        flags.add((Path(match["Filename"]).name, rule, resource))
    return flags


def main() -> None:
    ensure_corpus()
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    templates = len(list(CORPUS.glob("*.yaml")))
    ours = [timed(ours_command()) for _ in range(runs)]
    theirs = [timed(theirs_command()) for _ in range(runs)]
    our_time = statistics.median(t for t, _ in ours)
    their_time = statistics.median(t for t, _ in theirs)
    print(f"{templates} SAM templates, {runs} runs each, median wall time")
    print(f"  footgun CLI:                  {our_time:7.2f} s")
    print(f"  cfn-lint + serverless rules:  {their_time:7.2f} s")
    print(f"  ratio:                        {their_time / our_time:7.1f}x")
    mine, yours = our_flags(ours[0][1]), their_flags(theirs[0][1])
    print("\nagreement on shared rules (template, rule, resource):")
    for rule in SHARED.values():
        a = {f for f in mine if f[1] == rule}
        b = {f for f in yours if f[1] == rule}
        print(f"  {rule:<42} both {len(a & b):3}  only footgun {len(a - b):3}  only cfn-lint {len(b - a):3}")
    for label, items in (("only footgun", mine - yours), ("only cfn-lint", yours - mine)):
        for item in sorted(items):
            print(f"  {label}: {item[0]} {item[1]} {item[2]}")


if __name__ == "__main__":
    main()
