"""Actions other apps offer on a cohort's page (live sessions, the dashboard), registered by those apps.

The cohorts app names none of them: an app registers a function `(cohort) -> (label, url) | None` in its
AppConfig.ready, and the cohort page shows each as a button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CohortLink = Callable[[Any], "tuple[str, str] | None"]
_LINKS: list[CohortLink] = []


def register_cohort_link(link: CohortLink) -> None:
    if link not in _LINKS:
        _LINKS.append(link)


def cohort_links(cohort: Any) -> list[tuple[str, str]]:
    return [found for link in _LINKS if (found := link(cohort)) is not None]
