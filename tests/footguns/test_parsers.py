from __future__ import annotations

import pytest

from courseware.footguns.aws_lambda.formats.cfn_yaml import load_cfn_yaml as load_yaml
from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.hcl import load_hcl, load_hcl_expression
from courseware.footguns.parsers.json_lines import load_json
from courseware.footguns.parsers.nodes import line_of


def test_yaml_short_tags_become_long_forms_for_every_node_kind():
    document = load_yaml(
        "a: !Ref Thing\n"
        "b: !GetAtt Thing.Arn\n"
        "c: !GetAtt [Thing, Endpoint.Address]\n"
        "d: !Sub '${Thing}-x'\n"
        "e: !Sub ['${x}', {x: !Ref Thing}]\n"
        "f: !Join [',', [a, b]]\n"
        "g: !If [Cond, 1, 2]\n"
        "h: !Select [0, !GetAZs '']\n"
        "i: !Condition IsProd\n"
    )
    assert document["a"] == {"Ref": "Thing"}
    assert document["b"] == {"Fn::GetAtt": ["Thing", "Arn"]}
    assert document["c"] == {"Fn::GetAtt": ["Thing", "Endpoint.Address"]}
    assert document["d"] == {"Fn::Sub": "${Thing}-x"}
    assert document["e"] == {"Fn::Sub": ["${x}", {"x": {"Ref": "Thing"}}]}
    assert document["f"] == {"Fn::Join": [",", ["a", "b"]]}
    assert document["g"] == {"Fn::If": ["Cond", 1, 2]}
    assert document["h"] == {"Fn::Select": [0, {"Fn::GetAZs": ""}]}
    assert document["i"] == {"Condition": "IsProd"}


def test_yaml_keeps_the_line_of_every_key_and_item():
    document = load_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert line_of(document, "a") == 1
    assert line_of(document["a"], "b") == 2
    assert line_of(document["a"]["c"], 1) == 5


def test_yaml_merge_keeps_lines_of_merged_values():
    document = load_yaml("base: &b\n  T: 1\n  M: 2\nfn:\n  <<: *b\n  T: 3\n")
    assert document["fn"] == {"T": 3, "M": 2}
    assert line_of(document["fn"], "T") == 6
    assert line_of(document["fn"], "M") == 3


def test_yaml_duplicate_keys_name_both_lines():
    with pytest.raises(ParseError) as error:
        load_yaml("a:\n  x: 1\n  y: 2\n  x: 3\n")
    assert error.value.line == 4 and "line 2" in error.value.message


def test_json_lines_and_values():
    document = load_json('{\n  "a": [\n    1,\n    {"b": true}\n  ],\n  "c": null\n}\n')
    assert document == {"a": [1, {"b": True}], "c": None}
    assert line_of(document, "a") == 2 and line_of(document["a"], 1) == 4
    assert line_of(document, "c") == 6


@pytest.mark.parametrize("text", ['{"a": 1,}', "[01]", '{"a" 1}', "{'a': 1}", '{"a": Infinity}', "", "   "])
def test_json_rejects_what_json_rejects(text):
    with pytest.raises(ParseError):
        load_json(text)


def test_hcl_lines_for_blocks_attributes_nested_blocks_and_object_keys():
    (block,) = load_hcl(
        'resource "aws_lambda_function" "f" {\n'
        "  timeout = 10\n"
        "  environment {\n"
        "    variables = {\n"
        '      A = "1"\n'
        '      B = "2"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert (block.kind, block.labels, block.line) == ("resource", ("aws_lambda_function", "f"), 1)
    assert line_of(block.body, "timeout") == 2
    environment = block.body["environment"][0]
    assert line_of(block.body["environment"], 0) == 3
    assert line_of(environment["variables"], "B") == 6


def test_hcl_expression_parsing_keeps_lines():
    value = load_hcl_expression('{\n  Statement = [{\n    Action = "*"\n  }]\n}', 10)
    statement = value["Statement"][0]
    assert statement == {"Action": "*"}
    assert line_of(statement, "Action") == 12


def test_hcl_syntax_error_is_a_parse_error_with_a_line():
    with pytest.raises(ParseError) as error:
        load_hcl('resource "a" "b" {\n  x = \n}\n')
    assert error.value.line is not None


# Terraform that `terraform validate` accepts must parse (python-hcl2 refused the first one).
VALID_TERRAFORM = {
    "heredoc-trailing-space": ('resource "a" "b" {\n  x = <<EOF \nhello\nEOF \n}\n', {"x": "hello"}),
    "indented-heredoc": (
        'resource "a" "b" {\n  x = <<-EOT\n    hi ${var.a}\n      more\n    EOT\n}\n',
        {"x": "hi ${var.a}\n  more"},
    ),
    "template-directives": (
        'resource "a" "b" {\n  x = "%{ for k in var.l }${k},%{ endfor }"\n}\n',
        {"x": "%{ for k in var.l }${k},%{ endfor }"},
    ),
    "provider-function": (
        'resource "a" "b" {\n  x = provider::aws::arn_parse("arn:aws:s3:::b").resource\n}\n',
        {"x": '${provider::aws::arn_parse("arn:aws:s3:::b").resource}'},
    ),
    "escapes": (
        'resource "a" "b" {\n  x = "tab\\tquote\\" \\u00e9 $${literal}"\n}\n',
        {"x": 'tab\tquote" é ${literal}'},
    ),
    "numbers": (
        'resource "a" "b" {\n  x = -5\n  y = 1.5\n  z = null\n  t = true\n}\n',
        {"x": -5, "y": 1.5, "z": None, "t": True},
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", sorted(VALID_TERRAFORM))
def test_terraform_that_terraform_accepts_parses(name):
    text, expected = VALID_TERRAFORM[name]
    (block,) = load_hcl(text)
    assert dict(block.body) == expected


def test_nested_dynamic_blocks_keep_their_structure_and_lines():
    text = (
        'resource "aws_x" "y" {\n  dynamic "rule" {\n    for_each = var.rules\n    content {\n'
        '      dynamic "inner" {\n        for_each = rule.value.items\n        content { name = inner.value }\n'
        "      }\n    }\n  }\n}\n"
    )
    (block,) = load_hcl(text)
    rule = block.body["dynamic"][0]
    inner = rule["content"][0]["dynamic"][0]
    assert rule["for_each"] == "${var.rules}" and inner["content"][0] == {"name": "${inner.value}"}
    assert line_of(block.body["dynamic"], 0) == 2 and line_of(rule["content"][0]["dynamic"], 0) == 5


def test_a_long_operator_chain_parses_and_deep_nesting_is_a_parse_error():
    chain = 'resource "a" "b" {\n  x = ' + " + ".join(["1"] * 15_000) + "\n}\n"
    (block,) = load_hcl(chain)
    assert block.body["x"].startswith("${1 + 1")
    nested = 'resource "a" "b" {\n  x = ' + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n}\n"
    with pytest.raises(ParseError, match="nested too deeply"):
        load_hcl(nested)
