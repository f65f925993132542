"""YAML with merge keys, duplicate-key errors and lines, one document or a stream of them.

Built on libyaml's parser (CSafeLoader) for speed; only the constructor is Python. Unknown tags are an error
here; a format with tags of its own (CloudFormation's `!Ref`) subclasses `LineLoader` and adds them.
Every composed document is measured against the file's limits before anything is built (_Tally: depth, keys,
alias expansion, value sizes, as prescan's event pass counts them). libyaml's composer itself recurses, so run
`prescan` first: it either scans the events or shows that the text cannot nest deeply enough to matter.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any

from courseware.footguns.errors import ParseError, Rejected
from courseware.footguns.limits import active_limits
from courseware.footguns.parsers.nodes import LineDict, LineList
from courseware.footguns.parsers.pyyaml import ConstructorError, MappingNode, ScalarNode, SequenceNode, yaml
from courseware.footguns.prescan import too_deep, too_long_scalar, too_many_aliases, too_many_keys

# Numbers beyond 64 bits are never meaningful in a template and break later code
# (reference/security.md §2.5: hex literals are not capped by Python's digit limit).
MAX_ABS_INT = 2**63
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = "The text contains a lone surrogate escape, which is not valid Unicode."


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class LineLoader(yaml.CSafeLoader):
    """Builds LineDict/LineList nodes that know their lines.

    libyaml calls the three resolver methods below for every node of every file; PyYAML's general versions
    also serve path resolvers, which no loader here registers, so these do only what the safe schema needs
    and answer exactly as PyYAML's would (tests/footguns/test_yaml_lines.py compares them).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # A merge key is a plain `<<` or a tag that spells "merge" (`!!merge`, `!<tag:yaml.org,2002:merge>`, a
        # %TAG handle's `!h!merge`): text without either has none, and its mappings skip looking for one.
        self.may_merge = "<<" in stream or "merge" in stream

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _FIRST_CHARACTER_RESOLVERS.get(value[:1], ()):  # type: ignore[index]
                    if regexp.match(value):
                        return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# Implicit scalar tags whose constructors are plain functions of (loader, node).
