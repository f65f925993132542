"""Invoice worker: one SQS message per customer. Builds the invoice and has it rendered."""

import json
import logging
import os

import boto3
from billing import build_invoice

logger = logging.getLogger()
lambda_client = boto3.client("lambda")
RENDER_FUNCTION = os.environ["RENDER_FUNCTION"]


def render_pdf(invoice):
    """Fire and forget: render-pdf runs on its own, nothing waits for the PDF."""
    lambda_client.invoke(
        FunctionName=RENDER_FUNCTION,
        InvocationType="Event",
        Payload=json.dumps({"invoice": invoice}).encode(),
    )


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            invoice = build_invoice(json.loads(record["body"])["customer_id"])
            render_pdf(invoice)
        except Exception:
            logger.exception("invoice failed for message %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
