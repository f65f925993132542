"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json
import logging

from billing import send_invoice

logger = logging.getLogger()


def process(record):
    job = json.loads(record["body"])
    # run_id + customer is stable across redeliveries of the same job
    send_invoice(job["customer_id"], idempotency_key=f'{job["run_id"]}:{job["customer_id"]}')


def handler(event, context):
    records = event["Records"]
    for i, record in enumerate(records):
        try:
            process(record)
        except Exception:
            logger.exception("invoice job %s failed", record["messageId"])
            return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records[i:]]}
    return {"batchItemFailures": []}
