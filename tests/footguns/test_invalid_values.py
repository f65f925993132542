"""A value that should be a whole number and is not becomes a finding at its line, never an exception and never
"not set" (issue 16, item 5). References and expressions are unknown, not invalid."""

from __future__ import annotations

import pytest

from courseware.footguns.engine import check_files

SAM = "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
TF = 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n'
SLS = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  f:\n    handler: a.b\n"
K8S = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web:1}]\n"
)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("t.yaml", SAM + "      Timeout: ten\n", 6),
        ("t.yaml", SAM + "      MemorySize: 1.5\n", 6),
        ("t.yaml", SAM + "      ReservedConcurrentExecutions: true\n", 6),
        ("main.tf", TF + '  reserved_concurrent_executions = "²"\n}\n', 3),
        ("main.tf", TF + '  timeout = "①"\n}\n', 3),
        ("serverless.yml", SLS + "    timeout: 30s\n", 8),
        ("m.yaml", K8S.replace("  selector:", "  replicas: three\n  selector:"), 5),
        ("m.yaml", K8S.replace("    spec:\n", "    spec:\n      terminationGracePeriodSeconds: 30s\n"), 9),
    ],
)
def test_an_unreadable_number_is_a_finding_at_its_line(name, text, line):
    report = check_files({name: text})
    assert report.files[0].status == "ok", report.files[0].error
    assert [(f.rule, f.line) for f in report.findings if f.rule == "invalid-value"] == [("invalid-value", line)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("t.yaml", SAM + "      Timeout: !Ref Seconds\n"),
        ("t.yaml", SAM + '      Timeout: "300"\n'),
        ("main.tf", TF + "  timeout = var.timeout\n}\n"),
        ("serverless.yml", SLS + "    timeout: ${self:custom.timeout}\n"),
        ("m.yaml", K8S.replace("  selector:", "  replicas: 3\n  selector:")),
    ],
)
def test_references_and_numbers_written_as_text_are_not_invalid(name, text):
    assert not [f for f in check_files({name: text}).findings if f.rule == "invalid-value"]
