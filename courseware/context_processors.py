from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from courseware.accounts.roles import is_instructor

# Apps add items to the main navigation by registering a provider here, explicitly, from their
# AppConfig.ready(). A provider returns a list of {"label", "url", optional "count", "current"}.
# Keep providers cheap: they run on every page (one small query at most).
NavProvider = Callable[[HttpRequest], list[dict]]
NAV_PROVIDERS: list[NavProvider] = []
INSTRUCTOR_NAV_PROVIDERS: list[NavProvider] = []


def register_nav(provider: NavProvider, *, instructors_only: bool = False) -> None:
    target = INSTRUCTOR_NAV_PROVIDERS if instructors_only else NAV_PROVIDERS
    if provider not in target:
        target.append(provider)


def navigation(request: HttpRequest) -> dict:
    instructor = is_instructor(request.user)
    nav_items = [item for provider in NAV_PROVIDERS for item in provider(request)]
    instructor_items = (
        [item for provider in INSTRUCTOR_NAV_PROVIDERS for item in provider(request)] if instructor else []
    )
    return {"is_instructor": instructor, "nav_items": nav_items, "instructor_nav_items": instructor_items}
