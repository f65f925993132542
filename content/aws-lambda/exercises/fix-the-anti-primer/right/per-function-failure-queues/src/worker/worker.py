"""Invoice worker, ported from the EC2 cron job: one SQS message per customer."""

import json
import logging
import os

import boto3
import sqlalchemy
from billing import build_invoice, database_url

logger = logging.getLogger()
# At most one connection per execution environment (one invocation at a time), kept across invocations.
engine = sqlalchemy.create_engine(
    database_url(os.environ["DB_HOST"]),
    pool_size=1,
    max_overflow=0,
    pool_pre_ping=True,
)
sqs = boto3.client("sqs")
RENDER_QUEUE_URL = os.environ["RENDER_QUEUE_URL"]


def hand_off(db, record):
    """Build one customer's invoice and queue it for the documents team. Raises on failure."""
    invoice = build_invoice(db, json.loads(record["body"])["customer_id"])
    sqs.send_message(
        QueueUrl=RENDER_QUEUE_URL,
        MessageBody=json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": invoice["id"]}),
    )


def handler(event, context):
    failed_ids = []
    with engine.connect() as db:
        for record in event["Records"]:
            try:
                hand_off(db, record)
            except Exception:
                logger.exception("invoice failed for message %s", record["messageId"])
                failed_ids.append(record["messageId"])
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed_ids]}
