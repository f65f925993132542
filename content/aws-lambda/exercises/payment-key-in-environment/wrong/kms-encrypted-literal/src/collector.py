"""Charge one due invoice through the payment provider's API."""

import os

import requests

PSP_BASE_URL = os.environ["PSP_BASE_URL"]
PSP_API_KEY = os.environ["PSP_API_KEY"]
session = requests.Session()


def handler(event, context):
    response = session.post(
        f"{PSP_BASE_URL}/charges",
        headers={"Authorization": f"Bearer {PSP_API_KEY}", "Idempotency-Key": event["invoice_id"]},
        json={"customer": event["customer_id"], "amount": event["amount_cents"], "currency": "EUR"},
        timeout=10,
    )
    response.raise_for_status()
    return {"charge_id": response.json()["id"]}
