"""Charge one due invoice through the payment provider's API."""

import json
import os
import time

import boto3
import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]
CACHE_SECONDS = 300  # a rotated key is picked up within five minutes, without a redeploy

secrets = boto3.client("secretsmanager")
session = requests.Session()
def ttl_cache(seconds):
    def wrap(fn):
        state = {}

        def inner():
            if "v" not in state or time.monotonic() - state["t"] > seconds:
                state["v"] = fn()
                state["t"] = time.monotonic()
            return state["v"]

        return inner

    return wrap


@ttl_cache(CACHE_SECONDS)
def api_key():
    secret = secrets.get_secret_value(SecretId=PSP_API_KEY_SECRET_ARN)
    return json.loads(secret["SecretString"])["api_key"]


def handler(event, context):
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key()}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
