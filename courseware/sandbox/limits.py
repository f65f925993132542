from __future__ import annotations

import os
from dataclasses import dataclass

from courseware.footguns.limits import ScanLimits


def _default_pool_size() -> int:
    return max(1, (os.cpu_count() or 2) - 1)


# Defaults from reference/security.md §5 (codejail, snekbox, Jobe and Judge0 values).
@dataclass(frozen=True)
class Limits:
    cpu_s: int = 2
    cpu_hard_s: int = 3
    wall_s: float = 5.0
    memory_bytes: int = 512 * 2**20
    open_files: int = 32
    max_output_bytes: int = 2**20
    max_findings: int = 500
    scan: ScanLimits = ScanLimits()  # frozen, so one shared instance is safe
    pool_size: int = _default_pool_size()
    # How long a check may wait for a free child before the learner is told "busy".
    queue_wait_s: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.cpu_s < self.cpu_hard_s:
            raise ValueError("cpu_s must be positive and below cpu_hard_s, so SIGXCPU comes first")
        if self.wall_s <= 0 or self.pool_size < 1 or self.queue_wait_s < 0:
            raise ValueError("wall_s must be positive, pool_size at least 1, queue_wait_s >= 0")
        if self.memory_bytes < 64 * 2**20 or self.open_files < 8:
            raise ValueError("memory_bytes below 64 MiB or open_files below 8 cannot run Python")
