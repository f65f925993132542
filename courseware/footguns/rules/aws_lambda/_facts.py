"""Small readings of the model shared by several Lambda rules."""

from __future__ import annotations

from typing import Any

from courseware.footguns.model import Application, DataStore, Function, Trigger

TRIGGER_NAMES = {
    "api": "API Gateway (REST)",
    "http_api": "API Gateway (HTTP API)",
    "function_url": "a function URL",
    "alb": "an Application Load Balancer",
    "sqs": "an SQS queue",
    "stream": "a stream",
    "s3": "S3 bucket notifications",
    "sns": "an SNS topic",
    "schedule": "a schedule",
    "events": "EventBridge",
}


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def source_store(app: Application, trigger: Trigger, kind: str) -> DataStore | None:
    store = app.stores.get(trigger.source) if trigger.source else None
    return store if store is not None and store.kind == kind else None


def describe(function: Function) -> str:
    return f"Function {function.name}"


def trigger_list(triggers: list[Trigger]) -> str:
    names = sorted({TRIGGER_NAMES.get(t.kind, t.kind) for t in triggers})
    return " and ".join(names)
