"""YAML with merge keys, duplicate-key errors and lines, one document or a stream of them.

Built on libyaml's parser (CSafeLoader) for speed; only the constructor is Python. Unknown tags are an error
here; a format with tags of its own (CloudFormation's `!Ref`) subclasses `LineLoader` and adds them.
Run `prescan` first: the constructor recurses, so depth must already be bounded.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList

# Numbers beyond 64 bits are never meaningful in a template and break later code
# (reference/security.md §2.5: hex literals are not capped by Python's digit limit).
MAX_ABS_INT = 2**63
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "The text contains a lone surrogate escape, which is not valid Unicode."


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class LineLoader(yaml.CSafeLoader):
    """Builds LineDict/LineList nodes that know their lines."""


_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"


def construct_mapping(loader: LineLoader, node: MappingNode) -> LineDict:
    result = LineDict(node_line(node))
    key_lines = result.key_lines
    pairs = node.value
    merged = any(key_node.tag == _MERGE_TAG for key_node, _ in pairs)
    for key_node, value_node in pairs:
        if key_node.tag == _MERGE_TAG:
            continue
        key = _key(loader, key_node)
        line = key_node.start_mark.line + 1
        if key in key_lines:
            raise ParseError(
                f"Duplicate key '{key}' (first at line {key_lines[key]}). YAML forbids repeated keys and "
                "tools disagree on which one wins; keep one.",
                line,
            )
        key_lines[key] = line
        if not merged:
            result[key] = loader.construct_object(value_node, deep=True)
    if merged:  # `<<:` merge keys: the mapping's own keys win over merged ones, as YAML says
        key_lines.clear()
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            result[key] = loader.construct_object(value_node, deep=True)
            key_lines[key] = key_node.start_mark.line + 1
    return result


def _key(loader: LineLoader, key_node: yaml.Node) -> str:
    if not isinstance(key_node, ScalarNode):
        raise ParseError("Complex (non-scalar) mapping keys are not supported.", node_line(key_node))
    if key_node.tag == _STR_TAG:  # nearly every key: the scalar is the key, no constructor needed
        value = key_node.value
        if _SURROGATE.search(value):
            raise ParseError(
                "The text contains a lone surrogate escape, which is not valid Unicode.", node_line(key_node)
            )
        return value
    key = loader.construct_object(key_node)
    if isinstance(key, bool) or key is None:
        return key_node.value
    return str(key)


def construct_sequence(loader: LineLoader, node: SequenceNode) -> LineList:
    result = LineList(node_line(node))
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_lines.append(node_line(child))
    return result


def construct_str(loader: LineLoader, node: ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):
        raise ParseError(_SURROGATE_MESSAGE, node_line(node))
    return value


def _construct_int(loader: LineLoader, node: ScalarNode) -> int:
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError as error:
        raise ParseError("A number is too large.", node_line(node)) from error
    if abs(value) >= MAX_ABS_INT:
        raise ParseError("A number is too large (beyond 64 bits).", node_line(node))
    return value


def _construct_raw_scalar(loader: LineLoader, node: ScalarNode) -> str:
    # Timestamps stay text: templates treat dates as strings and JSON has no date type.
    return loader.construct_scalar(node)


def _unsupported(loader: LineLoader, node: yaml.Node) -> None:
    raise ParseError(f"The YAML type {node.tag} is not supported in templates.", node_line(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:str", construct_str)
LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_raw_scalar)
for _tag in ("binary", "set", "omap", "pairs"):
    LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported)


def load_yaml(text: str, loader_class: type[LineLoader] = LineLoader) -> Any:
    """One YAML document; a second (`---`) is an error."""
    return _load(text, loader_class, lambda loader: loader.get_single_data())


def load_yaml_documents(text: str, loader_class: type[LineLoader] = LineLoader) -> list[tuple[int, Any]]:
    """Every document of a stream with the line it starts on; empty and comment-only documents are skipped."""

    def read(loader: LineLoader) -> list[tuple[int, Any]]:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                documents.append((node_line(node), loader.construct_document(node)))
        return documents

    return _load(text, loader_class, read)


def _load(text: str, loader_class: type[LineLoader], read: Any) -> Any:
    loader = loader_class(text)
    try:
        return read(loader)
    except ParseError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "invalid YAML"
        if isinstance(error, ConstructorError) and "could not determine a constructor" in problem:
            problem = f"unsupported tag {error.problem.split()[-1]}"
        if "expected a single document" in str(error.context):
            problem = "only one YAML document per file is supported (found '---' starting a second)"
        raise ParseError(f"Invalid YAML: {problem}.", line) from error
    except yaml.YAMLError as error:
        raise ParseError(f"Invalid YAML: {error}.") from error
    except RecursionError as error:
        raise ParseError("The file is nested too deeply.") from error
    finally:
        loader.dispose()
