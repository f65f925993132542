"""Handler facts combine with template facts: the batch response, async Payload reads, leftover grants."""

from __future__ import annotations

import ast

import pytest

from courseware.footguns.aws_lambda.formats.python_handler import analyse
from courseware.footguns.engine import check_files

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 360
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: worker.handler
      Runtime: python3.13
      Timeout: 60
      MemorySize: 512
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            FunctionResponseTypes: [ReportBatchItemFailures]
"""

GOOD = """\
def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            process(record)
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""

BAD_HANDLERS = {
    "returns-nothing": "def handler(event, context):\n    for record in event['Records']:\n        process(record)\n",
    "falls-off-the-end": (
        "def handler(event, context):\n    failures = []\n    for record in event['Records']:\n"
        "        try:\n            process(record)\n        except Exception:\n"
        "            failures.append({'itemIdentifier': record['messageId']})\n"
        "    if failures:\n        return {'batchItemFailures': failures}\n"
    ),
    "returns-none-early": GOOD.replace(
        "    failures = []\n", "    if not event['Records']:\n        return None\n    failures = []\n"
    ),
    "exception-escapes": (
        "def handler(event, context):\n    for record in event['Records']:\n        process(record)\n"
        "    return {'batchItemFailures': []}\n"
    ),
    "reraises": GOOD.replace(
        '            failures.append({"itemIdentifier": record["messageId"]})',
        '            failures.append({"itemIdentifier": record["messageId"]})\n            raise',
    ),
    "raises-after-collecting": GOOD.replace(
        '    return {"batchItemFailures": failures}',
        '    if failures:\n        raise RuntimeError("failed")\n    return {"batchItemFailures": failures}',
    ),
    "always-empty": GOOD.replace('    return {"batchItemFailures": failures}', '    return {"batchItemFailures": []}'),
    "bare-ids": GOOD.replace(
        'failures.append({"itemIdentifier": record["messageId"]})', 'failures.append(record["messageId"])'
    ),
    "receipt-handle": GOOD.replace('record["messageId"]', 'record["receiptHandle"]'),
    "swallowed-in-helper": GOOD.replace("process(record)", "send(record)")
    + "\n\ndef send(record):\n    try:\n        process(record)\n    except Exception:\n"
    "        logger.exception('failed')\n",
}

POWERTOOLS = """\
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record):
    process(record)


def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
"""

HELPER = """\
def collect(records):
    failures = []
    for record in records:
        try:
            process(record)
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def handler(event, context):
    return collect(event["Records"])
"""


def _rules(files: dict[str, str]) -> set[tuple[str, str, int | None]]:
    report = check_files(files)
    return {(f.rule, f.file, f.line) for result in report.files for f in result.findings}


HELPER_IN_COMPREHENSION = """\
def send(record):
    try:
        process(record)
    except Exception:
        logger.exception("failed")
        return False
    return True


def handler(event, context):
    failed = [record["messageId"] for record in event["Records"] if not send(record)]
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
"""


@pytest.mark.parametrize(
    "handler",
    [GOOD, POWERTOOLS, HELPER, HELPER_IN_COMPREHENSION],
    ids=["loop", "powertools", "helper", "helper-in-comprehension"],
)
def test_a_handler_that_reports_failures_on_every_path_passes(handler):
    rules = {rule for rule, _, _ in _rules({"template.yaml": TEMPLATE, "src/worker.py": handler})}
    assert "aws-lambda/sqs-no-partial-batch-response" not in rules


@pytest.mark.parametrize("name", sorted(BAD_HANDLERS))
def test_report_batch_item_failures_with_a_handler_that_does_not_answer_so_is_reported(name):
    found = _rules({"template.yaml": TEMPLATE, "src/worker.py": BAD_HANDLERS[name]})
    assert ("aws-lambda/sqs-no-partial-batch-response", "src/worker.py", 1) in found


ASYNC_PAYLOAD = """\
import json
import boto3

client = boto3.client("lambda")


def handler(event, context):
    response = client.invoke(FunctionName="render-pdf", InvocationType="Event", Payload=b"{}")
    return json.loads(response["Payload"].read())["s3_key"]
"""


def test_reading_payload_from_an_event_invoke_is_reported():
    found = _rules({"worker.py": ASYNC_PAYLOAD})
    assert ("aws-lambda/sync-lambda-invoke", "worker.py", 8) in found


def test_an_event_invoke_whose_payload_is_not_read_is_fine():
    code = ASYNC_PAYLOAD.replace('    return json.loads(response["Payload"].read())["s3_key"]\n', "    return None\n")
    assert not _rules({"worker.py": code})


GRANT_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: worker.handler
      Runtime: python3.13
      Timeout: 60
      MemorySize: 512
      Environment:
        Variables:
          RENDER_FUNCTION: !Ref Render
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Render
  Render:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: render/
      Handler: render.handler
      Runtime: python3.13
      Timeout: 60
      MemorySize: 2048
"""


def test_a_template_grant_to_invoke_still_counts_when_the_code_no_longer_invokes():
    code = (
        "import boto3\nsqs = boto3.client('sqs')\n\n"
        "def handler(event, context):\n    sqs.send_message(QueueUrl='q', MessageBody='{}')\n"
    )
    found = _rules({"template.yaml": GRANT_TEMPLATE, "src/worker.py": code})
    assert ("aws-lambda/sync-lambda-invoke", "template.yaml", 15) in found


def test_boto3_calls_are_named_as_iam_actions():
    code = (
        "import boto3\nsqs = boto3.client('sqs')\nsecrets = boto3.client(service_name='secretsmanager')\n"
        "def handler(event, context):\n    sqs.send_message(QueueUrl='q', MessageBody='{}')\n"
        "    secrets.get_secret_value(SecretId='x')\n    boto3.client('s3').put_object(Bucket='b', Key='k')\n"
    )
    facts = analyse(ast.parse(code), "h.py")
    assert facts.calls == {
        "sqs:SendMessage": [5],
        "secretsmanager:GetSecretValue": [6],
        "s3:PutObject": [7],
    }


def test_boto3_resources_and_their_sub_resources_are_named_as_iam_actions():
    code = (
        "import boto3\nsqs = boto3.resource('sqs')\ndynamodb = boto3.resource('dynamodb')\n"
        "table = dynamodb.Table('invoices')\n"
        "def handler(event, context):\n    sqs.Queue('url').send_message(MessageBody='{}')\n"
        "    table.update_item(Key={})\n    boto3.resource('s3').Bucket('b').put_object(Key='k')\n"
    )
    facts = analyse(ast.parse(code), "h.py")
    assert facts.calls == {"sqs:SendMessage": [6], "dynamodb:UpdateItem": [7], "s3:PutObject": [8]}


def test_what_flows_into_a_call_follows_assignments_and_callers():
    from courseware.footguns.aws_lambda.formats.python_handler import call_inputs

    code = (
        "import json, boto3\nsqs = boto3.client('sqs')\n\n"
        "def render(invoice, key):\n    body = {'invoice': invoice, 'idempotency_key': key}\n"
        "    sqs.send_message(QueueUrl='q', MessageBody=json.dumps(body))\n\n"
        "def handler(event, context):\n    for record in event['Records']:\n"
        "        render({}, record['messageId'])\n"
    )
    module = ast.parse(code)
    assert {"messageId", "idempotency_key"} <= call_inputs(module, [6])
    stable = ast.parse(code.replace("record['messageId']", "'inv-1'"))
    assert "messageId" not in call_inputs(stable, [6])
