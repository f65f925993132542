"""Per-learner limits on checks, through the one rate-limit helper (courseware.ratelimit.limiter)."""

from __future__ import annotations

from django.conf import settings

from courseware.ratelimit import limiter

WINDOW_S = 60


def checks_per_minute() -> int:
    return int(settings.EXERCISE_CHECKS_PER_MINUTE)


def check_allowance(user_id: object, *, now: float | None = None) -> limiter.Decision:
    limit = checks_per_minute()
    if limit <= 0:
        return limiter.Decision(True, 0)
    return limiter.hit("exercise-checks", user_id, limit=limit, window_s=WINDOW_S, now=now)


def visitor_checks_per_minute() -> int:
    return int(settings.VISITOR_CHECKS_PER_MINUTE)


def visitor_allowance(token: str, address: str, *, now: float | None = None) -> limiter.Decision:
    """A visitor's checks: a stricter limit per session, and a limit per address (sessions are free to make)."""
    per_session = limiter.hit("visitor-checks", token, limit=visitor_checks_per_minute(), window_s=WINDOW_S, now=now)
    if not per_session.allowed:
        return per_session
    limit = int(settings.VISITOR_CHECKS_PER_ADDRESS_PER_MINUTE)
    return limiter.hit("visitor-checks-address", address, limit=limit, window_s=WINDOW_S, now=now)
