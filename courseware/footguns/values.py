"""Values as configs write them, shared by every topic: a setting with its place, whole numbers read safely."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def whole_number(value: Any) -> int | None:
    """A configured whole number: an int, or digits in a string (CloudFormation accepts "300"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    # ASCII digits only: "²".isdigit() is true, and int("²") raises.
    if text and len(text) < 10 and text.isascii() and text.isdigit():
        return int(text)
    return None


def strings_in(value: Any) -> list[str]:
    """Every string inside a parsed value (mappings and lists walked without recursion)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@dataclass(frozen=True)
class Setting:
    """A configured value and where it was written."""

    value: Any
    file: str
    line: int | None


def unreadable_number(setting: Setting | None) -> bool:
    """A literal written where a whole number belongs that is not one ("²", "ten", 1.5, true).

    References and expressions (mappings such as `!Ref`, `${...}`, `var.x`) are unknown, not unreadable.
    """
    if setting is None or setting.value is None or whole_number(setting.value) is not None:
        return False
    value = setting.value
    if isinstance(value, str):
        text = value.strip()
        return not any(mark in text for mark in ("${", "{{", "var.", "local.", "(", "[")) and not text.startswith("-")
    return isinstance(value, bool | float)
