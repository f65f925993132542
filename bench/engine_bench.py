"""Median time per file for the footgun engine, in process (parsers already imported).

    .venv/bin/python bench/engine_bench.py
Budget (DESIGN.md): median <= 10 ms for a SAM template of up to 300 lines.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from courseware.footguns.engine import check_files  # noqa: E402

ENGINE = ROOT / "bench" / "corpus" / "engine"
RUNS = {"sam.yaml": 300, "cloudformation.json": 300, "main.tf": 60, "serverless.yml": 300}


def measure(path: Path, runs: int) -> list[float]:
    files = {path.name: path.read_bytes()}
    check_files(files)  # warm-up: imports, grammar, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = check_files(files)
        times.append((time.perf_counter() - started) * 1000)
        assert report.files[0].status == "ok"
    return times


def main() -> None:
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.processor() or '?'}")
    print(f"{'file':<22}{'lines':>6}{'runs':>6}{'median ms':>11}{'p95 ms':>9}")
    for name, runs in RUNS.items():
        path = ENGINE / name
        times = sorted(measure(path, runs))
        p95 = times[int(len(times) * 0.95) - 1]
        lines = len(path.read_text().splitlines())
        print(f"{name:<22}{lines:>6}{runs:>6}{statistics.median(times):>11.2f}{p95:>9.2f}")


if __name__ == "__main__":
    main()
