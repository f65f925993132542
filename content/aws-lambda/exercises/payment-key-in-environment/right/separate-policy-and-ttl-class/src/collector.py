"""Charge one due invoice through the payment provider's API."""

import os
import time

import boto3
import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]


class CachedSecret:
    """A Secrets Manager secret, re-read at most every `ttl` seconds or when invalidated."""

    def __init__(self, secret_id, ttl=300.0):
        self._secret_id = secret_id
        self._ttl = ttl
        self._client = boto3.client("secretsmanager")
        self._value = None
        self._expires = 0.0

    def get(self):
        now = time.monotonic()
        if self._value is None or now >= self._expires:
            self._value = self._client.get_secret_value(SecretId=self._secret_id)["SecretString"]
            self._expires = now + self._ttl
        return self._value

    def invalidate(self):
        self._value = None


psp_key = CachedSecret(os.environ["PSP_KEY_SECRET_ID"], ttl=300.0)
session = requests.Session()


def charge(event):
    return session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {psp_key.get()}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )


def handler(event, context):
    response = charge(event)
    if response.status_code == 401:
        # The key was rotated since we cached it: read it again and retry once (same idempotency key).
        psp_key.invalidate()
        response = charge(event)
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
