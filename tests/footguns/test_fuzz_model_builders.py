"""Fuzzing the model builders through the engine's one stable entry point, `check_files`.

Valid SAM, CloudFormation, Terraform and Serverless Framework documents, with hostile values where the builders
convert learner input: Unicode digits, huge numbers, floats, booleans, nulls, lists and mappings where a scalar is
expected. Whatever the value, a check ends in a report (findings), never in an exception.
"""

from __future__ import annotations

import json
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courseware.footguns.engine import check_files

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,  # a loaded 2-core CI machine: time is not what is tested here
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.too_slow],
)

TRICKY_TEXT = [
    "²", "٣", "５", "1e999", "-1", "-0", "0x10", " 12 ", "1_000", "12.5", "NaN", "inf", "", " ", "9" * 40,
    "${var.x}", "!Ref X", "true", "null", "\u200b7", "3\n", "𝟗",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(TRICKY_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["Ref", "Fn::GetAtt", "Fn::Sub", "Arn", "Value", "x"]), inner, max_size=2),
    ),
    max_leaves=6,
)

FUNCTION_PROPERTIES = [
    "Timeout", "MemorySize", "ReservedConcurrentExecutions", "Runtime", "Handler", "CodeUri", "Architectures",
    "AutoPublishAlias", "ProvisionedConcurrencyConfig", "Environment", "Policies", "DeadLetterQueue",
    "EventInvokeConfig", "SnapStart", "Tracing", "VpcConfig", "Events", "Role", "LoggingConfig",
]  # fmt: skip


def _report_is_findings(files: dict[str, str]) -> None:
    report = check_files(files).to_dict()  # must not raise
    assert {result["path"] for result in report["files"]} == set(files)
    for result in report["files"]:
        for finding in result["findings"]:
            assert finding["rule"] and finding["message"]
            # A rule that crashed on a converted value is caught as rule-error; that is a conversion bug too.
            assert finding["rule"] != "rule-error", finding["message"]


@FUZZ
@given(
    properties=st.dictionaries(st.sampled_from(FUNCTION_PROPERTIES), values, max_size=5),
    batch_size=values,
    queue_timeout=values,
    globals_timeout=values,
    as_json=st.booleans(),
)
def test_sam_templates_with_hostile_values_end_in_findings(
    properties, batch_size, queue_timeout, globals_timeout, as_json
):
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Globals": {"Function": {"Timeout": globals_timeout}},
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "app.handler",
                    **properties,
                    "Events": {
                        "Jobs": {
                            "Type": "SQS",
                            "Properties": {"Queue": {"Fn::GetAtt": ["Jobs", "Arn"]}, "BatchSize": batch_size},
                        }
                    },
                },
            },
            "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": queue_timeout}},
        },
    }
    if as_json:
        _report_is_findings({"template.json": json.dumps(template, default=str)})
    else:
        _report_is_findings({"template.yaml": yaml.safe_dump(template, allow_unicode=True)})


@FUZZ
@given(properties=st.dictionaries(st.sampled_from(FUNCTION_PROPERTIES), values, max_size=5), concurrency=values)
def test_cloudformation_templates_with_hostile_values_end_in_findings(properties, concurrency):
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", **properties}},
            "Map": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"FunctionName": {"Ref": "Fn"}, "ScalingConfig": {"MaximumConcurrency": concurrency}},
            },
        },
    }
    _report_is_findings({"template.yaml": yaml.safe_dump(template, allow_unicode=True)})


def _hcl(value, depth: int = 0) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, int) else f"{value:.6g}".replace("inf", "1").replace("nan", "0")
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("${", "$${")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_hcl(item, depth + 1) for item in value) + "]"
    return "{" + ", ".join(f'"{key}" = {_hcl(item, depth + 1)}' for key, item in value.items()) + "}"


TERRAFORM_ATTRIBUTES = [
    "timeout", "memory_size", "reserved_concurrent_executions", "runtime", "handler", "architectures",
    "publish", "role", "function_name",
]  # fmt: skip


@FUZZ
@given(
    attributes=st.dictionaries(st.sampled_from(TERRAFORM_ATTRIBUTES), values, max_size=4),
    batch_size=values,
    maximum_concurrency=values,
    visibility=values,
    count=values,
)
def test_terraform_with_hostile_values_ends_in_findings(attributes, batch_size, maximum_concurrency, visibility, count):
    body = "\n".join(f"  {name} = {_hcl(value)}" for name, value in attributes.items())
    text = (
        f'resource "aws_lambda_function" "fn" {{\n  function_name = "fn"\n  count = {_hcl(count)}\n{body}\n}}\n'
        f'resource "aws_sqs_queue" "jobs" {{\n  visibility_timeout_seconds = {_hcl(visibility)}\n}}\n'
        'resource "aws_lambda_event_source_mapping" "jobs" {\n'
        "  event_source_arn = aws_sqs_queue.jobs.arn\n"
        "  function_name    = aws_lambda_function.fn.arn\n"
        f"  batch_size       = {_hcl(batch_size)}\n"
        f"  scaling_config {{\n    maximum_concurrency = {_hcl(maximum_concurrency)}\n  }}\n"
        "}\n"
    )
    _report_is_findings({"main.tf": text})


SERVERLESS_KEYS = ["timeout", "memorySize", "reservedConcurrency", "provisionedConcurrency", "runtime", "handler"]


@FUZZ
@given(
    provider=st.dictionaries(st.sampled_from(SERVERLESS_KEYS), values, max_size=3),
    function=st.dictionaries(st.sampled_from(SERVERLESS_KEYS), values, max_size=4),
    batch_size=values,
    events=values,
)
def test_serverless_services_with_hostile_values_end_in_findings(provider, function, batch_size, events):
    service = {
        "service": "fuzz",
        "provider": {"name": "aws", "runtime": "python3.12", **provider},
        "functions": {
            "worker": {
                "handler": "app.handler",
                **function,
                "events": [{"sqs": {"arn": "arn:aws:sqs:x", "batchSize": batch_size}}],
            },
            "other": {"handler": "app.other", "events": events},
        },
    }
    _report_is_findings({"serverless.yml": yaml.safe_dump(service, allow_unicode=True)})


def test_a_unicode_digit_in_terraform_is_not_a_checker_failure():
    """The case the hardening test found: reserved_concurrent_executions = "²" raised ValueError."""
    text = 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  reserved_concurrent_executions = "²"\n}\n'
    report = check_files({"main.tf": text}).to_dict()
    assert not [f for r in report["files"] for f in r["findings"] if f["rule"] == "rule-error"]
