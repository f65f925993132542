"""Terraform HCL via tree-sitter's HCL grammar (C), with a line for every block, attribute, object key and item.

Literals become values; references, function calls, conditionals and other expressions keep their source text
as `${...}`, the way Terraform JSON writes them, so the model can resolve `var.x` and `local.x` and find the
resources an expression names. Strings with interpolations keep them as `${...}` inside the text; heredocs keep
their body (trimmed for `<<-`). The parser is linear C code: the Python conversion below is the only recursion,
and a tree nested too deeply for it is a parse error, never a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList
from courseware.footguns.parsers.yaml_lines import MAX_ABS_INT

_LANGUAGE = Language(tree_sitter_hcl.language())
_SKIP = frozenset({"comment", "{", "}", "(", ")", "[", "]", ",", "=", ":", "object_start", "object_end",
                   "tuple_start", "tuple_end", "block_start", "block_end"})  # fmt: skip
# HCL's escapes in quoted strings (https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md#template-literals).
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[nrt\"\\])")
_ESCAPES = {"\\n": "\n", "\\r": "\r", "\\t": "\t", '\\"': '"', "\\\\": "\\"}
_TEMPLATE_ESCAPE = re.compile(r"\$\$\{|%%\{")


@dataclass
class TfBlock:
    kind: str  # resource | data | variable | locals | module | ...
    labels: tuple[str, ...]
    line: int
    body: LineDict


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group(0)
        if escape in _ESCAPES:
            return _ESCAPES[escape]
        try:
            return chr(int(escape[2:], 16))
        except ValueError:  # beyond Unicode: keep the text as written
            return escape

    return _ESCAPE.sub(one, text)


def _children(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in _SKIP]


def _line(node: Node) -> int:
    return node.start_point[0] + 1


class _Converter:
    def __init__(self, source: bytes) -> None:
        self.source = source

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def expression(self, node: Node) -> Any:
        """An `expression` node (or any node standing for one) as a value."""
        parts = _children(node) if node.type == "expression" else [node]
        if len(parts) != 1:
            return "${" + self.text(node) + "}"  # variable_expr with get_attr, splat, index, ...
        part = parts[0]
        kind = part.type
        if kind == "literal_value":
            return self.literal(part)
        if kind == "collection_value":
            return self.collection(_children(part)[0])
        if kind == "template_expr":
            return self.template(_children(part)[0])
        if kind == "variable_expr":
            return "${" + self.text(part) + "}"
        if kind == "operation":
            negated = self.negative(part)
            if negated is not None:
                return negated
        if kind == "expression":
            return self.expression(part)
        return "${" + self.text(part) + "}"

    def literal(self, node: Node) -> Any:
        inner = _children(node)[0]
        if inner.type == "numeric_lit":
            return self.number(inner)
        if inner.type == "bool_lit":
            return self.text(inner) == "true"
        if inner.type == "null_lit":
            return None
        if inner.type == "string_lit":
            return self.string(inner)
        return "${" + self.text(node) + "}"

    def number(self, node: Node) -> int | float:
        raw = self.text(node)
        try:
            number = int(raw)
        except ValueError:
            return float(raw)
        if abs(number) >= MAX_ABS_INT:
            raise ParseError("A number is too large (beyond 64 bits).", _line(node))
        return number

    def negative(self, node: Node) -> int | float | None:
        inner = _children(node)
        if len(inner) != 1 or inner[0].type != "unary_operation" or self.text(inner[0])[:1] != "-":
            return None
        operands = _children(inner[0])
        if len(operands) == 1 and operands[0].type == "literal_value":
            value = self.literal(operands[0])
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
        return None

    def string(self, node: Node) -> str:
        """A quoted string: its literal parts unescaped, interpolations and directives kept as written."""
        parts = []
        for child in node.named_children:
            if child.type in ("quoted_template_start", "quoted_template_end"):
                continue
            if child.type == "template_literal":
                parts.append(_TEMPLATE_ESCAPE.sub(lambda m: m.group(0)[1:], _unescape(self.text(child))))
            else:
                parts.append(self.text(child))
        return "".join(parts)

    def template(self, node: Node) -> str:
        if node.type == "quoted_template":
            return self.string(node)
        if node.type == "heredoc_template":
            return self.heredoc(node)
        return "${" + self.text(node) + "}"

    def heredoc(self, node: Node) -> str:
        start = node.named_children[0] if node.named_children else None
        identifiers = [c for c in node.named_children if c.type == "heredoc_identifier"]
        if start is None or len(identifiers) < 2:
            return self.text(node)
        trim = self.text(start).startswith("<<-")
        # The body runs from the line after the opening marker to the line of the closing one. Terraform accepts
        # trailing spaces after either marker; the grammar does too.
        body_start = self.source.index(b"\n", identifiers[0].end_byte) + 1
        closing = identifiers[-1]
        body_end = self.source.rfind(b"\n", 0, closing.start_byte) + 1
        body = self.source[body_start:body_end].decode("utf-8", errors="replace")
        lines = body.split("\n")[:-1] if body.endswith("\n") else body.split("\n")
        if trim:
            indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
            cut = min(indents, default=0)
            lines = [line[cut:] for line in lines]
        return "\n".join(lines)

    def collection(self, node: Node) -> Any:
        if node.type == "tuple":
            items = LineList(_line(node))
            for child in _children(node):
                items.append(self.expression(child))
                items.item_lines.append(_line(child))
            return items
        if node.type == "object":
            result = LineDict(_line(node))
            for element in _children(node):
                if element.type != "object_elem":
                    continue
                key_node = element.child_by_field_name("key")
                value_node = element.child_by_field_name("val")
                if key_node is None or value_node is None:
                    named = _children(element)
                    key_node, value_node = named[0], named[-1]
                key = self.key(key_node)
                result[key] = self.expression(value_node)
                result.key_lines[key] = _line(element)
            return result
        return "${" + self.text(node) + "}"

    def key(self, node: Node) -> str:
        value = self.expression(node)
        if isinstance(value, str):
            if value.startswith("${") and value.endswith("}") and _children(node)[:1]:
                inner = _children(node)[0] if node.type == "expression" else node
                if inner.type == "variable_expr" and len(_children(node)) == 1:
                    return self.text(inner)  # a bare name: `key = value`
                return self.text(node)
            return value
        return self.text(node)

    def body(self, node: Node | None, line: int) -> LineDict:
        result = LineDict(line)
        for child in _children(node) if node is not None else []:
            if child.type == "attribute":
                name_node = child.named_children[0]
                name = self.text(name_node)
                value = child.child_by_field_name("val") or _children(child)[-1]
                result[name] = self.expression(value)
                result.key_lines[name] = _line(child)
            elif child.type == "block":
                kind, _labels, inner = self.block_parts(child)
                blocks = result.get(kind)
                if not isinstance(blocks, LineList):
                    blocks = result[kind] = LineList(_line(child))
                    result.key_lines[kind] = _line(child)
                blocks.append(self.body(inner, _line(child)))
                blocks.item_lines.append(_line(child))
        return result

    def block_parts(self, node: Node) -> tuple[str, tuple[str, ...], Node | None]:
        names, inner = [], None
        for child in _children(node):
            if child.type == "body":
                inner = child
            elif child.type == "string_lit":
                names.append(self.string(child))
            elif child.type == "identifier":
                names.append(self.text(child))
        return names[0] if names else "", tuple(names[1:]), inner


def _error_line(node: Node) -> int | None:
    """The line of the first syntax error: a node tree-sitter could not place, or one it had to invent."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return _line(current)
        if current.has_error:
            stack.extend(reversed(current.children))
    return None


