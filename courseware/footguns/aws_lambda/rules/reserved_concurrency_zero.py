from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.aws_lambda.rules._facts import as_int
from courseware.footguns.rule import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        reserved = function.reserved_concurrency
        if reserved is None or as_int(reserved.value) != 0:
            continue
        yield Hit(
            file=reserved.file,
            line=reserved.line,
            resource=function.name,
            message=(
                f"Function {function.name} reserves a concurrency of 0, so it can never run: every "
                "invocation is throttled. That is Lambda's off switch, not a cap; queued events wait and "
                "expire, and callers get throttling errors."
            ),
            fix=(
                "Reserve the number of concurrent executions the function may use (for example what a "
                "database can spare), or remove the setting to share the account's pool."
            ),
        )


RULE = Rule(
    id="aws-lambda/reserved-concurrency-zero",
    footgun="aws-lambda/unbounded-concurrency",
    severity="warning",
    summary="A reserved concurrency of 0: the function is throttled on every invocation.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
