"""Invoice worker: one SQS message per customer. Builds the invoice and hands it off for rendering."""

import dataclasses
import json
import logging
import os

import boto3
from billing import build_invoice

logger = logging.getLogger()


def queue_url_from_arn(arn):
    """arn:aws:sqs:<region>:<account>:<name> -> https://sqs.<region>.amazonaws.com/<account>/<name>"""
    _, partition, _, region, account, name = arn.split(":", 5)
    suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
    return f"https://sqs.{region}.{suffix}/{account}/{name}"


RENDER_QUEUE_URL = queue_url_from_arn(os.environ["RENDER_QUEUE_ARN"])
sqs = boto3.client("sqs")


@dataclasses.dataclass(frozen=True)
class RenderRequest:
    invoice: dict
    idempotency_key: str
    deliver: str = "email"

    def body(self):
        return json.dumps(dataclasses.asdict(self))


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            invoice = build_invoice(json.loads(record["body"])["customer_id"])
            request = RenderRequest(invoice=invoice, idempotency_key=str(invoice["id"]))
            sqs.send_message(QueueUrl=RENDER_QUEUE_URL, MessageBody=request.body())
        except Exception:
            logger.exception("invoice failed for message %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
