"""Per-learner limits on checks, through the one rate-limit helper (courseware.ratelimit.limiter)."""

from __future__ import annotations

from django.conf import settings

from courseware.ratelimit import limiter

WINDOW_S = 60


def checks_per_minute() -> int:
    return int(settings.EXERCISE_CHECKS_PER_MINUTE)


def check_allowance(user_id: int, *, now: float | None = None) -> limiter.Decision:
    limit = checks_per_minute()
    if limit <= 0:
        return limiter.Decision(True, 0)
    return limiter.hit("exercise-checks", user_id, limit=limit, window_s=WINDOW_S, now=now)
