from __future__ import annotations

import time

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
