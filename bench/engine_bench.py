"""Median time per file for the footgun engine, in process (parsers already imported).

    .venv/bin/python bench/engine_bench.py
Budget (DESIGN.md): median <= 10 ms for a SAM template of up to 300 lines.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from courseware.footguns.engine import check_files  # noqa: E402

ENGINE = ROOT / "bench" / "corpus" / "engine"


def ensure_corpus() -> None:
    """The corpus is generated (deterministically) by make_corpus.py, never committed."""
    if not (ROOT / "bench" / "corpus").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py")], check=True)


RUNS = {"sam.yaml": 300, "cloudformation.json": 300, "main.tf": 60, "serverless.yml": 300}


def measure(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per run; CPU time is less disturbed by other processes."""
    files = {path.name: path.read_bytes()}
    check_files(files)  # warm-up: imports, grammar, caches
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = check_files(files)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert report.files[0].status == "ok"
    return wall, cpu


def main() -> None:
    ensure_corpus()
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.processor() or '?'}")
    print(os.getloadavg() and f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'file':<22}{'lines':>6}{'runs':>6}{'median ms':>11}{'p95 ms':>9}{'cpu median ms':>15}")
    for name, runs in RUNS.items():
        path = ENGINE / name
        wall, cpu = measure(path, runs)
        wall.sort()
        p95 = wall[int(len(wall) * 0.95) - 1]
        lines = len(path.read_text().splitlines())
        print(
            f"{name:<22}{lines:>6}{runs:>6}{statistics.median(wall):>11.2f}{p95:>9.2f}{statistics.median(cpu):>15.2f}"
        )


if __name__ == "__main__":
    main()
