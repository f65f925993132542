from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.aws_lambda.rules._facts import as_int, source_store
from courseware.footguns.rule import Context, Hit, Rule

SQS_DEFAULT_VISIBILITY_S = 30
FACTOR = 6  # AWS: visibility timeout at least six times the function timeout


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        timeout = function.effective_timeout
        if timeout is None:
            continue
        for trigger in function.triggers:
            if trigger.kind != "sqs":
                continue
            queue = source_store(app, trigger, "sqs")
            if queue is None:
                continue
            setting = queue.settings.get("VisibilityTimeout")
            visibility = SQS_DEFAULT_VISIBILITY_S if setting is None else as_int(setting.value)
            if visibility is None or visibility >= FACTOR * timeout:
                continue
            written = "" if setting is not None else " (the SQS default, since none is set)"
            worse = (
                " It is even shorter than the function timeout, which AWS rejects when it creates "
                "the event source mapping."
                if visibility < timeout
                else ""
            )
            yield Hit(
                file=queue.file,
                line=setting.line if setting is not None else queue.line,
                resource=queue.name,
                message=(
                    f"Queue {queue.name} hides a received message for {visibility} s{written}, "
                    f"less than six times the {timeout} s timeout of function {function.name} "
                    f"({FACTOR * timeout} s). When a batch runs long or is retried after "
                    "throttling, the message reappears while the first attempt is still working "
                    f"and gets processed twice.{worse}"
                ),
                fix=(
                    f"Set the queue's visibility timeout to at least {FACTOR * timeout} s "
                    "(VisibilityTimeout / visibility_timeout_seconds), or lower the function "
                    "timeout."
                ),
            )


RULE = Rule(
    id="aws-lambda/sqs-visibility-timeout-too-short",
    footgun="aws-lambda/timeout-longer-than-caller",
    severity="error",
    summary="An SQS queue whose visibility timeout is under six times its consumer's timeout.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
