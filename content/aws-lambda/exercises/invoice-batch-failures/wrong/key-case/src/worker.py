"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json
import logging

from billing import send_invoice

logger = logging.getLogger()


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            job = json.loads(record["body"])
            send_invoice(job["customer_id"], idempotency_key=job["run_id"])
        except Exception:
            logger.exception("invoice job %s failed", record["messageId"])
            failures.append({"ItemIdentifier": record["messageId"]})
    # Only these messages return to the queue; the rest of the batch is deleted as done.
    return {"batchItemFailures": failures}
