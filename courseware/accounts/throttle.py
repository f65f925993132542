"""Login throttling keyed by username + client address.

A classroom behind one NAT address shares the address, never the username, so one learner's typos
cannot lock out another (reference/security.md §3, ASVS 6.1.1).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted and len(hops) >= trusted:
        return hops[-trusted]
    return request.META.get("REMOTE_ADDR", "unknown")


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\0{address}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def is_locked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> int:
    key = _key(username, address)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 0, timeout=settings.LOGIN_COOLOFF_SECONDS)
        count = cache.incr(key)
    if count >= settings.LOGIN_FAILURE_LIMIT:
        # The cool-off runs from the failure that reached the limit.
        cache.touch(key, timeout=settings.LOGIN_COOLOFF_SECONDS)
    return count


def reset(username: str, address: str) -> None:
    cache.delete(_key(username, address))
