"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json
import logging

from billing import send_invoice

logger = logging.getLogger(__name__)


def handler(event, context):
    batch_item_failures = []
    for record in event["Records"]:
        message_id = record["messageId"]
        try:
            job = json.loads(record["body"])
            key = f"{job['run_id']}:{job['customer_id']}"
            send_invoice(job["customer_id"], idempotency_key=key)
        except Exception as error:  # one bad job must not fail its neighbours
            logger.error("invoice job %s failed: %r", message_id, error)
            batch_item_failures.append({"itemIdentifier": message_id})
            continue
        logger.info("invoice job %s sent", message_id)
    return {"batchItemFailures": batch_item_failures}
