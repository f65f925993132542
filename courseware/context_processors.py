from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest

from courseware.accounts.roles import is_instructor

# Apps add items to the main navigation by registering a provider here, explicitly, from their
# AppConfig.ready(). A provider returns a list of {"label", "url", optional "count", "current"}.
# Keep providers cheap: they run once per request (one small query at most).
NavProvider = Callable[[HttpRequest], list[dict]]
NAV_PROVIDERS: list[NavProvider] = []
INSTRUCTOR_NAV_PROVIDERS: list[NavProvider] = []
# How long the navigation trusts the role remembered in the session. Only the navigation uses it: every
# authorisation decision asks the database (accounts.roles.is_instructor).
ROLE_DISPLAY_TTL_S = 300


def register_nav(provider: NavProvider, *, instructors_only: bool = False) -> None:
    target = INSTRUCTOR_NAV_PROVIDERS if instructors_only else NAV_PROVIDERS
    if provider not in target:
        target.append(provider)


def _show_instructor_items(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    known = getattr(user, "_is_instructor", None)
    if known is not None:
        return known
    remembered = request.session.get("nav_role")
    if remembered and remembered[0] == user.pk and time.time() - remembered[2] < ROLE_DISPLAY_TTL_S:
        return remembered[1]
    value = is_instructor(user)
    request.session["nav_role"] = (user.pk, value, time.time())
    return value


def navigation(request: HttpRequest) -> dict:
    # Partials rendered inside a page (hub sections) run the context processors again: compute once.
    cached = getattr(request, "_navigation_context", None)
    if cached is not None:
        return cached
    instructor = _show_instructor_items(request)
    nav_items = [item for provider in NAV_PROVIDERS for item in provider(request)]
    instructor_items = (
        [item for provider in INSTRUCTOR_NAV_PROVIDERS for item in provider(request)] if instructor else []
    )
    context = {"is_instructor": instructor, "nav_items": nav_items, "instructor_nav_items": instructor_items}
    request._navigation_context = context
    return context
