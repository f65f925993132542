from __future__ import annotations

from .models import PageRead


def pages_read(*, user, topic: str) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(PageRead.objects.for_user(user).in_topic(topic).values_list("kind", flat=True))


def pages_read_by_topic(*, user) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    if not user.is_authenticated:
        return result
    for topic, kind in PageRead.objects.for_user(user).values_list("topic", "kind"):
        result.setdefault(topic, set()).add(kind)
    return result
