"""IAM policy documents, SAM policy templates and managed policies as model statements."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from courseware.footguns.aws_lambda.formats.aws_managed_policies import managed_actions
from courseware.footguns.aws_lambda.formats.cfn_values import as_list, get, items_with_lines
from courseware.footguns.aws_lambda.model import Statement
from courseware.footguns.parsers.nodes import line_of

# SAM policy templates: name -> (actions, resources with {Argument} placeholders), after SAM's
# policy_templates.json (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/
# serverless-policy-template-list.html). A template that is not listed is an unknown grant.
SAM_POLICY_TEMPLATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "LambdaInvokePolicy": (("lambda:InvokeFunction",), ("{FunctionName}", "{FunctionName}:*")),
    "S3ReadPolicy": (
        (
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:GetLifecycleConfiguration",
        ),
        ("{BucketName}", "{BucketName}/*"),
    ),
    "S3WritePolicy": (
        ("s3:PutObject", "s3:PutObjectAcl", "s3:PutLifecycleConfiguration"),
        ("{BucketName}", "{BucketName}/*"),
    ),
    "S3CrudPolicy": (
        (
            "s3:GetObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:DeleteObject",
        ),
        ("{BucketName}", "{BucketName}/*"),
    ),
    "S3FullAccessPolicy": (
        (
            "s3:GetObject",
            "s3:GetObjectAcl",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:DeleteObject",
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "s3:GetLifecycleConfiguration",
            "s3:PutLifecycleConfiguration",
        ),
        ("{BucketName}", "{BucketName}/*"),
    ),
    "SQSSendMessagePolicy": (("sqs:SendMessage*",), ("{QueueName}",)),
    "SQSPollerPolicy": (
        (
            "sqs:ChangeMessageVisibility",
            "sqs:ChangeMessageVisibilityBatch",
            "sqs:DeleteMessage",
            "sqs:DeleteMessageBatch",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ),
        ("{QueueName}",),
    ),
    "SNSPublishMessagePolicy": (("sns:Publish",), ("{TopicName}",)),
    "SNSCrudPolicy": (
        ("sns:ListSubscriptionsByTopic", "sns:CreateTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"),
        ("{TopicName}*",),
    ),
    "DynamoDBReadPolicy": (
        ("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"),
        ("{TableName}", "{TableName}/index/*"),
    ),
    "DynamoDBWritePolicy": (
        ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
        ("{TableName}", "{TableName}/index/*"),
    ),
    "DynamoDBCrudPolicy": (
        (
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:Query",
            "dynamodb:UpdateItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:BatchGetItem",
            "dynamodb:DescribeTable",
            "dynamodb:ConditionCheckItem",
        ),
        ("{TableName}", "{TableName}/index/*"),
    ),
    "AWSSecretsManagerGetSecretValuePolicy": (("secretsmanager:GetSecretValue",), ("{SecretArn}",)),
    "SSMParameterReadPolicy": (
        ("ssm:DescribeParameters", "ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"),
        ("parameter/{ParameterName}",),
    ),
    "KMSDecryptPolicy": (("kms:Decrypt",), ("key/{KeyId}",)),
    "EventBridgePutEventsPolicy": (("events:PutEvents",), ("{EventBusName}",)),
    "StepFunctionsExecutionPolicy": (("states:StartExecution",), ("{StateMachineName}",)),
    "CloudWatchPutMetricPolicy": (("cloudwatch:PutMetricData",), ("*",)),
    "VPCAccessPolicy": (
        (
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DetachNetworkInterface",
        ),
        ("*",),
    ),
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z]{1,40})\}")

# An AWS managed policy's ARN (customer managed policies have an account number instead of "aws").
_AWS_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]{0,20}:iam::aws:policy/")

RefFinder = Callable[[Any], set[str]]
Describer = Callable[[Any], str]


def _unknown(_value: Any) -> str:
    return "?"


def statements_from_document(
    document: Any, file: str, find_refs: RefFinder, line_offset: int = 0, describe: Describer = _unknown
) -> list[Statement]:
    statements = []
    raw = get(document, "Statement")
    for statement, line in items_with_lines(raw):
        if not isinstance(statement, dict):
            continue
        actions_key = "Action" if "Action" in statement else "NotAction"
        actions = [a for a in as_list(statement.get(actions_key)) if isinstance(a, str)]
        if actions_key == "NotAction":
            # "everything except" is as broad as a wildcard for this model
            actions = ["*"]
        resource_key = "Resource" if "Resource" in statement else "NotResource"
        resources = as_list(statement.get(resource_key))
        targets = ["*"] if resource_key == "NotResource" else [describe(r) for r in resources]
        statements.append(
            Statement(
                file=file,
                line=_shift(line, line_offset),
                effect=str(statement.get("Effect", "Allow")),
                actions=actions,
                resources=resources,
                refs=find_refs(statement.get("Resource")),
                actions_line=_shift(line_of(statement, actions_key), line_offset),
                targets=targets,
            )
        )
    return statements


def _shift(line: int | None, offset: int) -> int | None:
    if line is None:
        return None
    return line + offset


def statements_from_sam_policies(
    policies: Any,
    file: str,
    find_refs: RefFinder,
    describe: Describer = _unknown,
    describe_resource: Describer | None = None,
) -> list[Statement]:
    """`describe` reads template arguments (a queue's name); `describe_resource` a policy's Resource (an ARN)."""
    statements: list[Statement] = []
    for policy, line in items_with_lines(policies):
        if isinstance(policy, str):
            statements.append(managed_statement(file, line, policy))
            continue
        if not isinstance(policy, dict):
            statements.append(_unknown_statement(file, line, None))
            continue
        if "Statement" in policy:
            statements.extend(statements_from_document(policy, file, find_refs, describe=describe_resource or describe))
            continue
        for name, arguments in policy.items():
            template = SAM_POLICY_TEMPLATES.get(name)
            if template is None:
                statements.append(_unknown_statement(file, line_of(policy, name), name))
                continue
            actions, patterns = template
            statements.append(
                Statement(
                    file=file,
                    line=line_of(policy, name),
                    effect="Allow",
                    actions=list(actions),
                    resources=[arguments],
                    refs=find_refs(arguments),
                    actions_line=line_of(policy, name),
                    template=name,
                    targets=[_fill(pattern, arguments, describe) for pattern in patterns],
                )
            )
    return statements


def _fill(pattern: str, arguments: Any, describe: Describer) -> str:
    def argument(match: re.Match[str]) -> str:
        value = get(arguments, match.group(1))
        return "?" if value is None else describe(value)

    filled = _PLACEHOLDER.sub(argument, pattern)
    return "?" if "?" in filled else filled


def _unknown_statement(file: str, line: int | None, template: str | None) -> Statement:
    return Statement(
        file=file, line=line, effect="Allow", actions=["?"], resources=["?"], refs=set(),
        actions_line=line, template=template, targets=["?"],
    )  # fmt: skip


def managed_statement(file: str, line: int | None, policy: str) -> Statement:
    """A managed policy by name or ARN; only AWS managed policies are known, others are unknown grants."""
    known = "/" not in policy or _AWS_MANAGED_ARN.match(policy)
    actions = list(managed_actions(policy)) if known else ["?"]
    return Statement(
        file=file, line=line, effect="Allow", actions=actions, resources=["*"], refs=set(),
        actions_line=line, template=policy, targets=["*"],
    )  # fmt: skip


def managed_policy_statements(arns: Any, file: str) -> list[Statement]:
    statements = []
    for arn, line in items_with_lines(arns):
        if isinstance(arn, str):
            statements.append(managed_statement(file, line, arn))
    return statements


def grants(statement: Statement, action: str) -> bool:
    """Whether an Allow statement's actions cover `action` (service:Name)."""
    if statement.effect != "Allow":
        return False
    service = action.split(":", 1)[0].lower()
    for granted in statement.actions:
        granted = granted.lower()
        if granted in ("*", f"{service}:*", action.lower()):
            return True
        if granted.endswith("*") and action.lower().startswith(granted[:-1]):
            return True
    return False
