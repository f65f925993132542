from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.aws_lambda.rules._facts import trigger_list
from courseware.footguns.rule import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in (*app.functions.values(), *app.external_functions.values()):
        callers = [t for t in function.triggers if t.asynchronous]
        if not callers or function.dead_letter is not None or function.on_failure is not None:
            continue
        yield Hit(
            file=function.file,
            line=function.line,
            resource=function.name,
            message=(
                f"Function {function.name} is invoked asynchronously (by {trigger_list(callers)}) "
                "but has neither an on-failure destination nor a dead-letter queue. After the "
                "automatic retries (two by default) a failed event is simply dropped, and nobody "
                "finds out which events were lost."
            ),
            fix=(
                "Add an on-failure destination (EventInvokeConfig / "
                "aws_lambda_function_event_invoke_config / destinations.onFailure) pointing at "
                "an SQS queue, SNS topic or EventBridge bus, and alarm when it receives messages."
            ),
        )


RULE = Rule(
    id="aws-lambda/async-no-failure-destination",
    footgun="aws-lambda/async-without-failure-destination",
    severity="warning",
    summary="An asynchronously invoked function with no on-failure destination or DLQ.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
