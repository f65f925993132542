from __future__ import annotations

import time

import pytest

from courseware.footguns.limits import ScanLimits
from courseware.footguns.prescan import prescan

LIMITS = ScanLimits()


def test_normal_template_passes():
    text = b"Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: {VisibilityTimeout: 60}\n"
    assert prescan("template.yaml", text) is None


def test_anchors_used_a_few_times_pass():
    text = b"base: &b {Timeout: 10, MemorySize: 512}\nA: *b\nB: *b\nC: {<<: *b, Timeout: 20}\n"
    assert prescan("t.yaml", text) is None


def test_alias_expansion_counts_nested_aliases():
    limits = ScanLimits(max_alias_nodes=50)
    text = b"a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    message = prescan("t.yaml", text, limits)
    assert message is not None and "alias" in message


def test_depth_limit_is_exact():
    limits = ScanLimits(max_depth=3)
    assert prescan("t.yaml", b"a: {b: {c: 1}}\n", limits) is None
    assert prescan("t.yaml", b"a: {b: {c: {d: 1}}}\n", limits) is not None
    assert prescan("t.json", b'{"a": {"b": {"c": 1}}}', limits) is None
    assert prescan("t.json", b'{"a": {"b": {"c": {"d": 1}}}}', limits) is not None


def test_brackets_inside_json_strings_do_not_count():
    limits = ScanLimits(max_depth=2)
    assert prescan("t.json", b'{"a": "[[[[[[{{{{{"}', limits) is None


def test_key_limit():
    limits = ScanLimits(max_keys=3)
    assert prescan("t.yaml", b"a: 1\nb: 2\nc: 3\n", limits) is None
    assert prescan("t.yaml", b"a: 1\nb: 2\nc: 3\nd: 4\n", limits) is not None
    assert prescan("t.json", b'{"a": 1, "b": 2, "c": 3, "d": 4}', limits) is not None


def test_syntax_errors_are_left_to_the_parser():
    assert prescan("t.yaml", b"a: [1, 2\n") is None


def test_python_only_gets_the_size_cap():
    assert prescan("app.py", b"x = " + b"(" * 500) is None
    assert prescan("app.py", b"x" * (LIMITS.max_file_bytes + 1)) is not None


def test_bomb_is_rejected_in_milliseconds():
    bomb = b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
        f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n".encode() for i in range(1, 9)
    )
    started = time.perf_counter()
    assert prescan("t.yaml", bomb) is not None
    assert time.perf_counter() - started < 0.05


def test_a_long_terraform_operator_chain_is_rejected_fast():
    chain = "locals {\n  a = " + " + ".join(["1"] * 15_000) + "\n}\n"
    started = time.perf_counter()
    message = prescan("main.tf", chain.encode())
    assert message is not None and "operators" in message
    assert time.perf_counter() - started < 0.5


def test_operators_in_strings_comments_and_heredocs_do_not_count():
    text = (
        'x = "' + "+" * 3000 + '"\n'
        "# " + "-" * 3000 + "\n"
        "/* " + "*" * 3000 + " */\n"
        "policy = <<EOT\n" + "a - b + c\n" * 1500 + "EOT\n"
        "y = 1 + 2\n"
    )
    assert prescan("main.tf", text.encode()) is None


# The engine's own loading defers YAML that cannot nest dangerously to the loader, which measures the composed nodes
# (parsers/yaml_lines._Tally): the verdict and the message must be the event pass's, whatever the input.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from courseware.footguns.loading import load_file  # noqa: E402
from courseware.footguns.parsers.pyyaml import yaml  # noqa: E402
from courseware.footguns.prescan import SAFE_COMPOSE_DEPTH, nesting_bound  # noqa: E402
from courseware.sandbox import canaries  # noqa: E402

SMALL = ScanLimits(max_depth=6, max_alias_nodes=60, max_keys=12, max_scalar_bytes=40)
HOSTILE = {
    "alias bomb": canaries.ALIAS_BOMB,
    "nested aliases": "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
    "merge-key bomb": "a: &a {x: 1, y: 2, z: 3}\nb: &b {<<: [*a, *a], w: 4}\n"
                      "c: &c {<<: [*b, *b], v: 5}\nd: [*c, *c, *c]\n",
    "deep flow": "[" * 8 + "]" * 8,
    "deep block": "".join("  " * i + f"k{i}:\n" for i in range(8)) + "  " * 8 + "leaf: 1\n",
    "deep sequences on one line": "- - - - - - - - x\n",
    "many keys": "".join(f"k{i}: {i}\n" for i in range(13)),
    "keys over two documents": "".join(f"a{i}: 1\n" for i in range(7)) + "---\n"
                               + "".join(f"b{i}: 1\n" for i in range(7)),
    "long value": "a: " + "x" * 41 + "\n",
    "long key": "k" * 41 + ": 1\n",
    "an alias to an open anchor": "&a [1, *a]\n",
    "an anchored scalar used often": "a: &s word\n" + "".join(f"b{i}: *s\n" for i in range(10)),
    "fine": "Resources:\n  A: {Type: 'AWS::SQS::Queue', Properties: {VisibilityTimeout: 60}}\n",
    "fine stream": "a: 1\n---\nb: [1, 2]\n",
    "syntax error after a bomb": canaries.ALIAS_BOMB + "---\n: : :\n",
}  # fmt: skip


def _verdicts(text: str, limits: ScanLimits) -> tuple[str | None, str | None]:
    scanned = prescan("t.yaml", text.encode(), limits)
    loaded = load_file("t.yaml", text, limits)
    return scanned, loaded.error_message if loaded.status == "rejected" else None


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("limits", [LIMITS, SMALL], ids=["default", "small"])
def test_measuring_the_composed_nodes_rejects_what_the_event_pass_rejects(name, limits):
    text = HOSTILE[name]
    assert nesting_bound(text.encode()) <= SAFE_COMPOSE_DEPTH  # so the loader measured it, not the event pass
    scanned, loaded = _verdicts(text, limits)
    assert loaded == scanned


def test_text_that_could_nest_deeply_still_gets_the_event_pass():
    data = canaries.DEEP_NESTING.encode()
    assert nesting_bound(data) > SAFE_COMPOSE_DEPTH
    loaded = load_file("t.yaml", data, ScanLimits(max_file_bytes=len(data)))
    assert loaded.status == "rejected" and "nested more than" in loaded.error_message


_trees = st.recursive(
    st.none() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=4), inner, max_size=3),
    max_leaves=30,
)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@settings(max_examples=200, deadline=None)
@given(_trees, st.sampled_from([None, False, True]), st.integers(min_value=0, max_value=4))
def test_the_nesting_bound_is_an_upper_bound_in_every_style(tree, flow, indent):
    text = yaml.safe_dump(tree, default_flow_style=flow, indent=indent + 2).encode()
    assert _depth(tree) <= nesting_bound(text)
