"""Small readings of the model shared by several Lambda rules."""

from __future__ import annotations

from courseware.footguns.aws_lambda.model import Application, DataStore, Trigger, whole_number

as_int = whole_number  # the rules read configured numbers the way the model does

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


def source_store(app: Application, trigger: Trigger, kind: str) -> DataStore | None:
    store = app.stores.get(trigger.source) if trigger.source else None
    return store if store is not None and store.kind == kind else None


def trigger_list(triggers: list[Trigger]) -> str:
    names = sorted({TRIGGER_NAMES.get(t.kind, t.kind) for t in triggers})
    return " and ".join(names)
