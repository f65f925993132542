"""Generate the benchmark corpus: 36 realistic SAM applications plus one file per format.

Deterministic (fixed seed), so the corpus (git-ignored, generated on first use by the benchmarks) is the same
on every machine:
    .venv/bin/python bench/make_corpus.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
RUNTIMES = ["python3.13", "python3.12", "nodejs22.x", "nodejs20.x", "java21", "python3.9", "dotnet8"]
DOMAINS = ["orders", "billing", "media", "search", "users", "reports", "inventory", "shipping", "chat"]


def sam_app(rng: random.Random, index: int) -> str:
    domain = DOMAINS[index % len(DOMAINS)]
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        f"Description: {domain} service {index} (generated benchmark corpus)",
        "",
        "Parameters:",
        "  Stage:",
        "    Type: String",
        "    Default: dev",
        "",
    ]
    use_globals = rng.random() < 0.5
    if use_globals:
        lines += ["Globals:", "  Function:", f"    Runtime: {rng.choice(RUNTIMES[:4])}"]
        if rng.random() < 0.6:
            lines.append(f"    Timeout: {rng.choice([5, 10, 15, 30])}")
        if rng.random() < 0.5:
            lines.append(f"    MemorySize: {rng.choice([256, 512, 1024])}")
        lines += [
            "    Tracing: Active",
            "    Environment:",
            "      Variables:",
            f"        SERVICE: {domain}",
            "        STAGE: !Ref Stage",
            "",
        ]
    lines += ["Resources:"]
    queues, buckets, topics = [], [], []
    for q in range(rng.randint(0, 2)):
        name = f"{domain.title()}Queue{q}"
        queues.append(name)
        lines += [
            f"  {name}:",
            "    Type: AWS::SQS::Queue",
            "    Properties:",
            f"      VisibilityTimeout: {rng.choice([30, 60, 180, 360])}",
            "      MessageRetentionPeriod: 1209600",
        ]
    for b in range(rng.randint(0, 2)):
        name = f"{domain.title()}Bucket{b}"
        buckets.append(name)
        lines += [
            f"  {name}:",
            "    Type: AWS::S3::Bucket",
            "    Properties:",
            "      BucketEncryption:",
            "        ServerSideEncryptionConfiguration:",
            "          - ServerSideEncryptionByDefault:",
            "              SSEAlgorithm: AES256",
        ]
    if rng.random() < 0.4:
        topics.append(f"{domain.title()}Topic")
        lines += [f"  {topics[0]}:", "    Type: AWS::SNS::Topic"]
    failed = f"{domain.title()}Failures"
    lines += [f"  {failed}:", "    Type: AWS::SQS::Queue"]
    for f in range(rng.randint(3, 8)):
        name = f"{domain.title()}Fn{f}"
        kind = rng.choice(["api", "api", "sqs", "s3", "sns", "schedule", "http"])
        if kind == "sqs" and not queues:
            kind = "api"
        if kind == "s3" and not buckets:
            kind = "schedule"
        if kind == "sns" and not topics:
            kind = "http"
        lines += [
            f"  {name}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      FunctionName: !Sub ${{Stage}}-{domain}-{f}",
            "      CodeUri: src/",
            f"      Handler: handlers/{domain}_{f}.handler",
        ]
        if not use_globals or rng.random() < 0.2:
            lines.append(f"      Runtime: {rng.choice(RUNTIMES)}")
        if rng.random() < 0.6:
            lines.append(f"      Timeout: {rng.choice([3, 10, 20, 30, 60, 120])}")
        if rng.random() < 0.5:
            lines.append(f"      MemorySize: {rng.choice([128, 512, 1024, 1769, 2048])}")
        if rng.random() < 0.3:
            lines.append(f"      ReservedConcurrentExecutions: {rng.choice([5, 20, 100])}")
        lines += [
            "      Environment:",
            "        Variables:",
            f"          TABLE: {domain}-{f}",
            "          LOG_LEVEL: INFO",
        ]
        if rng.random() < 0.15:
            lines.append("          API_TOKEN: tok_live_4f9a8b7c6d5e")
        lines.append("      Policies:")
        lines.append("        - AWSLambdaBasicExecutionRole")
        roll = rng.random()
        if roll < 0.2:
            lines += [
                "        - Statement:",
                "            - Effect: Allow",
                f"              Action: '{rng.choice(['s3:*', 'dynamodb:*', '*'])}'",
                "              Resource: '*'",
            ]
        elif roll < 0.5:
            lines += [
                "        - Statement:",
                "            - Effect: Allow",
                "              Action:",
                "                - dynamodb:GetItem",
                "                - dynamodb:PutItem",
                f"              Resource: !Sub arn:aws:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{domain}",
            ]
        if queues and rng.random() < 0.3:
            lines += ["        - SQSSendMessagePolicy:", f"            QueueName: !GetAtt {queues[0]}.QueueName"]
        if rng.random() < 0.4:
            lines += [
                "      EventInvokeConfig:",
                "        MaximumRetryAttempts: 1",
                "        DestinationConfig:",
                "          OnFailure:",
                "            Type: SQS",
                f"            Destination: !GetAtt {failed}.Arn",
            ]
        lines += ["      Events:", "        Trigger:"]
        if kind == "api":
            lines += [
                "          Type: Api",
                "          Properties:",
                f"            Path: /{domain}/{f}",
                f"            Method: {rng.choice(['get', 'post'])}",
            ]
        elif kind == "http":
            lines += [
                "          Type: HttpApi",
                "          Properties:",
                f"            Path: /{domain}/{f}",
                "            Method: get",
            ]
        elif kind == "sqs":
            lines += [
                "          Type: SQS",
                "          Properties:",
                f"            Queue: !GetAtt {rng.choice(queues)}.Arn",
                f"            BatchSize: {rng.choice([1, 10, 25])}",
            ]
            if rng.random() < 0.5:
                lines.append("            FunctionResponseTypes: [ReportBatchItemFailures]")
        elif kind == "s3":
            lines += [
                "          Type: S3",
                "          Properties:",
                f"            Bucket: !Ref {rng.choice(buckets)}",
                "            Events: s3:ObjectCreated:*",
            ]
        elif kind == "sns":
            lines += ["          Type: SNS", "          Properties:", f"            Topic: !Ref {topics[0]}"]
        else:
            lines += [
                "          Type: Schedule",
                "          Properties:",
                f"            Schedule: rate({rng.choice([5, 15, 60])} minutes)",
            ]
        if rng.random() < 0.5:
            lines += [
                f"  {name}Logs:",
                "    Type: AWS::Logs::LogGroup",
                "    Properties:",
                f"      LogGroupName: !Sub /aws/lambda/${{{name}}}",
                f"      RetentionInDays: {rng.choice([7, 14, 30, 90])}",
            ]
    lines += ["", "Outputs:", "  Stage:", "    Value: !Ref Stage", ""]
    return "\n".join(lines)


def cfn_json(functions: int) -> str:
    resources: dict = {
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                        }
                    ]
                },
                "Policies": [
                    {
                        "PolicyName": "app",
                        "PolicyDocument": {
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["sqs:SendMessage"],
                                    "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]},
                                }
                            ]
                        },
                    }
                ],
            },
        },
        "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 120}},
    }
    for i in range(functions):
        resources[f"Fn{i}"] = {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.13",
                "Handler": "app.handler",
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Timeout": 20,
                "MemorySize": 512,
                "Code": {"S3Bucket": "artifacts", "S3Key": f"fn{i}.zip"},
                "Environment": {"Variables": {"QUEUE": {"Ref": "Jobs"}, "STAGE": "prod"}},
            },
        }
        resources[f"Fn{i}Mapping"] = {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "FunctionName": {"Ref": f"Fn{i}"},
                "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
                "BatchSize": 10,
            },
        }
        resources[f"Fn{i}Logs"] = {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {"LogGroupName": {"Fn::Sub": f"/aws/lambda/${{Fn{i}}}"}, "RetentionInDays": 14},
        }
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=2) + "\n"


def terraform(functions: int) -> str:
    parts = [
        'resource "aws_iam_role" "lambda" {\n  name               = "app"\n'
        "  assume_role_policy = data.aws_iam_policy_document.assume.json\n}\n",
        'data "aws_iam_policy_document" "assume" {\n  statement {\n    actions = ["sts:AssumeRole"]\n'
        '    principals {\n      type        = "Service"\n      identifiers = ["lambda.amazonaws.com"]\n'
        "    }\n  }\n}\n",
        'resource "aws_sqs_queue" "jobs" {\n  name                       = "jobs"\n'
        "  visibility_timeout_seconds = 120\n}\n",
    ]
    for i in range(functions):
        parts.append(
            f'resource "aws_lambda_function" "fn{i}" {{\n  function_name = "fn{i}"\n'
            '  role          = aws_iam_role.lambda.arn\n  runtime       = "python3.13"\n'
            f'  handler       = "app.handler"\n  filename      = "build/fn{i}.zip"\n  timeout       = 20\n'
            "  memory_size   = 512\n\n  environment {\n    variables = {\n"
            '      QUEUE_URL = aws_sqs_queue.jobs.url\n      STAGE     = "prod"\n    }\n  }\n}\n'
            f'resource "aws_lambda_event_source_mapping" "fn{i}" {{\n'
            f"  event_source_arn = aws_sqs_queue.jobs.arn\n  function_name    = aws_lambda_function.fn{i}.arn\n"
            "  batch_size       = 10\n}\n"
            f'resource "aws_cloudwatch_log_group" "fn{i}" {{\n'
            f'  name              = "/aws/lambda/${{aws_lambda_function.fn{i}.function_name}}"\n'
            "  retention_in_days = 14\n}\n"
        )
    return "\n".join(parts)


def serverless(functions: int) -> str:
    lines = [
        "service: orders",
        "provider:",
        "  name: aws",
        "  runtime: python3.13",
        "  timeout: 20",
        "  logRetentionInDays: 14",
        "  iam:",
        "    role:",
        "      statements:",
        "        - Effect: Allow",
        "          Action: [sqs:SendMessage]",
        "          Resource: !GetAtt Jobs.Arn",
        "functions:",
    ]
    for i in range(functions):
        lines += [
            f"  fn{i}:",
            f"    handler: src/fn{i}.handler",
            "    memorySize: 512",
            "    environment:",
            "      QUEUE_URL: !Ref Jobs",
            "    events:",
            "      - sqs:",
            "          arn: !GetAtt Jobs.Arn",
            "          batchSize: 10",
            f"      - http: GET /fn{i}",
        ]
    lines += [
        "resources:",
        "  Resources:",
        "    Jobs:",
        "      Type: AWS::SQS::Queue",
        "      Properties:",
        "        VisibilityTimeout: 180",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    rng = random.Random(20261127)
    sam_dir = CORPUS / "sam"
    sam_dir.mkdir(parents=True, exist_ok=True)
    for index in range(36):
        (sam_dir / f"app-{index:02d}.yaml").write_text(sam_app(rng, index))
    engine_dir = CORPUS / "engine"
    engine_dir.mkdir(parents=True, exist_ok=True)
    big = max(sorted(sam_dir.glob("*.yaml")), key=lambda p: len(p.read_text().splitlines()))
    (engine_dir / "sam.yaml").write_text(big.read_text())
    (engine_dir / "cloudformation.json").write_text(cfn_json(8))
    (engine_dir / "main.tf").write_text(terraform(8))
    (engine_dir / "serverless.yml").write_text(serverless(10))
    for path in sorted(engine_dir.iterdir()):
        print(path.relative_to(HERE), len(path.read_text().splitlines()), "lines")


if __name__ == "__main__":
    main()
