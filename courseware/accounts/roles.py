from __future__ import annotations

INSTRUCTORS_GROUP = "instructors"


def is_instructor(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_instructor", None)
    if cached is None:
        cached = user.is_staff or user.groups.filter(name=INSTRUCTORS_GROUP).exists()
        user._is_instructor = cached
    return cached
