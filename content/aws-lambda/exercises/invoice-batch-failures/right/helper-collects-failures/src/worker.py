"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json
import logging

from billing import send_invoice

logger = logging.getLogger()


def _send(record):
    """Send the invoice of one job; True when it went out (or had already gone out)."""
    try:
        job = json.loads(record["body"])
        # run_id is stable across redeliveries, so billing drops a second send of the same job.
        send_invoice(job["customer_id"], idempotency_key=job["run_id"])
    except Exception:
        logger.exception("invoice job %s failed", record["messageId"])
        return False
    return True


def handler(event, context):
    failed = [record["messageId"] for record in event["Records"] if not _send(record)]
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}