# PyYAML's implicit resolvers (the YAML 1.1 safe schema) by a scalar's first character. LineLoader.resolve
# relies on there being no wildcard (None) and no path resolvers; a loader here never adds resolvers.
_FIRST_CHARACTER_RESOLVERS = {first: tuple(pairs) for first, pairs in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
if None in _FIRST_CHARACTER_RESOLVERS or yaml.CSafeLoader.yaml_path_resolvers:  # a PyYAML that works differently
    raise ImportError("yaml_lines expects PyYAML's safe loader without wildcard or path resolvers")
_PLAIN_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp"))


def build(loader: LineLoader, node: yaml.Node) -> Any:
    """What `loader.construct_object(node, deep=True)` returns, without its generic machinery for the common tags.

    Every node of every file passes here, so plain strings, the implicit scalars, mappings and sequences go
    straight to their constructors; anything else (a format's own tags, merge keys' targets) takes PyYAML's
    path. Collections keep construct_object's bookkeeping: an alias yields the object its anchor built, and a
    collection that contains itself is an error.
    """
    kind = node.__class__
    tag = node.tag
    if kind is ScalarNode:
        if tag == _STR_TAG:
            value = node.value
            if _SURROGATE.search(value):
                raise ParseError(_SURROGATE_MESSAGE, node_line(node))
            return value
        if tag in _PLAIN_SCALAR_TAGS:
            return loader.yaml_constructors[tag](loader, node)
        return loader.construct_object(node, deep=True)
    if not ((kind is MappingNode and tag == _MAP_TAG) or (kind is SequenceNode and tag == _SEQ_TAG)):
        return loader.construct_object(node, deep=True)
    constructed = loader.constructed_objects
    if node in constructed:
        return constructed[node]
    if node in loader.recursive_objects:
        raise ConstructorError(None, None, "found unconstructable recursive node", node.start_mark)
    loader.recursive_objects[node] = None
    data = construct_mapping(loader, node) if kind is MappingNode else construct_sequence(loader, node)
    constructed[node] = data
    del loader.recursive_objects[node]
    return data


def _expect(node: yaml.Node, kind: type, name: str) -> None:
    if node.__class__ is not kind:  # an explicit tag on the wrong kind of node: `!!seq {a: b}`
        raise ParseError(f"Invalid YAML: expected a {name} node, but found {node.id}.", node_line(node))


def construct_mapping(loader: LineLoader, node: MappingNode) -> LineDict:
    _expect(node, MappingNode, "mapping")
    result = LineDict(node_line(node))
    key_lines = result.key_lines
    pairs = node.value
    merged = loader.may_merge and any(key_node.tag == _MERGE_TAG for key_node, _ in pairs)
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
            result[key] = build(loader, value_node)
    if merged:  # `<<:` merge keys: the mapping's own keys win over merged ones, as YAML says
        key_lines.clear()
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            result[key] = build(loader, value_node)
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
    _expect(node, SequenceNode, "sequence")
    result = LineList(node_line(node))
    for child in node.value:
        result.append(build(loader, child))
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


class _Tally:
    """What prescan's event pass counts, counted on the composed nodes of a stream's documents, in document order:
    nesting depth and scalar sizes as written, keys as written, and every node an alias expands to (an alias adds
    the size of what its anchor holds; one still open counts 1, as in the event pass). Nodes an alias shares are
    walked once, so this is linear in the text however large the expansion. Raises Rejected with prescan's
    messages; the active limits are the file's (loading.load_file)."""

    def __init__(self) -> None:
        self.limits = active_limits()
        self.keys = 0
        self.expanded = 0
        self.sizes: dict[int, int] = {}  # id(node) -> expanded size once walked; _OPEN while being walked

    def measure(self, root: yaml.Node) -> None:
        limits, sizes, max_scalar = self.limits, self.sizes, self.limits.max_scalar_bytes
        if root.__class__ is ScalarNode:
            if len(root.value) > max_scalar:
                raise Rejected(too_long_scalar(limits))
            self.expanded += 1
        else:
            sizes[id(root)] = _OPEN
            self._count_keys(root)
            stack: list[tuple[yaml.Node, int, Any, list[int]]] = [(root, 1, _children(root), [1])]
            while stack:
                node, depth, children, size = stack[-1]
                for child in children:
                    # A scalar counts 1 wherever it appears, an alias to one too: scalars need no bookkeeping.
                    if child.__class__ is ScalarNode:
                        if len(child.value) > max_scalar:
                            raise Rejected(too_long_scalar(limits))
                        size[0] += 1
                        continue
                    known = sizes.get(id(child))
                    if known is not None:  # an alias (or an anchor still open: 1, like the event pass)
                        size[0] += 1 if known == _OPEN else known
                        continue
                    if depth + 1 > limits.max_depth:
                        raise Rejected(too_deep(limits))
                    sizes[id(child)] = _OPEN
                    self._count_keys(child)
                    stack.append((child, depth + 1, _children(child), [1]))
                    break
                else:
                    stack.pop()
                    sizes[id(node)] = size[0]
                    if stack:
                        stack[-1][3][0] += size[0]
                    else:
                        self.expanded += size[0]
        if self.expanded > limits.max_alias_nodes:
            raise Rejected(too_many_aliases(limits))

    def _count_keys(self, node: yaml.Node) -> None:
        if node.__class__ is MappingNode:
            self.keys += len(node.value)
            if self.keys > self.limits.max_keys:
                raise Rejected(too_many_keys(self.limits))


_OPEN = -1


def _children(node: yaml.Node) -> Any:
    if node.__class__ is MappingNode:
        return chain.from_iterable(node.value)  # key, value, key, value ...
    return iter(node.value)


def load_yaml(text: str, loader_class: type[LineLoader] = LineLoader) -> Any:
    """One YAML document; a second (`---`) is an error."""

    def read(loader: LineLoader) -> Any:
        node = loader.get_single_node()
        if node is None:
            return None
        _Tally().measure(node)
        return loader.construct_document(node)

    return _load(text, loader_class, read)


def load_yaml_documents(text: str, loader_class: type[LineLoader] = LineLoader) -> list[tuple[int, Any]]:
    """Every document of a stream with the line it starts on; empty and comment-only documents are skipped."""

    def read(loader: LineLoader) -> list[tuple[int, Any]]:
        documents = []
        tally = _Tally()
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                tally.measure(node)
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
