"""Invoice worker: one SQS message per customer. Builds the invoice and hands it off for rendering."""

import json
import logging
import os

import boto3
from billing import build_invoice

logger = logging.getLogger()
sqs = boto3.client("sqs")
RENDER_QUEUE_URL = os.environ["RENDER_QUEUE_URL"]


def request_render(invoice, key):
    """Queue the invoice for the documents team, who render it and e-mail it to the customer.

    Nothing here waits for the PDF: the renderer drains its queue at its own concurrency, and a
    failed render ends up in its dead-letter queue, not in this function's error count. The
    invoice id lets the renderer skip an invoice it has already sent when a message arrives twice.
    """
    sqs.send_message(
        QueueUrl=RENDER_QUEUE_URL,
        MessageBody=json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": key}),
    )


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            invoice = build_invoice(json.loads(record["body"])["customer_id"])
            request_render(invoice, record["messageId"])
        except Exception:
            logger.exception("invoice failed for message %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
