"""CloudFormation YAML: the short tags (`!Ref`, `!GetAtt`, `!Sub` ...) become their `Fn::` forms, with lines."""

from __future__ import annotations

from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList
from courseware.footguns.parsers.pyyaml import ScalarNode, SequenceNode, yaml
from courseware.footguns.parsers.yaml_lines import (
    LineLoader,
    construct_mapping,
    construct_sequence,
    construct_str,
    load_yaml,
    node_line,
)

_FN_TAGS = frozenset(
    {
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue",
        "Join", "Length", "Not", "Or", "Select", "Split", "Sub", "ToJsonString", "Transform",
        "ForEach",
        # Only inside a template's Rules section, but valid YAML there:
        "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
    }
)  # fmt: skip


class CfnLoader(LineLoader):
    """LineLoader plus CloudFormation's short tags."""


def _construct_cfn_tag(loader: LineLoader, suffix: str, node: yaml.Node) -> LineDict:
    if suffix == "Ref" or suffix == "Condition":
        name = suffix
    elif suffix in _FN_TAGS:
        name = "Fn::" + suffix
    else:
        raise ParseError(f"Unknown tag !{suffix}.", node_line(node))
    if isinstance(node, ScalarNode):
        value: Any = construct_str(loader, node)
        if suffix == "GetAtt":
            resource, _, attribute = value.partition(".")
            items = LineList(node_line(node))
            items.extend([resource, attribute])
            items.item_lines.extend([node_line(node), node_line(node)])
            value = items
    elif isinstance(node, SequenceNode):
        value = construct_sequence(loader, node)
    else:
        value = construct_mapping(loader, node)  # type: ignore[arg-type]
    result = LineDict(node_line(node))
    result[name] = value
    result.key_lines[name] = node_line(node)
    return result


CfnLoader.add_multi_constructor("!", _construct_cfn_tag)


def load_cfn_yaml(text: str) -> Any:
    return load_yaml(text, CfnLoader)
