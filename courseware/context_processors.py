from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from courseware.accounts.roles import is_instructor

# Apps add navigation items (e.g. the review queue count) by registering a provider here,
# explicitly from their AppConfig.ready().
NAV_PROVIDERS: list[Callable[[HttpRequest], dict]] = []


def navigation(request: HttpRequest) -> dict:
    context = {"is_instructor": is_instructor(request.user)}
    for provider in NAV_PROVIDERS:
        context.update(provider(request))
    return context
