"""Terraform HCL via python-hcl2's grammar, with a line for every block, attribute, object key
and list item.

python-hcl2 8.1.4 accepts `with_meta` but emits no line metadata, and its transformer and
serialiser cost about as much as parsing, so only its lark parser is used. The raw tree is
converted here: literals become values; references, function calls, conditionals and
other expressions keep their source text as `${...}`, the way Terraform JSON writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList
from courseware.footguns.parsers.yaml_cfn import MAX_ABS_INT

try:  # importing hcl2 builds its grammar (~1 s); pre-import it in long-lived processes
    import hcl2
    from hcl2.utils import process_escape_sequences
    from lark import Token, Tree
    from lark.exceptions import LarkError
except ImportError:  # pragma: no cover
    hcl2 = None

_LITERALS = {"true": True, "false": False, "null": None}
_SKIP = frozenset({"new_line_or_comment"})


@dataclass
class TfBlock:
    kind: str  # resource | data | variable | locals | module | ...
    labels: tuple[str, ...]
    line: int
    body: LineDict


def _trees(node: Any) -> list[Any]:
    return [c for c in node.children if isinstance(c, Tree) and c.data not in _SKIP]


class _Converter:
    def __init__(self, text: str) -> None:
        self.text = text

    def source(self, node: Any) -> str:
        return self.text[node.meta.start_pos : node.meta.end_pos]

    def name(self, node: Any) -> str:
        if isinstance(node, Token):
            return str(node)
        if node.data == "string":
            return self.string(node)
        return "".join(str(t) for t in node.scan_values(lambda v: isinstance(v, Token)))

    def string(self, node: Any) -> str:
        parts = []
        for part in node.children:
            if not isinstance(part, Tree):
                continue  # the quotes
            inner = part.children[0]
            if isinstance(inner, Token) and inner.type == "STRING_CHARS":
                parts.append(process_escape_sequences(str(inner)))
            elif isinstance(inner, Token):
                parts.append(str(inner))
            else:
                parts.append(self.source(inner))
        return "".join(parts)

    def heredoc(self, token: str, trim: bool) -> str:
        lines = token.split("\n")
        body = lines[1:-2]  # drop `<<EOT` and the closing marker (and the final newline)
        if trim:
            indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
            cut = min(indents, default=0)
            body = [line[cut:] for line in body]
        return "\n".join(body)

    def value(self, node: Any) -> Any:
        if isinstance(node, Token):
            return str(node)
        kind = node.data
        if kind == "expr_term":
            children = [c for c in node.children if not (isinstance(c, Tree) and c.data in _SKIP)]
            if len(children) == 1:
                return self.value(children[0])
            return "${" + self.source(node) + "}"
        if kind == "int_lit":
            number = int(str(node.children[0]))
            if abs(number) >= MAX_ABS_INT:
                raise ParseError("A number is too large (beyond 64 bits).", node.meta.line)
            return number
        if kind == "float_lit":
            return float(str(node.children[0]))
        if kind == "literal_value":
            return _LITERALS[str(node.children[0])]
        if kind == "string":
            return self.string(node)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(str(node.children[0]), kind.endswith("trim"))
        if kind == "tuple":
            items = LineList(node.meta.line)
            for child in _trees(node):
                items.append(self.value(child))
                items.item_lines.append(child.meta.line)
            return items
        if kind == "object":
            result = LineDict(node.meta.line)
            for element in _trees(node):
                key_node, value_node = _trees(element)[0], _trees(element)[-1]
                key = self.key(key_node)
                result[key] = self.value(value_node)
                result.key_lines[key] = element.meta.line
            return result
        if kind == "identifier":
            return "${" + str(node.children[0]) + "}"
        if kind == "unary_op" and str(node.children[0]) == "-":
            operand = self.value(node.children[1])
            if isinstance(operand, (int, float)) and not isinstance(operand, bool):
                return -operand
        return "${" + self.source(node) + "}"

    def key(self, node: Any) -> str:
        inner = node
        while isinstance(inner, Tree) and len(_trees(inner)) == 1 and inner.data != "string":
            inner = _trees(inner)[0]
        if isinstance(inner, Tree) and inner.data == "string":
            return self.string(inner)
        if isinstance(inner, Tree) and inner.data == "identifier":
            return str(inner.children[0])
        return self.source(node)

    def body(self, node: Any, line: int) -> LineDict:
        result = LineDict(line)
        for child in _trees(node) if node is not None else []:
            if child.data == "attribute":
                name = self.name(child.children[0])
                result[name] = self.value(child.children[-1])
                result.key_lines[name] = child.meta.line
            elif child.data == "block":
                kind, _labels, inner = self.block_parts(child)
                blocks = result.get(kind)
                if not isinstance(blocks, LineList):
                    blocks = result[kind] = LineList(child.meta.line)
                    result.key_lines[kind] = child.meta.line
                blocks.append(self.body(inner, child.meta.line))
                blocks.item_lines.append(child.meta.line)
        return result

    def block_parts(self, node: Any) -> tuple[str, tuple[str, ...], Any]:
        parts = _trees(node)
        inner = next((p for p in parts if p.data == "body"), None)
        names = [self.name(p) for p in parts if p.data != "body"]
        return names[0], tuple(names[1:]), inner


def _parse(text: str) -> Any:
    if hcl2 is None:  # pragma: no cover
        raise ParseError("Terraform support is not installed (python-hcl2).")
    try:
        return hcl2.parses_to_tree(text)
    except LarkError as error:
        line = getattr(error, "line", None)
        message = str(error).splitlines()[0][:200] if str(error) else "syntax error"
        raise ParseError(f"Invalid HCL: {message}", line if isinstance(line, int) else None) from error
    except RecursionError as error:
        raise ParseError("The Terraform file is nested too deeply.") from error


def load_hcl(text: str) -> list[TfBlock]:
    tree = _parse(text)
    converter = _Converter(text + "\n")
    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    blocks = []
    try:
        for child in _trees(body) if body is not None else []:
            if child.data != "block":
                continue
            kind, labels, inner = converter.block_parts(child)
            blocks.append(TfBlock(kind, labels, child.meta.line, converter.body(inner, child.meta.line)))
    except RecursionError as error:
        raise ParseError("The Terraform file is nested too deeply.") from error
    return blocks


def load_hcl_expression(source: str, first_line: int) -> Any:
    """Parse one HCL expression (e.g. the object inside jsonencode) keeping its lines."""
    text = "\n" * (first_line - 1) + f"x = {source}\n"
    try:
        tree = _parse(text)
    except ParseError:
        return None
    converter = _Converter(text + "\n")
    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    for child in _trees(body) if body is not None else []:
        if child.data == "attribute":
            return converter.value(child.children[-1])
    return None
