from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUSES = (
    "ok",
    "rejected",
    "timeout",
    "cpu_limit",
    "memory_limit",
    "output_limit",
    "crashed",
    "busy",
)
# Only the learner's own input problems use up an attempt; a runner failure never does.
_COUNTED = frozenset({"ok", "rejected"})


@dataclass(frozen=True)
class Outcome:
    status: str
    message: str
    report: dict[str, Any] | None
    duration_ms: float
    retry_after_s: int | None = None
    # For operators and logs; never shown to the learner.
    detail: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown outcome status {self.status!r}")

    @property
    def counts_as_attempt(self) -> bool:
        return self.status in _COUNTED


@dataclass(frozen=True)
class CanaryResult:
    name: str
    contained: bool
    detail: str


@dataclass(frozen=True)
class SelfTestReport:
    canaries: tuple[CanaryResult, ...]
    duration_ms: float
    engine: str

    @property
    def contained(self) -> bool:
        return all(canary.contained for canary in self.canaries)

    @property
    def escaped(self) -> tuple[str, ...]:
        return tuple(canary.name for canary in self.canaries if not canary.contained)
