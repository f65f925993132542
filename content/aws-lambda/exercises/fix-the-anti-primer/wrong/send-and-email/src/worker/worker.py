"""Invoice worker, ported from the EC2 cron job: one SQS message per customer."""

import json
import logging
import os

import boto3
import sqlalchemy
from billing import build_invoice, database_url, send_invoice_email

logger = logging.getLogger()
# One connection per execution environment: an environment handles one invocation at a time.
engine = sqlalchemy.create_engine(database_url(os.environ["DB_HOST"]), pool_size=1, max_overflow=0, pool_pre_ping=True)
sqs = boto3.client("sqs")
RENDER_QUEUE_URL = os.environ["RENDER_QUEUE_URL"]


def request_render(invoice):
    """Hand the invoice to the documents team's render queue; they render and e-mail it."""
    sqs.send_message(
        QueueUrl=RENDER_QUEUE_URL,
        MessageBody=json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": invoice["id"]}),
    )


def handler(event, context):
    failures = []
    with engine.connect() as db:
        for record in event["Records"]:
            try:
                invoice = build_invoice(db, json.loads(record["body"])["customer_id"])
                request_render(invoice)
                send_invoice_email(invoice, None)
            except Exception:
                logger.exception("invoice failed for message %s", record["messageId"])
                failures.append({"itemIdentifier": record["messageId"]})
    # Only the failed messages return to the queue; after five receives they move to the DLQ.
    return {"batchItemFailures": failures}
