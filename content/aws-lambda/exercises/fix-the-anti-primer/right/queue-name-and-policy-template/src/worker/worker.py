"""Invoice worker, ported from the EC2 cron job: one SQS message per customer."""

import json
import logging
import os

import boto3
import sqlalchemy
from billing import build_invoice, database_url

logger = logging.getLogger()
# One connection per execution environment: an environment handles one invocation at a time.
engine = sqlalchemy.create_engine(database_url(os.environ["DB_HOST"]), pool_size=1, max_overflow=0, pool_pre_ping=True)
sqs = boto3.client("sqs")
RENDER_QUEUE_URL = os.environ["RENDER_QUEUE_URL"]


def render_request(invoice):
    return json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": invoice["id"]})


def handler(event, context):
    failed = []
    ready = []  # (messageId, render request body), at most 10: the batch size
    with engine.connect() as db:
        for record in event["Records"]:
            try:
                invoice = build_invoice(db, json.loads(record["body"])["customer_id"])
                ready.append((record["messageId"], render_request(invoice)))
            except Exception:
                logger.exception("invoice failed for message %s", record["messageId"])
                failed.append(record["messageId"])

    for start in range(0, len(ready), 10):
        chunk = ready[start:start + 10]
        try:
            response = sqs.send_message_batch(
                QueueUrl=RENDER_QUEUE_URL,
                Entries=[{"Id": str(i), "MessageBody": body} for i, (_, body) in enumerate(chunk)],
            )
        except Exception:
            logger.exception("render queue rejected %d requests", len(chunk))
            failed.extend(message_id for message_id, _ in chunk)
            continue
        for entry in response.get("Failed", []):
            failed.append(chunk[int(entry["Id"])][0])

    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
