"""Charge one due invoice through the payment provider's API."""

import os

import boto3
import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]

secrets = boto3.client("secretsmanager")
session = requests.Session()


def handler(event, context):
    api_key = secrets.get_secret_value(SecretId=PSP_API_KEY_SECRET_ARN)["SecretString"]
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
