"""Wrong types where the model expects others never crash a rule (no `rule-error`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from courseware.footguns.engine import check_files

FIXTURES = Path(__file__).parent / "fixtures" / "aws-lambda"
CASES = {
    "resources-list.yaml": "Transform: AWS::Serverless-2016-10-31\nResources: [1, 2]\n",
    "properties-string.yaml": (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties: nope\n"
    ),
    "events-list.yaml": (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: [java21]\n      Timeout: {a: 1}\n      Events: [Api]\n"
        "      Policies: {Statement: 1}\n      Environment: {Variables: [A, B]}\n"
    ),
    "type-not-string.yaml": "Resources:\n  F:\n    Type: [AWS::Lambda::Function]\n",
    "intrinsics-wrong-shape.yaml": (
        "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        "      Role: {Fn::GetAtt: 7}\n      Environment: {Variables: {A: {Fn::Sub: [1, 2]}}}\n"
        "  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
        "    Properties: {FunctionName: {Ref: [F]}, EventSourceArn: {Ref: {}}}\n"
    ),
    "serverless.yml": "service: s\nprovider: aws\nfunctions:\n  f: 1\n  g: {events: {sqs: 1}, environment: [1]}\n",
    "other-serverless.yml": "service: s\nfunctions: [1, 2]\nresources: {Resources: 3}\n",
    "main.tf": (
        'resource "aws_lambda_function" "f" {\n  environment = 1\n  timeout = "x"\n'
        "  snap_start = [1]\n  role = [aws_iam_role.r.arn]\n}\n"
        'resource "aws_iam_role_policy" "p" {\n  role = aws_iam_role.r.id\n'
        '  policy = "{\\"Statement\\": 5}"\n}\n'
    ),
    "app.py": "import boto3\nboto3.client('lambda').invoke(*args)\nx = lambda: c.invoke(FunctionName=f())\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_wrong_types_do_not_break_rules(name):
    report = check_files({name: CASES[name]})
    assert "rule-error" not in {f.rule for f in report.findings}


def test_mutated_fixtures_never_break_a_rule():
    rng = random.Random(20261127)
    values = ["[1, 2]", "{a: 1}", "null", "123", "true", "''", "!Ref X", "{Ref: [1]}", "-1", "!Sub [1]"]
    fixtures = sorted(FIXTURES.glob("*.yaml")) + sorted(FIXTURES.glob("*.yml"))
    for _ in range(300):
        path = rng.choice(fixtures)
        lines = path.read_text().splitlines()
        index = rng.randrange(len(lines))
        key, sep, _rest = lines[index].partition(":")
        if sep:
            lines[index] = f"{key}: {rng.choice(values)}"
        report = check_files({path.name: "\n".join(lines) + "\n"})
        assert "rule-error" not in {f.rule for f in report.findings}, (path.name, lines[index])


@pytest.mark.parametrize("value", ['"²"', '"①"', '"' + "9" * 5000 + '"', '"-1"', '"1e3"'])
def test_numbers_that_only_look_like_numbers_never_crash_a_rule(value):
    from courseware.footguns.engine import check_files

    tf = (
        'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  runtime = "python3.13"\n'
        f'  handler = "app.handler"\n  timeout = {value}\n  memory_size = {value}\n'
        f"  reserved_concurrent_executions = {value}\n}}\n"
    )
    report = check_files({"main.tf": tf}, requirements=[{"function": "aws_lambda_function.fn", "timeout": {"max": 9},
                                                        "message": "m"}], topic="aws-lambda")  # fmt: skip
    assert "rule-error" not in {f.rule for f in report.findings}
    assert report.requirements is not None and not report.requirements[0].ok
