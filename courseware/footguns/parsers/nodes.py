"""Containers that remember the line of every value they hold.

Scalars cannot carry attributes (`bool` cannot be subclassed), so a mapping keeps the
line of each key and a list the line of each item; `line_of` reads them.
"""

from __future__ import annotations

from typing import Any


class LineDict(dict):
    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class LineList(list):
    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def line_of(container: Any, key: Any = None, default: int | None = None) -> int | None:
    """The line of `container[key]`, or of the container itself when key is None."""
    if key is None:
        return getattr(container, "line", default)
    if isinstance(container, LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LineList) and isinstance(key, int) and 0 <= key < len(container):
        return container.item_lines[key]
    return getattr(container, "line", default)
