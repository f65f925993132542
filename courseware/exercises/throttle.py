"""Per-learner rate limit on checks: a fixed one-minute window counted in the shared cache."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW_S = 60


def checks_per_minute() -> int:
    configured = getattr(settings, "EXERCISE_CHECKS_PER_MINUTE", None)
    if configured is None:
        configured = os.environ.get("EXERCISE_CHECKS_PER_MINUTE", "20")
    return int(configured)


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after_s: int = 0


def check_allowance(user_id: int, *, now: float | None = None) -> Allowance:
    limit = checks_per_minute()
    if limit <= 0:
        return Allowance(True)
    now = time.time() if now is None else now
    window = int(now // WINDOW_S)
    key = f"exercise-checks:{user_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_S + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_S + 5)
        count = 1
    if count > limit:
        return Allowance(False, max(1, int((window + 1) * WINDOW_S - now + 0.999)))
    return Allowance(True)
