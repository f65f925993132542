"""Run the quick benchmarks one after another (`make bench`). The load benchmarks take minutes and are run by
hand: bench/topic_load.py, bench/quiz_answer.py load, bench/exercise_check.py, bench/live_load.py,
bench/dashboard_pages.py, bench/cfnlint_bench.py (see docs/benchmarks.md for their commands)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = [
    ["topic_page.py", "--requests", "200"],
    ["cold_start.py", "--runs", "3"],
    ["engine_bench.py"],
]


def main() -> None:
    for script, *args in QUICK:
        print(f"== bench/{script} {' '.join(args)}", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args], check=True, timeout=600)


if __name__ == "__main__":
    main()
