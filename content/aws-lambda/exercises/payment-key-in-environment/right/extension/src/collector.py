"""Charge one due invoice through the payment provider's API."""

import json
import os
import urllib.parse
import urllib.request

import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY_SECRET_ARN = os.environ["PSP_API_KEY_SECRET_ARN"]
session = requests.Session()


def api_key():
    """The Parameters and Secrets extension caches the secret for SECRETS_MANAGER_TTL (300 s)."""
    url = "http://localhost:2773/secretsmanager/get?secretId=" + urllib.parse.quote(PSP_API_KEY_SECRET_ARN)
    req = urllib.request.Request(url, headers={"X-Aws-Parameters-Secrets-Token": os.environ["AWS_SESSION_TOKEN"]})
    with urllib.request.urlopen(req, timeout=2) as resp:
        return json.loads(resp.read())["SecretString"]


def handler(event, context):
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {api_key()}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
