"""Login and sign-up limits, through the one rate-limit helper (courseware.ratelimit.limiter).

Logins are keyed by username + client address: a classroom behind one NAT address shares the address, never the
username, so one learner's typos cannot lock out another (reference/security.md §3, ASVS 6.1.1). Every attempt is
counted before the password is checked, so simultaneous guesses cannot slip past the limit; a success clears it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from courseware.ratelimit import limiter

LOGIN = "login"
SIGNUP = "signup"


def client_address(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted and len(hops) >= trusted:
        return hops[-trusted]
    return request.META.get("REMOTE_ADDR", "unknown")


def _login_key(username: str, address: str) -> str:
    return f"{username.strip().lower()}\0{address}"


def login_attempt(username: str, address: str) -> limiter.Decision:
    return limiter.hit(
        LOGIN,
        _login_key(username, address),
        limit=settings.LOGIN_FAILURE_LIMIT,
        window_s=settings.LOGIN_COOLOFF_SECONDS,
    )


def login_succeeded(username: str, address: str) -> None:
    limiter.reset(LOGIN, _login_key(username, address))


def signup_attempt(address: str) -> limiter.Decision:
    # A classroom signs up from one address at once: the burst is a class, not one account.
    return limiter.hit(SIGNUP, address, limit=settings.SIGNUP_LIMIT_PER_HOUR, window_s=3600)
