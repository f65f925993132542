"""Invoice worker: one SQS message per customer. Builds the invoice and hands it off for rendering."""

import json
import logging
import os

import boto3
from billing import build_invoice

logger = logging.getLogger()
sqs = boto3.client("sqs")
RENDER_QUEUE_URL = os.environ["RENDER_QUEUE_URL"]
SQS_BATCH_LIMIT = 10


def render_request(invoice):
    """The documents team's contract: the invoice, how to deliver it, and a key to drop duplicates."""
    return json.dumps({"invoice": invoice, "deliver": "email", "idempotency_key": invoice["id"]})


def handler(event, context):
    failed = []
    ready = []  # (messageId of the job, render request body)
    for record in event["Records"]:
        try:
            invoice = build_invoice(json.loads(record["body"])["customer_id"])
            ready.append((record["messageId"], render_request(invoice)))
        except Exception:
            logger.exception("invoice failed for message %s", record["messageId"])
            failed.append(record["messageId"])

    for start in range(0, len(ready), SQS_BATCH_LIMIT):
        chunk = ready[start:start + SQS_BATCH_LIMIT]
        try:
            response = sqs.send_message_batch(
                QueueUrl=RENDER_QUEUE_URL,
                Entries=[{"Id": str(i), "MessageBody": body} for i, (_, body) in enumerate(chunk)],
            )
        except Exception:
            logger.exception("render queue rejected a batch of %d", len(chunk))
            failed.extend(message_id for message_id, _ in chunk)
            continue
        for entry in response.get("Failed", []):
            message_id = chunk[int(entry["Id"])][0]
            logger.error("render request for message %s failed: %s", message_id, entry.get("Message"))
            failed.append(message_id)

    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
