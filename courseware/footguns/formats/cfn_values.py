"""Reading CloudFormation values: references, literals and lines."""

from __future__ import annotations

import re
from typing import Any

from courseware.footguns.model import Setting
from courseware.footguns.parsers.nodes import LineDict, LineList, line_of

# ${Name} or ${Name.Attr}; bounded character classes, no nested quantifiers.
_SUB_REF = re.compile(r"\$\{([A-Za-z0-9_]{1,255})(?:\.[A-Za-z0-9_.]{1,255})?\}")


def refs(value: Any, names: Any, found: dict[str, int | None] | None = None) -> dict[str, int | None]:
    """Names (members of `names`) that `value` refers to, each with the line of the reference."""
    if found is None:
        found = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                target = None
                if key == "Ref" and isinstance(inner, str):
                    target = inner
                elif key == "Fn::GetAtt":
                    if isinstance(inner, list) and inner and isinstance(inner[0], str):
                        target = inner[0]
                    elif isinstance(inner, str):
                        target = inner.split(".", 1)[0]
                elif key == "Fn::Sub":
                    template = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(template, str):
                        for match in _SUB_REF.finditer(template):
                            if match.group(1) in names:
                                found.setdefault(match.group(1), line_of(item))
                if target is not None and target in names:
                    found.setdefault(target, line_of(item))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


_ENDPOINT_ATTRIBUTES = ("Endpoint", "ReadEndpoint")
_SUB_ENDPOINT = re.compile(r"\$\{([A-Za-z0-9_]{1,255})\.(?:Endpoint|ReadEndpoint)[A-Za-z0-9_.]{0,100}\}")


def endpoint_refs(value: Any, names: Any) -> set[str]:
    """Names whose connection endpoint `value` uses (GetAtt X.Endpoint.Address, ${X.Endpoint.Port})."""
    found = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                if key == "Fn::GetAtt":
                    parts = inner if isinstance(inner, list) else str(inner).split(".", 1)
                    if (
                        len(parts) == 2
                        and isinstance(parts[0], str)
                        and isinstance(parts[1], str)
                        and parts[1].startswith(_ENDPOINT_ATTRIBUTES)
                        and parts[0] in names
                    ):
                        found.add(parts[0])
                elif key == "Fn::Sub":
                    template = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(template, str):
                        found.update(m for m in _SUB_ENDPOINT.findall(template) if m in names)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def setting(container: Any, key: str, file: str) -> Setting | None:
    if not isinstance(container, dict) or key not in container:
        return None
    return Setting(container[key], file, line_of(container, key))


def get(container: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(container, dict):
            return None
        container = container.get(key)
    return container


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None


def as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if value is None:
        return []
    return [value]


def items_with_lines(value: Any) -> list[tuple[Any, int | None]]:
    if isinstance(value, LineList):
        return list(zip(value, value.item_lines, strict=True))
    return [(item, line_of(value)) for item in as_list(value)]


def is_literal(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def new_line_dict(line: int | None) -> LineDict:
    return LineDict(line or 0)
