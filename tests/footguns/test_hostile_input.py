"""The hostile-input corpus of reference/security.md §6 (H1–H26): every case ends in a
defined status with a clear message, quickly, and never raises."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from courseware.footguns.engine import check_files
from courseware.footguns.limits import ScanLimits

SAM_HEAD = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
BOMB = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9)
)
QUADRATIC = "big: &b [" + ",".join(["1"] * 10000) + "]\nrefs: [" + ",".join(["*b"] * 10000) + "]\n"
DEEP_IF = "".join(" " * i + "if x:\n" for i in range(101)) + " " * 101 + "pass\n"
DEEP_BLOCK = "".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "v: 1\n"


def check_one(name, content, limits=ScanLimits()):  # noqa: B008
    started = time.perf_counter()
    report = check_files({name: content}, limits=limits)
    elapsed = time.perf_counter() - started
    (result,) = report.files
    return result, elapsed


CASES = [
    ("H1-alias-bomb", "t.yaml", BOMB, "rejected", "alias"),
    ("H2-quadratic-alias", "t.yaml", QUADRATIC, "rejected", "alias"),
    ("H3-deep-flow-yaml", "t.yaml", "[" * 200_000, "rejected", "nested"),
    ("H3-deep-flow-yaml-closed", "t.yaml", "[" * 60_000 + "]" * 60_000, "rejected", "nested"),
    ("H4-deep-block-yaml", "t.yaml", DEEP_BLOCK, "rejected", "nested"),
    ("H5-deep-json", "t.json", "[" * 5000 + "]" * 5000, "rejected", "nested"),
    ("H6-huge-int-yaml", "t.yaml", SAM_HEAD + "  F:\n    Timeout: " + "9" * 5000, "parse_error", "number"),
    ("H6-huge-int-json", "t.json", '{"Timeout": ' + "9" * 5000 + "}", "parse_error", "number"),
    ("H7-huge-hex", "t.yaml", "x: 0x" + "f" * 60_000, "parse_error", "number"),
    ("H8-unknown-tag", "t.yaml", "a: !Bogus 1\n", "parse_error", "tag"),
    ("H8-python-tag", "t.yaml", "a: !!python/object/apply:os.system [id]\n", "parse_error", "tag"),
    ("H9-duplicate-yaml", "t.yaml", "Resources: {}\nResources: {}\n", "parse_error", "duplicate"),
    ("H9-duplicate-json", "t.json", '{"Effect": "Deny", "Effect": "Allow"}', "parse_error", "duplicate"),
    ("H12-binary-tag", "t.yaml", "a: !!binary aGVsbG8=\n", "parse_error", "not supported"),
    ("H12-set", "t.yaml", "a: !!set {x, y}\n", "parse_error", "not supported"),
    ("H12-complex-key", "t.yaml", "? [a, b]\n: 1\n", "parse_error", "key"),
    ("H13-multi-document-template", "t.yaml", "Resources: {}\n---\nb: 2\n", "parse_error", "one YAML document"),
    ("H14-oversize", "t.yaml", "a: " + "x" * 300_000, "rejected", "KiB"),
    ("H14-long-scalar", "t.yaml", "a: " + "x" * 70_000, "rejected", "KiB"),
    ("H15-python-unary", "app.py", "-" * 20_000 + "1", "parse_error", ""),
    ("H15-python-sum", "app.py", "x=1" + "+1" * 20_000, "parse_error", ""),
    ("H15-python-cpython-95185", "app.py", "+0" * 209_644, "rejected", "KiB"),
    ("H16-python-parens", "app.py", "x = " + "(" * 201 + "1" + ")" * 201, "parse_error", ""),
    ("H16-python-indent", "app.py", DEEP_IF, "parse_error", ""),
    ("H17-python-nul", "app.py", b"x = 1\x00\n", "parse_error", "NUL"),
    ("H17-invalid-utf8", "app.py", b"x = '\xff\xfe'\n", "parse_error", "UTF-8"),
    ("H17-invalid-utf8-yaml", "t.yaml", b"a: \xc3\x28\n", "parse_error", "UTF-8"),
    ("H21-hcl-unclosed-string", "main.tf", 'a = "0123456789abcdef\n', "parse_error", "HCL"),
    ("H23-hcl-deep-tuple", "main.tf", "a = " + "[" * 5000 + "1" + "]" * 5000, "rejected", "nested"),
    ("H25-lone-surrogate-json", "t.json", '{"a": "\\ud800"}', "parse_error", "surrogate"),
    ("H25-lone-surrogate-text", "t.yaml", "a: \ud800\n", "parse_error", "UTF-8"),
    ("H25-nul-in-json-string", "t.json", '{"a": "x\\u0000y"}', "ok", ""),
    ("H25-raw-nul", "t.json", '{"a": "x\x00y"}', "parse_error", "NUL"),
    ("H25-nan", "t.json", '{"a": NaN}', "parse_error", "JSON"),
    ("binary-junk", "t.yaml", bytes(range(256)) * 4, "parse_error", ""),
]


@pytest.mark.parametrize(("name", "path", "content", "status", "words"), CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_defined_status_quickly(name, path, content, status, words):
    result, elapsed = check_one(path, content)
    assert result.status == status, result.error
    assert elapsed < 2.0
    if status != "ok":
        assert result.error["message"]
        assert words.lower() in result.error["message"].lower()
        assert result.findings[0].rule == "parse-error"


def test_duplicate_key_error_names_the_line():
    result, _ = check_one("t.yaml", "a: 1\nb: 2\na: 3\n")
    assert result.error["line"] == 3


@pytest.mark.parametrize("explicit_first", [True, False])
def test_merge_keys_explicit_value_wins_in_both_orders(explicit_first):
    anchor = "x-defaults: &defaults\n  Timeout: 60\n  Runtime: python3.13\n  Handler: app.handler\n"
    merge, override = "      <<: *defaults\n", "      Timeout: 120\n"
    body = override + merge if explicit_first else merge + override
    text = (
        anchor
        + SAM_HEAD
        + "  Report:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + body
        + "      Events:\n        Get:\n          Type: Api\n"
    )
    result, _ = check_one("template.yaml", text)
    assert result.status == "ok"
    (finding,) = [f for f in result.findings if f.rule == "aws-lambda/timeout-exceeds-api-gateway"]
    assert "120 s" in finding.message


def test_yaml_11_typing_and_odd_values_do_not_crash():
    text = (
        SAM_HEAD + "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: NO\n      Timeout: 22:22\n      MemorySize: 010\n      Tracing: yes\n"
        "      Handler: .nan\n      Description: 2001-12-14\n"
        "      Environment:\n        Variables:\n          Туре: AWS::S3::Bucket\n"
    )
    result, _ = check_one("template.yaml", text)
    assert result.status == "ok"


def test_fullwidth_and_bidi_handler_code_is_analysed_not_run():
    code = 'def handler(event, context):\n    ｅｖａｌ(event["x"])  # \u202e comment\n    s = "\u2066"\n'
    result, _ = check_one("app.py", code)
    assert result.status == "ok"


def test_hcl_regex_hazards_finish():
    text = 'b = "${replace(a, "/[.]$/", "")}"\n' + "x = <<EOT\n" + "y" * 100_000 + "\n"
    result, elapsed = check_one("main.tf", text)
    assert result.status in ("ok", "parse_error")
    assert elapsed < 5.0


def test_rule_regexes_are_safe_against_backtracking():
    name = "a" * 30 + "!"
    env = "".join(f"          {name}{i}: {'a' * 3000}!\n" for i in range(20))
    text = (
        SAM_HEAD + "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.13\n      Handler: app.handler\n"
        "      Environment:\n        Variables:\n" + env
    )
    started = time.perf_counter()
    result, _ = check_one("template.yaml", text)
    assert result.status == "ok"
    assert time.perf_counter() - started < 0.5


def test_finding_flood_is_truncated():
    functions = "".join(
        f"  F{i}:\n    Type: AWS::Serverless::Function\n    Properties: {{Runtime: python3.8}}\n" for i in range(800)
    )
    limits = replace(ScanLimits(), max_file_bytes=10**6, max_keys=50_000)
    report = check_files({"t.yaml": SAM_HEAD + functions}, limits=limits)
    assert report.truncated
    assert len(report.findings) == limits.max_findings
    assert report.to_dict()["truncated"] is True


def test_too_many_files_and_total_size_are_rejected():
    limits = ScanLimits(max_files=2, max_total_bytes=100)
    report = check_files({"a.py": "x=1\n", "b.py": "x=1\n", "c.py": "x=1\n"}, limits=limits)
    assert [r.status for r in report.files] == ["ok", "ok", "rejected"]
    report = check_files({"a.py": "x" * 90, "b.py": "y" * 90}, limits=limits)
    assert [r.status for r in report.files] == ["ok", "rejected"]
