"""The YAML loader's fast paths (resolver, node builder) answer exactly as PyYAML's general ones."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.yaml_lines import LineLoader, load_yaml, load_yaml_documents

TRICKY_SCALARS = [
    "", "~", "null", "Null", "NULL", "nul", "true", "True", "yes", "Yes", "NO", "on", "Off", "y", "n",
    "0", "-0", "+12", "0o17", "017", "0x1F", "0b101", "1_000", "1:30", "190:20:30", "3.14", "-.5", "1e3",
    "6.8523015e+5", ".inf", "-.Inf", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=",
    "-", "--", ".", "+", "0.", "._", "12abc", "a: b", "[x]", "Ref", "!Ref x", "1.2.3", "0xZZ", "é", "∞",
]  # fmt: skip


@pytest.fixture(scope="module")
def resolvers():
    fast = LineLoader("")
    general = yaml.SafeLoader("")
    yield fast, general
    fast.dispose()


@pytest.mark.parametrize("value", TRICKY_SCALARS)
@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False), (True, True)])
def test_scalar_resolution_matches_pyyaml(resolvers, value, implicit):
    fast, general = resolvers
    assert fast.resolve(ScalarNode, value, implicit) == general.resolve(ScalarNode, value, implicit)


@given(st.text(alphabet=st.sampled_from("0123456789+-._:eExXoObB~yYnNtTfF<=aA ,!&*"), max_size=12) | st.text())
def test_random_scalars_resolve_as_pyyaml_does(value):
    fast, general = LineLoader(""), yaml.SafeLoader("")
    try:
        assert fast.resolve(ScalarNode, value, (True, False)) == general.resolve(ScalarNode, value, (True, False))
    finally:
        fast.dispose()


def test_collections_resolve_to_the_default_tags(resolvers):
    fast, general = resolvers
    for kind in (SequenceNode, MappingNode):
        assert fast.resolve(kind, None, (True, False)) == general.resolve(kind, None, (True, False))


def test_documents_build_the_values_pyyaml_builds():
    text = (
        "a: 1\nb: [1, 2.5, true, null, ~, 'quoted', \"x\\ty\"]\nc: {d: yes, e: 0x1F, f: -.inf}\n"
        "g:\n  - h: i\n  - [j, {k: l}]\nm: |\n  block\n  text\nn: 1_000\n"
    )
    built = load_yaml(text)
    expected = yaml.safe_load(text)
    assert built == expected
    assert built.key_lines == {"a": 1, "b": 2, "c": 3, "g": 4, "m": 7, "n": 10}
    assert built["g"].item_lines == [5, 6]


def test_timestamps_stay_text_and_explicit_tags_still_apply():
    built = load_yaml("when: 2001-12-14\nnumber: !!int '12'\ntext: !!str 12\n")
    assert built == {"when": "2001-12-14", "number": 12, "text": "12"}


def test_an_alias_yields_the_object_its_anchor_built():
    built = load_yaml("base: &b {x: 1}\nother: *b\nlist: &l [1, 2]\nagain: *l\n")
    assert built["other"] is built["base"] and built["again"] is built["list"]


def test_merge_keys_still_merge():
    built = load_yaml("base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n")
    assert built["child"] == {"x": 1, "y": 3}


def test_a_collection_that_contains_itself_is_an_error():
    with pytest.raises(ParseError, match="recursive"):
        load_yaml("&a [1, *a]\n")


def test_every_document_of_a_stream_is_built():
    documents = load_yaml_documents("# a comment\na: 1\n---\n- 2\n--- x\n")
    assert documents == [(2, {"a": 1}), (4, [2]), (5, "x")]


@pytest.mark.parametrize(
    ("text", "message"),
    [("x: !!seq {a: b}\n", "expected a sequence node, but found mapping"),
     ("x: !!map [a]\n", "expected a mapping node, but found sequence"),
     ("x: !!str [a]\n", "expected a scalar node, but found sequence")],
)  # fmt: skip
def test_an_explicit_tag_on_the_wrong_kind_of_node_is_a_parse_error_with_its_line(text, message):
    with pytest.raises(ParseError, match=message) as error:
        load_yaml(text)
    assert error.value.line == 1


@pytest.mark.parametrize(
    "text",
    [
        "b: &b {x: 1}\nc: {!!merge <<: *b, y: 2}\n",
        "%TAG !e! tag:yaml.org,2002:\n---\nb: &b {x: 1}\nc: {!e!merge k: *b}\n",
    ],
)
def test_merge_keys_spelled_as_tags_still_merge(text):
    assert load_yaml(text)["c"]["x"] == 1
