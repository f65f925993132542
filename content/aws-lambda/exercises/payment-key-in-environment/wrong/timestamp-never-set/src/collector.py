"""Charge one due invoice through the payment provider's API."""

import os
import time

import boto3
import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]
CACHE_SECONDS = 300  # a rotated key is picked up within five minutes, without a redeploy

secrets = boto3.client("secretsmanager")
session = requests.Session()
_cached = {"key": None, "fetched": 0.0}


def api_key():
    if _cached["key"] is None or time.time() - _cached["fetched"] > CACHE_SECONDS:
        _cached["key"] = secrets.get_secret_value(SecretId=PSP_API_KEY_SECRET_ARN)["SecretString"]
    return _cached["key"]


def handler(event, context):
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key()}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
