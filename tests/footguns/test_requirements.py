"""The Lambda `accept:` vocabulary, evaluated on the same model the rules use."""

from __future__ import annotations

import pytest

from courseware.footguns.aws_lambda import requirements
from courseware.footguns.engine import check_files

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  ImportTimeout:
    Type: Number
    Default: 900
  Unknown:
    Type: Number
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Emails:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: reminder-emails
      MessageRetentionPeriod: 1209600
  EmailsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions:
        - Name: QueueName
          Value: !GetAtt Emails.QueueName
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      AlarmActions: [arn:aws:sns:eu-west-1:123456789012:oncall]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      MemorySize: 512
      Timeout: !Ref ImportTimeout
      ReservedConcurrentExecutions: !Ref Unknown
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:Query
              Resource: !Sub "${Table.Arn}/index/byStatus"
            - Effect: Allow
              Action: dynamodb:UpdateItem
              Resource: !GetAtt Table.Arn
        - SQSSendMessagePolicy:
            QueueName: !GetAtt Emails.QueueName
      Events:
        Api:
          Type: Api
          Properties:
            Path: /
            Method: get
"""

ONLY = {
    "dynamodb:Query": ["Table/index/byStatus"],
    "dynamodb:UpdateItem": ["Table"],
    "sqs:SendMessage*": ["Emails"],
}


def _evaluate(spec: dict, files: dict[str, str] | None = None) -> dict:
    spec = {"message": "m", **spec}
    assert requirements.validate(spec) == []
    report = check_files(files or {"template.yaml": SAM}, requirements=[spec], topic="aws-lambda")
    return report.requirements[0].to_dict()


def test_a_parameter_default_is_the_value_with_its_line():
    result = _evaluate({"function": "Worker", "timeout": {"min": 150, "max": 600}})
    assert not result["ok"] and result["line"] == 6
    assert "900" in result["detail"]


def test_a_parameter_without_default_is_unknown_and_never_meets_a_requirement():
    result = _evaluate({"function": "Worker", "reserved_concurrency": {"min": 1, "max": 25}})
    assert not result["ok"] and "not a value the files show" in result["detail"]


def test_exact_permissions_hold_and_a_managed_policy_breaks_them():
    assert _evaluate({"function": "Worker", "permissions": {"only": ONLY, "require": ONLY}})["ok"]
    broad = SAM.replace(
        "        - SQSSendMessagePolicy:", "        - AmazonSQSFullAccess\n        - SQSSendMessagePolicy:"
    )
    result = _evaluate({"function": "Worker", "permissions": {"only": ONLY}}, {"template.yaml": broad})
    assert not result["ok"] and "sqs:*" in result["detail"] and "AmazonSQSFullAccess" in result["detail"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('!Sub "${Table.Arn}/index/byStatus"', "!GetAtt Table.Arn"),  # Query on the table, not the index
        ('!Sub "${Table.Arn}/index/byStatus"', '"*"'),
        ("Action: dynamodb:UpdateItem", "Action: dynamodb:*Item"),
        ("Action: dynamodb:UpdateItem", "Action: [dynamodb:UpdateItem, dynamodb:DeleteItem]"),
    ],
)
def test_a_broader_grant_or_a_missing_one_is_refused(old, new):
    result = _evaluate({"function": "Worker", "permissions": {"only": ONLY, "require": ONLY}},
                       {"template.yaml": SAM.replace(old, new)})  # fmt: skip
    assert not result["ok"], result


def test_the_api_invokes_latest_without_auto_publish_alias():
    result = _evaluate({"function": "Worker", "invoked_through": "alias"})
    assert not result["ok"] and "$LATEST" in result["detail"]
    aliased = SAM.replace("      MemorySize: 512\n", "      MemorySize: 512\n      AutoPublishAlias: live\n")
    assert _evaluate({"function": "Worker", "invoked_through": "alias", "alias": "live"}, {"template.yaml": aliased})[
        "ok"
    ]


def test_a_queue_with_retention_and_an_alarm_on_the_first_message():
    assert _evaluate({"queue": "Emails", "retention": {"min": 1209600}, "alarm": True})["ok"]
    late = SAM.replace("Threshold: 0", "Threshold: 10")
    result = _evaluate({"queue": "Emails", "alarm": True}, {"template.yaml": late})
    assert not result["ok"] and "first message" in result["detail"]


def test_a_deleted_function_is_named():
    result = _evaluate({"function": "Gone", "timeout": {"max": 10}})
    assert not result["ok"] and "Gone is not in your files" in result["detail"]


def test_handler_calls_are_read_from_the_code():
    code = (
        "import boto3\nsqs = boto3.client('sqs')\n\n"
        "def handler(event, context):\n    sqs.send_message(QueueUrl='q', MessageBody='x')\n"
    )
    files = {"template.yaml": SAM, "app.py": code}
    assert _evaluate(
        {"function": "Worker", "handler": {"calls": ["sqs:SendMessage"], "never_calls": ["lambda:Invoke*"]}}, files
    )["ok"]
    result = _evaluate({"function": "Worker", "handler": {"calls": ["secretsmanager:GetSecretValue"]}}, files)
    assert not result["ok"] and "never calls secretsmanager:GetSecretValue" in result["detail"]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"function": "W", "timeout": {"min": 10, "max": 5}}, "'min' is above 'max'"),
        ({"function": "W", "timout": {"max": 5}}, "unknown key 'timout'"),
        ({"function": "W", "queue": "Q", "timeout": {"max": 5}}, "exactly one subject"),
        ({"function": "W", "on_failure": {"kind": "fifo"}}, "'kind' is one of"),
        ({"function": "W"}, "at least one property"),
    ],
)
def test_validation_names_the_problem(spec, problem):
    found = [message for _key, message in requirements.validate({"message": "m", **spec})]
    assert any(problem in message for message in found), found
