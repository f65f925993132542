"""Time per scenario for the simulator, in process (models built once; only the simulation is timed).

    .venv/bin/python bench/simulate_bench.py [--runs 30]
Budget (DESIGN.md): simulation of one scenario <= 30 ms in process. Every content scenario is run against the
starter and the solution of each exercise that names it (the broken and the fixed stack do different amounts of
work), and the four-hour burst scenario in bench/scenarios against the anti-primer's starter.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from courseware.footguns.engine import build_models  # noqa: E402
from courseware.footguns.simulation import load_scenario, read_scenario, simulator_of  # noqa: E402

CONTENT = ROOT / "content" / "aws-lambda"


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


BURST = ROOT / "bench" / "scenarios" / "four-hour-burst.yaml"


def cases() -> list[tuple[object, str, Path]]:
    found: list[tuple[object, str, Path]] = []
    for path in sorted((CONTENT / "exercises").glob("*/exercise.yaml")):
        name = yaml.safe_load(path.read_text()).get("scenario")
        if name:
            for kind in ("starter", "solution"):
                found.append((load_scenario("aws-lambda", name), f"{path.parent.name}/{kind}", path.parent / kind))
    broken = CONTENT / "exercises" / "fix-the-anti-primer" / "starter"
    for step in ("10s", "20s"):  # the scenario's step is its author's lever on time
        text = BURST.read_text().replace("step: 10s", f"step: {step}")
        scenario = read_scenario(text, topic="aws-lambda", name=f"four-hour-burst ({step})", source=str(BURST))[0]
        found.append((scenario, "fix-the-anti-primer/starter", broken))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    simulator = simulator_of("aws-lambda")
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| scenario | config | steps | wall median | wall p95 | CPU median | budget |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for scenario, label, folder in cases():
        models = build_models(files_of(folder), "aws-lambda")
        simulator.simulate(models, scenario)  # warm-up
        wall, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            simulator.simulate(models, scenario)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        wall.sort()
        p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
        median = statistics.median(wall)
        worst = max(worst, median)
        print(f"| {scenario.name} | {label} | {scenario.steps:,} | {median:.1f} ms | {p95:.1f} ms | "
              f"{statistics.median(cpu):.1f} ms | ≤ 30 ms |")  # fmt: skip
    print(f"\nworst median: {worst:.1f} ms")


if __name__ == "__main__":
    main()
