"""serverless-rules' own tests of the rules this engine shares with it: same verdict, or a stated reason.

Each entry: the file, our rule, and the functions it must fire on (an empty set: it must not fire).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from courseware.footguns.engine import check_files

FOLDER = Path(__file__).parent / "conformance" / "serverless-rules"
TODAY = datetime.date(2026, 12, 7)
ASYNC_FUNCTIONS = {
    "CloudWatchEventFunction", "EventBridgeRuleFunction", "IoTRuleFunction", "S3Function", "ScheduleFunction",
    "SNSFunction",
}  # fmt: skip
EXPECTED = {
    # ES1005 (default memory size)
    "es1005.pass.yaml": ("aws-lambda/default-memory", set()),
    # ES1006 (default timeout)
    "es1006.fail.yaml": ("aws-lambda/default-timeout", {"Function"}),
    "es1006.pass.yaml": ("aws-lambda/default-timeout", set()),
    # ES1007 (async failure destination): every asynchronous source, and Globals count
    "es1007.fail.yaml": ("aws-lambda/async-no-failure-destination", ASYNC_FUNCTIONS),
    "es1007.pass.yaml": ("aws-lambda/async-no-failure-destination", set()),
    # WS1003 (star permissions): service:* and *, never a narrower glob such as s3:Get*
    "ws1003.fail.yaml": ("aws-lambda/wildcard-permissions", {"Function"}),
    "ws1003-fullstar.fail.yaml": ("aws-lambda/wildcard-permissions", {"Function"}),
    "ws1003-substar.pass.yaml": ("aws-lambda/wildcard-permissions", set()),
    "ws1003.pass.yaml": ("aws-lambda/wildcard-permissions", set()),  # s3:* on a role EC2 assumes is not ours
    # Named after WS1003 but it fails their ES1007: the SNS event has no failure destination (EventBridge has one)
    "ws1003-permissions.fail.yaml": ("aws-lambda/async-no-failure-destination", {"Function"}),
    # WS1004 (log retention): the group is linked to its function however its name is written
    "ws1004-missing.fail.yaml": ("aws-lambda/log-retention-unset", {"Function"}),
    "ws1004-noretention.fail.yaml": ("aws-lambda/log-retention-unset", {"Function"}),
    "ws1004.pass.yaml": ("aws-lambda/log-retention-unset", set()),
    "ws1004-sub.pass.yaml": ("aws-lambda/log-retention-unset", set()),
    "ws1004-sub-vars.pass.yaml": ("aws-lambda/log-retention-unset", set()),
    "ws1004-join.pass.yaml": ("aws-lambda/log-retention-unset", set()),
    "ws1004-hardcoded.pass.yaml": ("aws-lambda/log-retention-unset", set()),
    "ws1004-sub-vars-hardcoded.pass.yaml": ("aws-lambda/log-retention-unset", set()),
}


def test_every_copied_template_has_an_expectation():
    assert {p.name for p in FOLDER.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_engine_agrees_with_serverless_rules(name):
    rule, functions = EXPECTED[name]
    report = check_files({name: (FOLDER / name).read_bytes()}, today=TODAY)
    fired = {f.resource for f in report.findings if f.rule == rule}
    assert fired == functions


TFLINT_FOLDER = Path(__file__).parent / "conformance" / "serverless-rules-tflint"
ROLE = "aws-lambda/wildcard-permissions"
ASYNC = "aws-lambda/async-no-failure-destination"
ELSEWHERE = {"my-lambda-function"}
THIS = {"aws_lambda_function.this"}
MEMORY, TIMEOUT, RUNTIME = "aws-lambda/default-memory", "aws-lambda/default-timeout", "aws-lambda/deprecated-runtime"
RETENTION = "aws-lambda/log-retention-unset"
TFLINT_EXPECTED = {
    # aws_iam_role_lambda_no_star: a role Lambda can assume, whoever uses it
    "aws_iam_role_lambda_no_star-inline-has-star.fail.tf": (ROLE, {"the Lambda role aws_iam_role.this"}),
    "aws_iam_role_lambda_no_star-inline-valid.pass.tf": (ROLE, set()),
    # aws_lambda_event_invoke_config_async_on_failure: an SNS permission for a function defined elsewhere
    "async_on_failure-missing-invoke-config.fail.tf": (ASYNC, ELSEWHERE),
    "async_on_failure-missing-destination-config.fail.tf": (ASYNC, ELSEWHERE),
    "async_on_failure-missing-on-failure.fail.tf": (ASYNC, ELSEWHERE),
    "async_on_failure-missing-destination.fail.tf": (ASYNC, ELSEWHERE),
    "async_on_failure-valid.pass.tf": (ASYNC, set()),
    "async_on_failure-no-async.pass.tf": (ASYNC, set()),
    "async_on_failure-no-async-invoke-config.pass.tf": (ASYNC, set()),
    # aws_lambda_function_default_memory / _default_timeout
    "default_memory-missing.fail.tf": (MEMORY, THIS),
    "default_memory-valid.pass.tf": (MEMORY, set()),
    "default_timeout-missing.fail.tf": (TIMEOUT, THIS),
    "default_timeout-valid.pass.tf": (TIMEOUT, set()),
    # aws_lambda_function_eol_runtime
    "eol_runtime-dotnetcore2.1.fail.tf": (RUNTIME, THIS),
    "eol_runtime-python2.7.fail.tf": (RUNTIME, THIS),
    "eol_runtime-ruby2.5.fail.tf": (RUNTIME, THIS),
    "eol_runtime-nodejs10.x.fail.tf": (RUNTIME, THIS),
    # Disagreement on purpose: their case predates python3.8's deprecation (2024-10-14, AWS's runtime table);
    # on 2026-12-07 it is past end of life, and we report it.
    "eol_runtime-python3.8.pass.tf": (RUNTIME, THIS),
    # aws_cloudwatch_log_group_lambda_retention
    "log_retention-missing-log-group.fail.tf": (RETENTION, THIS),
    "log_retention-missing-retention.fail.tf": (RETENTION, THIS),
    "log_retention-valid.pass.tf": (RETENTION, set()),
    "log_retention-non-lambda.pass.tf": (RETENTION, set()),
}  # fmt: skip


def test_every_copied_terraform_case_has_an_expectation():
    assert {p.name for p in TFLINT_FOLDER.glob("*.tf")} == set(TFLINT_EXPECTED)


@pytest.mark.parametrize("name", sorted(TFLINT_EXPECTED))
def test_the_engine_agrees_with_the_serverless_rules_tflint_plugin(name):
    rule, resources = TFLINT_EXPECTED[name]
    report = check_files({name: (TFLINT_FOLDER / name).read_bytes()}, today=TODAY)
    assert {f.resource for f in report.findings if f.rule == rule} == resources
