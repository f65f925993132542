from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.model import Application
from courseware.footguns.rules.base import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        for trigger in function.triggers:
            if trigger.kind != "sqs" or trigger.partial_batch or trigger.batch_size == 1:
                continue
            yield Hit(
                file=trigger.file,
                line=trigger.line,
                resource=function.name,
                message=(
                    f"The SQS event source of function {function.name} does not report partial "
                    "batch failures. When one message of a batch fails, the whole batch goes "
                    "back to the queue: the messages that succeeded are processed again, and a "
                    "single bad message drags its neighbours along until they all land in the "
                    "dead-letter queue."
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