def _parse(source: bytes) -> Node:
    tree = Parser(_LANGUAGE).parse(source)
    root = tree.root_node
    if root.has_error:
        line = _error_line(root)
        raise ParseError("Invalid HCL: the file does not follow Terraform's syntax here.", line)
    return root


def _top_body(root: Node) -> Node | None:
    return next((c for c in root.named_children if c.type == "body"), None)


def load_hcl(text: str) -> list[TfBlock]:
    source = text.encode("utf-8")
    root = _parse(source)
    converter = _Converter(source)
    blocks = []
    try:
        body = _top_body(root)
        for child in _children(body) if body is not None else []:
            if child.type != "block":
                continue
            kind, labels, inner = converter.block_parts(child)
            blocks.append(TfBlock(kind, labels, _line(child), converter.body(inner, _line(child))))
    except RecursionError as error:
        raise ParseError("The Terraform file is nested too deeply.") from error
    return blocks


def load_hcl_expression(source: str, first_line: int) -> Any:
    """Parse one HCL expression (e.g. the object inside jsonencode) keeping its lines."""
    text = ("\n" * (first_line - 1) + f"x = {source}\n").encode("utf-8")
    try:
        root = _parse(text)
        body = _top_body(root)
        converter = _Converter(text)
        for child in _children(body) if body is not None else []:
            if child.type == "attribute":
                value = child.child_by_field_name("val") or _children(child)[-1]
                return converter.expression(value)
    except (ParseError, RecursionError):
        return None
    return None
