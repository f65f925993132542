"""Extension points other apps register into, explicitly, from their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from .content import Topic

# Sections appended to a topic hub (e.g. the topic's quizzes and exercises), each rendered to HTML.
HUB_SECTIONS: list[Callable[[HttpRequest, Topic], str]] = []


def register_hub_section(section: Callable[[HttpRequest, Topic], str]) -> None:
    if section not in HUB_SECTIONS:
        HUB_SECTIONS.append(section)
