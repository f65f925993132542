"""Terraform HCL via python-hcl2, with a line for every block, attribute and object key.

python-hcl2 8.1.4 accepts `with_meta` but does not emit line metadata, so lines come
from the raw lark tree, which lists blocks and attributes in the same order as the
serialised dict; the two are walked side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList

try:  # importing hcl2 builds its grammar (~1 s); pre-import it in long-lived processes
    import hcl2
    from hcl2.utils import SerializationOptions
    from lark import Tree
    from lark.exceptions import LarkError
except ImportError:  # pragma: no cover
    hcl2 = None

_OPTIONS = (
    SerializationOptions(
        strip_string_quotes=True, with_comments=False, explicit_blocks=True, preserve_heredocs=False
    )
    if hcl2 is not None
    else None
)


@dataclass
class TfBlock:
    kind: str  # resource | data | variable | locals | module | ...
    labels: tuple[str, ...]
    line: int
    body: LineDict


@dataclass
class _BodyLines:
    attributes: dict[str, tuple[int, Any]] = field(default_factory=dict)
    blocks: dict[str, list[tuple[int, _BodyLines]]] = field(default_factory=dict)


def _identifier(tree: Any) -> str:
    token = tree.children[0]
    return str(token)


def _collect(body: Any) -> _BodyLines:
    lines = _BodyLines()
    if not isinstance(body, Tree):
        return lines
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _identifier(child.children[0])
            lines.attributes[name] = (child.meta.line, child.children[-1])
        elif child.data == "block":
            name = _identifier(child.children[0])
            inner = next(
                (c for c in child.children if isinstance(c, Tree) and c.data == "body"), None
            )
            lines.blocks.setdefault(name, []).append((child.meta.line, _collect(inner)))
    return lines


def _object_lines(expression: Any) -> dict[str, int]:
    """Lines of the keys of an object literal (one level), e.g. environment variables."""
    found: dict[str, int] = {}
    if not isinstance(expression, Tree):
        return found
    for node in expression.iter_subtrees_topdown():
        if node.data == "object":
            for elem in node.children:
                if isinstance(elem, Tree) and elem.data == "object_elem":
                    key = "".join(str(t) for t in elem.children[0].scan_values(lambda _: True))
                    found.setdefault(key.strip('"'), elem.meta.line)
            break
    return found


def _wrap_value(value: Any, line: int, key_lines: dict[str, int] | None = None) -> Any:
    if isinstance(value, dict):
        result = LineDict(line)
        for key, item in value.items():
            if key == "__is_block__":
                continue
            result[key] = _wrap_value(item, line)
            result.key_lines[key] = (key_lines or {}).get(key, line)
        return result
    if isinstance(value, list):
        items = LineList(line)
        for item in value:
            items.append(_wrap_value(item, line))
            items.item_lines.append(line)
        return items
    return value


def _wrap_body(body: dict, lines: _BodyLines, line: int) -> LineDict:
    result = LineDict(line)
    for key, value in body.items():
        if key == "__is_block__":
            continue
        nested = lines.blocks.get(key)
        if nested is not None and isinstance(value, list):
            items = LineList(nested[0][0])
            for index, item in enumerate(value):
                item_line, item_lines = nested[index] if index < len(nested) else nested[-1]
                items.append(_wrap_body(item, item_lines, item_line) if isinstance(item, dict) else item)
                items.item_lines.append(item_line)
            result[key] = items
            result.key_lines[key] = nested[0][0]
            continue
        attribute_line, expression = lines.attributes.get(key, (line, None))
        result[key] = _wrap_value(value, attribute_line, _object_lines(expression))
        result.key_lines[key] = attribute_line
    return result


def _labelled(kind: str, value: Any, label_count: int) -> tuple[tuple[str, ...], dict]:
    labels: list[str] = []
    for _ in range(label_count):
        if not isinstance(value, dict):
            break
        keys = [k for k in value if k != "__is_block__"]
        if len(keys) != 1:
            break
        labels.append(keys[0])
        value = value[keys[0]]
    return tuple(labels), value if isinstance(value, dict) else {}


def load_hcl(text: str) -> list[TfBlock]:
    if hcl2 is None:  # pragma: no cover
        raise ParseError("Terraform support is not installed (python-hcl2).")
    try:
        tree = hcl2.parses_to_tree(text)
        lines = _collect(next((c for c in tree.children if isinstance(c, Tree)), None))
        data = hcl2.serialize(hcl2.transform(tree), serialization_options=_OPTIONS)
    except LarkError as error:
        line = getattr(error, "line", None)
        message = str(error).splitlines()[0][:200] if str(error) else "syntax error"
        raise ParseError(f"Invalid HCL: {message}", line if isinstance(line, int) else None) from error
    except RecursionError as error:
        raise ParseError("The Terraform file is nested too deeply.") from error
    except (ValueError, TypeError, KeyError, RuntimeError, AttributeError) as error:
        raise ParseError(f"Invalid HCL: {str(error)[:200]}") from error
    blocks = []
    for kind, values in data.items():
        if not isinstance(values, list):
            continue
        tree_blocks = lines.blocks.get(kind, [])
        label_count = {"resource": 2, "data": 2}.get(kind, 1 if kind not in ("locals", "terraform") else 0)
        for index, value in enumerate(values):
            line, body_lines = tree_blocks[index] if index < len(tree_blocks) else (1, _BodyLines())
            labels, body = _labelled(kind, value, label_count)
            blocks.append(TfBlock(kind, labels, line, _wrap_body(body, body_lines, line)))
    return blocks


def load_hcl_expression(text: str, first_line: int) -> Any:
    """Parse one HCL expression (e.g. the object inside jsonencode) keeping its lines."""
    padding = "\n" * (first_line - 1)
    blocks_source = f"{padding}x = {text}\n"
    if hcl2 is None:  # pragma: no cover
        return None
    try:
        tree = hcl2.parses_to_tree(blocks_source)
        lines = _collect(next((c for c in tree.children if isinstance(c, Tree)), None))
        data = hcl2.serialize(hcl2.transform(tree), serialization_options=_OPTIONS)
    except (LarkError, RecursionError, ValueError, TypeError, KeyError, RuntimeError):
        return None
    line, expression = lines.attributes.get("x", (first_line, None))
    return _wrap_nested(data.get("x"), expression, line)


def _wrap_nested(value: Any, expression: Any, line: int) -> Any:
    """Like _wrap_value, but with the line of every object key at any depth."""
    key_lines: dict[str, list[int]] = {}
    if isinstance(expression, Tree):
        for node in expression.iter_subtrees_topdown():
            if node.data == "object_elem":
                key = "".join(str(t) for t in node.children[0].scan_values(lambda _: True))
                key_lines.setdefault(key.strip('"'), []).append(node.meta.line)
    return _wrap_ordered(value, line, key_lines)


def _wrap_ordered(value: Any, line: int, key_lines: dict[str, list[int]]) -> Any:
    if isinstance(value, dict):
        result = LineDict(line)
        for key, item in value.items():
            if key == "__is_block__":
                continue
            queue = key_lines.get(key)
            key_line = queue.pop(0) if queue else line
            result[key] = _wrap_ordered(item, key_line, key_lines)
            result.key_lines[key] = key_line
        return result
    if isinstance(value, list):
        items = LineList(line)
        for item in value:
            wrapped = _wrap_ordered(item, line, key_lines)
            items.append(wrapped)
            items.item_lines.append(getattr(wrapped, "line", line))
        return items
    return value
