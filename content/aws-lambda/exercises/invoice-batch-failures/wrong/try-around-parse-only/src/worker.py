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
        except ValueError:
            logger.exception("invoice job %s is not valid JSON", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        send_invoice(job["customer_id"], idempotency_key=job["run_id"])
    return {"batchItemFailures": failures}
