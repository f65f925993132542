"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

import json

from billing import send_invoice


# footgun:ignore aws-lambda/sqs-no-partial-batch-response reason: send_invoice is idempotent now, redelivery is harmless
def handler(event, context):
    for record in event["Records"]:
        job = json.loads(record["body"])
        send_invoice(job["customer_id"], idempotency_key=job["run_id"])
