"""What the AWS managed policies that execution roles commonly use grant, as data.

Each entry is a policy name (the last part of its ARN) with the actions it allows. The broad ones count as
the wildcard grants they contain, so `AmazonDynamoDBFullAccess` is `dynamodb:*` on `*` for every rule. The
actions are those of the policy's current version in the AWS Managed Policy Reference Guide,
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<PolicyName>.html (the page of each name
below), reduced to the service the policy is named after where it also grants helper actions. A managed
policy that is not listed here is an unknown grant: no rule guesses what it allows, and an exercise that
asks for exact permissions refuses it.
"""

from __future__ import annotations

ALL = ("*",)

MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    # Every action (PowerUserAccess: every action but iam, organizations and account, via NotAction).
    "AdministratorAccess": ALL,
    "PowerUserAccess": ALL,
    # Full access to one service: its service:* on every resource.
    "AmazonDynamoDBFullAccess": ("dynamodb:*",),
    "AmazonDynamoDBFullAccess_v2": ("dynamodb:*",),
    "AmazonSQSFullAccess": ("sqs:*",),
    "AmazonSNSFullAccess": ("sns:*",),
    "AmazonS3FullAccess": ("s3:*", "s3-object-lambda:*"),
    "AWSLambda_FullAccess": ("lambda:*",),
    "AWSLambdaFullAccess": ("lambda:*",),
    "AmazonKinesisFullAccess": ("kinesis:*",),
    "AmazonRDSFullAccess": ("rds:*",),
    "AmazonRDSDataFullAccess": ("rds-data:*",),
    "AmazonEventBridgeFullAccess": ("events:*",),
    "AWSStepFunctionsFullAccess": ("states:*",),
    "AmazonSESFullAccess": ("ses:*",),
    "SecretsManagerReadWrite": ("secretsmanager:*",),
    "AmazonSSMFullAccess": ("ssm:*",),
    "CloudWatchFullAccess": ("cloudwatch:*", "logs:*"),
    "CloudWatchLogsFullAccess": ("logs:*",),
    "AmazonEC2FullAccess": ("ec2:*",),
    "IAMFullAccess": ("iam:*",),
    "AWSKeyManagementServicePowerUser": ("kms:*",),
    # Read-only policies: narrower globs, left to exercises that ask for exact permissions.
    "ReadOnlyAccess": ("*:Get*", "*:List*", "*:Describe*"),
    "AmazonDynamoDBReadOnlyAccess": (
        "dynamodb:BatchGetItem",
        "dynamodb:Describe*",
        "dynamodb:List*",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:PartiQLSelect",
    ),
    "AmazonS3ReadOnlyAccess": (
        "s3:Get*",
        "s3:List*",
        "s3:Describe*",
        "s3-object-lambda:Get*",
        "s3-object-lambda:List*",
    ),
    "AmazonSQSReadOnlyAccess": (
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ListDeadLetterSourceQueues",
        "sqs:ListQueues",
        "sqs:ListMessageMoveTasks",
        "sqs:ListQueueTags",
    ),
    # The execution-role policies Lambda's documentation recommends.
    "AWSLambdaBasicExecutionRole": ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
    "AWSLambdaSQSQueueExecutionRole": (
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ),
    "AWSLambdaVPCAccessExecutionRole": (
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ),
    "AWSXRayDaemonWriteAccess": (
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
    ),
    "AWSLambdaKinesisExecutionRole": (
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetRecords",
        "kinesis:GetShardIterator",
        "kinesis:ListShards",
        "kinesis:ListStreams",
        "kinesis:SubscribeToShard",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ),
}

UNKNOWN_ACTION = "?"


def policy_name(arn: str) -> str:
    """`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole` -> `AWSLambdaBasicExecutionRole`."""
    return arn.rsplit("/", 1)[-1]


def managed_actions(arn: str) -> tuple[str, ...]:
    """The actions a managed policy allows on `*`; (UNKNOWN_ACTION,) when it is not known here."""
    return MANAGED_POLICIES.get(policy_name(arn), (UNKNOWN_ACTION,))
