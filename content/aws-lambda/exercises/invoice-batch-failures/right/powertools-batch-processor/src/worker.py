"""Invoice worker: each SQS message names one customer whose invoice is rendered and e-mailed."""

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from billing import send_invoice

logger = Logger()
processor = BatchProcessor(event_type=EventType.SQS)


def send_one(record: SQSRecord):
    job = record.json_body
    send_invoice(job["customer_id"], idempotency_key=job["run_id"])


@logger.inject_lambda_context
def handler(event, context):
    # Returns {"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]} for the records whose
    # send_one raised; the others are deleted from the queue.
    return process_partial_response(event=event, record_handler=send_one, processor=processor, context=context)
