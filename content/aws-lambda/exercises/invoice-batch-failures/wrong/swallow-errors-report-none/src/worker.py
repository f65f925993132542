"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json
import logging

from billing import send_invoice

logger = logging.getLogger()


def handler(event, context):
    for record in event["Records"]:
        try:
            job = json.loads(record["body"])
            send_invoice(job["customer_id"], idempotency_key=job["run_id"])
        except Exception:
            # Log and carry on so one bad invoice does not hold up the others.
            logger.exception("invoice job %s failed", record["messageId"])
    return {"batchItemFailures": []}
