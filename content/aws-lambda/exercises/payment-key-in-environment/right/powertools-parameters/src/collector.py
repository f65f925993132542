"""Charge one due invoice through the payment provider's API."""

import os

import requests
from aws_lambda_powertools.utilities import parameters

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]
KEY_MAX_AGE_SECONDS = 300  # rotation is picked up within five minutes

session = requests.Session()


def handler(event, context):
    # GetSecretValue, cached by Powertools for KEY_MAX_AGE_SECONDS.
    api_key = parameters.get_secret(PSP_API_KEY_SECRET_ARN, max_age=KEY_MAX_AGE_SECONDS)
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
