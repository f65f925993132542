"""Deployment checks for the settings that protect accounts (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        return [
            checks.Error(
                "SECRET_KEY is not set.",
                hint="Set the same SECRET_KEY (50+ random characters) on every app server; a key generated per "
                "server breaks sessions across servers and restarts.",
                id="courseware.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def proxy_count_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or not getattr(settings, "BEHIND_TLS_PROXY", False) or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        checks.Warning(
            "BEHIND_TLS_PROXY is on but TRUSTED_PROXY_COUNT is 0: every client would have the proxy's address, so "
            "one person's wrong passwords or join codes would lock out everyone.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For (usually 1) and "
            "make the app servers reachable only through the proxy; or set BEHIND_TLS_PROXY=0 without a proxy.",
            id="courseware.W001",
        )
    ]
