"""Cheap streaming checks that run before any object is built.

A YAML alias bomb is a few hundred bytes and nesting deep enough to crash libyaml is
about 100 KB, so a size cap alone is not enough (reference/security.md §2, §5). The
scan reads parser *events* and stops at the first limit, so a bomb is rejected in
milliseconds and the deep input never reaches a recursive constructor.
"""

from __future__ import annotations

import re

from courseware.footguns.limits import ScanLimits
from courseware.footguns.parsers.pyyaml import yaml

_KIB = 1024

# One alternation per token, no nested quantifiers; an unterminated string simply
# runs to the end of the line, so the scan stays linear on hostile input.
_BRACKET_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}():]')


# libyaml's composer recurses once per level of nesting and crashed the process at about 100,000 levels; below
# this many it is safe, and the engine then measures the composed nodes instead of an event pass (measure_nodes).
SAFE_COMPOSE_DEPTH = 1_000


def prescan(
    path: str,
    data: bytes,
    limits: ScanLimits = ScanLimits(),  # noqa: B008
    *,
    defer_yaml: bool = False,
) -> str | None:
    """Why the file must not be parsed, or None. With `defer_yaml`, YAML that cannot nest deeply enough to
    endanger libyaml's composer is left to the loader, which measures the composed nodes against the same limits
    with the same messages (parsers/yaml_lines.py): one pass over the text instead of two. Only the engine's own
    loading defers; the sandbox runner scans everything before it spends a child."""
    if len(data) > limits.max_file_bytes:
        return (
            f"{path} is {len(data) // _KIB} KiB; the limit is {limits.max_file_bytes // _KIB} KiB "
            "per file. Check a smaller file."
        )
    name = path.lower()
    if name.endswith(".py"):
        return None
    if name.endswith(".json"):
        return _scan_brackets(data, limits, count_keys=True)
    if name.endswith((".tf", ".hcl")):
        return _scan_brackets(data, limits, count_keys=False) or _scan_hcl_operators(data, limits)
    if defer_yaml and nesting_bound(data) <= SAFE_COMPOSE_DEPTH:
        return None
    return _scan_yaml(data, limits)


def nesting_bound(data: bytes) -> int:
    """An upper bound on how deep YAML text can nest. Each flow collection opens with a bracket; a block
    collection starts further right than its parent, or (a sequence under a mapping key) at the same column, so
    block nesting is at most two levels per column of the longest line."""
    longest = max(map(len, data.split(b"\n")), default=0)
    return data.count(b"[") + data.count(b"{") + 2 * (longest + 1)


def too_many_aliases(limits: ScanLimits) -> str:
    return (
        f"The YAML anchors and aliases expand to more than {limits.max_alias_nodes:,} nodes (an alias bomb). "
        "Write the values out instead of nesting aliases."
    )


def too_deep(limits: ScanLimits) -> str:
    return (
        f"The file is nested more than {limits.max_depth} levels deep. Real templates are far "
        "flatter; flatten the structure."
    )


def too_many_keys(limits: ScanLimits) -> str:
    return f"The file has more than {limits.max_keys} keys; split it or check a smaller part."


def too_long_scalar(limits: ScanLimits) -> str:
    return (
        f"A single value is longer than {limits.max_scalar_bytes // _KIB} KiB; move large content out of the template."
    )


def _scan_brackets(data: bytes, limits: ScanLimits, *, count_keys: bool) -> str | None:
    text = data.decode("utf-8", errors="replace")
    depth = 0
    keys = 0
    for match in _BRACKET_TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"':
            if len(token) > limits.max_scalar_bytes:
                return too_long_scalar(limits)
        elif first in "[{(":
            depth += 1
            if depth > limits.max_depth:
                return too_deep(limits)
        elif first in "]})":
            depth -= 1
        elif count_keys:
            keys += 1
            if keys > limits.max_keys:
                return too_many_keys(limits)
    return None


# Strings, comments and heredoc openings are skipped whole; what is left that matches is an operator.
_HCL_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|//[^\n]*|/\*|<<-?([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]*\n|&&|\|\||[=!<>]=|[-+*/%]'
)


def _scan_hcl_operators(data: bytes, limits: ScanLimits) -> str | None:
    text = data.decode("utf-8", errors="replace")
    operators = 0
    position = 0
    while match := _HCL_TOKEN.search(text, position):
        lexeme = match.group()
        position = match.end()
        if lexeme[0] in '"#' or lexeme.startswith("//"):
            continue
        if lexeme == "/*":
            end = text.find("*/", position)
            position = len(text) if end < 0 else end + 2
            continue
        if match.group(1):  # a heredoc: skip to its closing marker line
            closing = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*$", re.M).search(text, position)
            position = len(text) if closing is None else closing.end()
            continue
        operators += 1
        if operators > limits.max_operators:
            return (
                f"The file has more than {limits.max_operators:,} operators (+, -, &&, ==, ...). Real "
                "Terraform is far simpler; a chain that long only makes the parser slow. Simplify the "
                "expressions."
            )
    return None


def _scan_yaml(data: bytes, limits: ScanLimits) -> str | None:
    depth = 0
    keys = 0
    expanded = 0
    anchor_sizes: dict[str, int] = {}
    # Per open collection: (anchor, expanded count when it opened, is_mapping, next_is_key).
    stack: list[list] = []
    try:
        for event in yaml.parse(data, Loader=yaml.CSafeLoader):
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                if stack and stack[-1][2]:
                    if stack[-1][3]:
                        keys += 1
                        if keys > limits.max_keys:
                            return too_many_keys(limits)
                    stack[-1][3] = not stack[-1][3]
                if kind is yaml.AliasEvent:
                    size = anchor_sizes.get(event.anchor, 1)
                    expanded += size
                else:
                    expanded += 1
                    if len(event.value) > limits.max_scalar_bytes:
                        return too_long_scalar(limits)
                    if event.anchor is not None:
                        anchor_sizes[event.anchor] = 1
                if expanded > limits.max_alias_nodes:
                    return too_many_aliases(limits)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if stack and stack[-1][2]:
                    if stack[-1][3]:
                        keys += 1
                    stack[-1][3] = not stack[-1][3]
                expanded += 1
                depth += 1
                if depth > limits.max_depth:
                    return too_deep(limits)
                stack.append([event.anchor, expanded, kind is yaml.MappingStartEvent, True])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
                anchor, started, _, _ = stack.pop()
                if anchor is not None:
                    anchor_sizes[anchor] = expanded - started + 1
    except yaml.YAMLError:
        # Syntax errors are reported by the parser itself, with a line.
        return None
    return None
