"""Invoice worker."""
import json
from billing import send_invoice


def handler(event, context):
    for record in event["Records"]:
        try:
            job = json.loads(record["body"])
            send_invoice(job["customer_id"], idempotency_key=job["run_id"])
        except Exception:
            return {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    return {"batchItemFailures": []}
