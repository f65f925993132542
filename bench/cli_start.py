"""The footgun CLI on one file, process start to exit, beside cfn-lint and a bare interpreter (issue 12).

    .venv/bin/python bench/cli_start.py [--runs 31] [FILE]

Budget (DESIGN.md): median <= 60 ms for one SAM template, and at least 20x faster than cfn-lint with the
serverless rules on the same file, measured in the same run. The three commands alternate run by run so they
see the same machine load. Our package's bytecode is compiled first, as an installed tool's is (pip compiles
a wheel's modules at install; with PYTHONDONTWRITEBYTECODE set and no .pyc, every run would compile them all
again). cfn-lint comes from `make bench-peers`; without it only our CLI and the interpreter are timed.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CFN_LINT = ROOT / "bench" / ".venv-cfnlint" / "bin" / "cfn-lint"
DEFAULT_FILE = "content/aws-lambda/exercises/export-visibility-timeout/starter/template.yaml"


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "courseware", quiet=1)
    commands = {
        "footgun CLI": [PYTHON, "-m", "courseware.footguns", args.file],
        "python -c pass": [PYTHON, "-c", "pass"],
    }
    if CFN_LINT.exists():
        commands["cfn-lint + serverless rules"] = [str(CFN_LINT), "-a", "cfn_lint_serverless.rules", "--", args.file]
    for command in commands.values():  # warm the page cache
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    load_before = os.getloadavg()[0]
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    load_after = os.getloadavg()[0]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{stamp} · {os.cpu_count()} CPUs · {args.runs} runs each, alternating · {args.file}")
    print(f"load average {load_before:.2f} before, {load_after:.2f} after")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<30} median {median:7.1f} ms   min {min(values):7.1f}   max {max(values):7.1f}")
    if "cfn-lint + serverless rules" in times:
        ratio = statistics.median(times["cfn-lint + serverless rules"]) / statistics.median(times["footgun CLI"])
        print(f"  cfn-lint / footgun CLI: {ratio:.1f}x")


if __name__ == "__main__":
    sys.exit(main())
