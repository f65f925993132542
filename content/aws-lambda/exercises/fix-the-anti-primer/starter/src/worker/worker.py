"""Invoice worker, ported from the EC2 cron job: one SQS message per customer."""

import json
import os

import boto3
import sqlalchemy
from billing import build_invoice, database_url, send_invoice_email

# The EC2 job's pool of five connections, opened during Init.
engine = sqlalchemy.create_engine(database_url(os.environ["DB_HOST"]), pool_size=5)
lambda_client = boto3.client("lambda")
RENDER_FUNCTION = os.environ["RENDER_FUNCTION"]


def handler(event, context):
    with engine.connect() as db:
        for record in event["Records"]:
            invoice = build_invoice(db, json.loads(record["body"])["customer_id"])
            response = lambda_client.invoke(
                FunctionName=RENDER_FUNCTION,
                Payload=json.dumps({"invoice": invoice}).encode(),
            )
            pdf_key = json.loads(response["Payload"].read())["s3_key"]
            send_invoice_email(invoice, pdf_key)
