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
    lambda_client.invoke_async(
        FunctionName=RENDER_FUNCTION,
        InvokeArgs=json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": invoice["id"]}),
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
