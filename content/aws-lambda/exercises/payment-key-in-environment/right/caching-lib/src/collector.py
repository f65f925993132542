"""Charge one due invoice through the payment provider's API."""

import os

import boto3
import requests
from aws_secretsmanager_caching import SecretCache, SecretCacheConfig

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]
session = requests.Session()
cache = SecretCache(
    config=SecretCacheConfig(secret_refresh_interval=300),
    client=boto3.client("secretsmanager"),
)


def handler(event, context):
    api_key = cache.get_secret_string(PSP_API_KEY_SECRET_ARN)
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
