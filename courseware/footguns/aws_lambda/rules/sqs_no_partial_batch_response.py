from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application, Function, Trigger
from courseware.footguns.rule import Context, Hit, Rule


def _handler_name(function: Function) -> str | None:
    handler = function.handler.value if function.handler is not None else None
    if not isinstance(handler, str) or "." not in handler:
        return None
    return handler.rsplit(".", 1)[1]


def _handler_gaps(function: Function, trigger: Trigger) -> Iterator[Hit]:
    """With ReportBatchItemFailures on, the handler's answer decides which messages are deleted."""
    facts = function.handler_facts
    name = _handler_name(function)
    response = facts.batch_response(name) if facts is not None and name else None
    if response is None or (response.every_path_returns_failures and response.per_record_errors):
        return
    yield Hit(
        file=facts.path if facts is not None else trigger.file,
        line=response.line,
        resource=function.name,
        message=(
            f"The SQS event source of function {function.name} reports partial batch failures, but its "
            f"handler {name}() does not answer that way: {response.detail}. With ReportBatchItemFailures "
            "on, Lambda deletes every message the response does not list, so an empty or missing response "
            "deletes failed messages as if they had succeeded, and an escaping exception still returns "
            "the whole batch to the queue."
        ),
        fix=(
            "Catch each record's failure inside the loop, collect its messageId, and return "
            "{'batchItemFailures': [{'itemIdentifier': id}, ...]} on every path (an empty list when all "
            "succeeded)."
        ),
    )


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        for trigger in function.triggers:
            if trigger.kind != "sqs" or trigger.batch_size == 1:
                continue
            if trigger.partial_batch:
                yield from _handler_gaps(function, trigger)
                continue
            yield Hit(
                file=trigger.file,
                line=trigger.line,
                resource=function.name,
                message=(
                    f"The SQS event source of function {function.name} does not report partial "
                    "batch failures. When one message of a batch fails, the whole batch goes "
                    "back to the queue: the messages that succeeded are processed again, and each "
                    "time a bad message fails, the neighbours that were received with it are "
                    "received again, and may reach the dead-letter queue with it."
                ),
                fix=(
                    "Enable ReportBatchItemFailures (FunctionResponseTypes / "
                    "function_response_types / functionResponseType) and return the ids of the "
                    "failed messages in batchItemFailures from the handler."
                ),
            )


RULE = Rule(
    id="aws-lambda/sqs-no-partial-batch-response",
    footgun="aws-lambda/unhandled-partial-batch-failures",
    severity="warning",
    summary="An SQS event source without ReportBatchItemFailures.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
