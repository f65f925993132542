"""YAML with CloudFormation short tags, merge keys, duplicate-key errors and lines.

Built on libyaml's parser (CSafeLoader) for speed; only the constructor is Python.
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

_FN_TAGS = frozenset(
    {
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue",
        "Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform",
        "ForEach",
    }
)  # fmt: skip


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Loader(yaml.CSafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = _key(loader, key_node)
        if key in seen:
            raise ParseError(
                f"Duplicate key '{key}' (first at line {seen[key]}). YAML forbids repeated keys and "
                "tools disagree on which one wins; keep one.",
                _line(key_node),
            )
        seen[key] = _line(key_node)
    loader.flatten_mapping(node)
    result = LineDict(_line(node))
    for key_node, value_node in node.value:
        key = _key(loader, key_node)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
    return result


def _key(loader: _Loader, key_node: yaml.Node) -> str:
    if not isinstance(key_node, ScalarNode):
        raise ParseError("Complex (non-scalar) mapping keys are not supported.", _line(key_node))
    key = loader.construct_object(key_node)
    if isinstance(key, bool) or key is None:
        return key_node.value
    return str(key)


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(_line(node))
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_lines.append(_line(child))
    return result


def _construct_str(loader: _Loader, node: ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):
        raise ParseError("The text contains a lone surrogate escape, which is not valid Unicode.", _line(node))
    return value


def _construct_int(loader: _Loader, node: ScalarNode) -> int:
    try:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError as error:
        raise ParseError("A number is too large.", _line(node)) from error
    if abs(value) >= MAX_ABS_INT:
        raise ParseError("A number is too large (beyond 64 bits).", _line(node))
    return value


def _construct_raw_scalar(loader: _Loader, node: ScalarNode) -> str:
    # Timestamps stay text: templates treat dates as strings and JSON has no date type.
    return loader.construct_scalar(node)


def _unsupported(loader: _Loader, node: yaml.Node) -> None:
    raise ParseError(f"The YAML type {node.tag} is not supported in templates.", _line(node))


def _construct_cfn_tag(loader: _Loader, suffix: str, node: yaml.Node) -> LineDict:
    if suffix == "Ref" or suffix == "Condition":
        name = suffix
    elif suffix in _FN_TAGS:
        name = "Fn::" + suffix
    else:
        raise ParseError(f"Unknown tag !{suffix}.", _line(node))
    if isinstance(node, ScalarNode):
        value: Any = _construct_str(loader, node)
        if suffix == "GetAtt":
            resource, _, attribute = value.partition(".")
            items = LineList(_line(node))
            items.extend([resource, attribute])
            items.item_lines.extend([_line(node), _line(node)])
            value = items
    elif isinstance(node, SequenceNode):
        value = _construct_sequence(loader, node)
    else:
        value = _construct_mapping(loader, node)
    result = LineDict(_line(node))
    result[name] = value
    result.key_lines[name] = _line(node)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_raw_scalar)
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported)
_Loader.add_multi_constructor("!", _construct_cfn_tag)


def load_yaml(text: str) -> Any:
    loader = _Loader(text)
    try:
        return loader.get_single_data()
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
