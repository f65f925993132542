"""Invoice worker: one SQS message per customer. Builds the invoice, has it rendered, e-mails it."""

import json
import logging
import os

import boto3
from billing import build_invoice, send_invoice_email

logger = logging.getLogger()
lambda_client = boto3.client("lambda")
RENDER_FUNCTION = os.environ["RENDER_FUNCTION"]


def render_pdf(invoice):
    """Ask the documents team's render-pdf function for the PDF and return its S3 key."""
    response = lambda_client.invoke(
        FunctionName=RENDER_FUNCTION,
        InvocationType="Event",
        Payload=json.dumps({"invoice": invoice}).encode(),
    )
    return json.loads(response["Payload"].read())["s3_key"]


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            invoice = build_invoice(json.loads(record["body"])["customer_id"])
            pdf_key = render_pdf(invoice)
            send_invoice_email(invoice, pdf_key)
        except Exception:
            logger.exception("invoice failed for message %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
