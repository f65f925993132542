from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.rule import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        if function.log_retention is not None:
            continue
        where = (
            "its log group sets no retention"
            if function.has_log_group
            else "Lambda creates its log group on first use, with no retention"
        )
        yield Hit(
            file=function.file,
            line=function.line,
            resource=function.name,
            message=(
                f"Logs of function {function.name} are kept forever: {where}. Storage grows and "
                "is billed every month, and old personal data stays around longer than any "
                "policy allows."
            ),
            fix=(
                "Create the log group /aws/lambda/<function name> yourself with a retention "
                "(AWS::Logs::LogGroup RetentionInDays, aws_cloudwatch_log_group "
                "retention_in_days, or logRetentionInDays in serverless.yml)."
            ),
        )


RULE = Rule(
    id="aws-lambda/log-retention-unset",
    footgun="aws-lambda/unbounded-log-retention",
    severity="warning",
    summary="A function whose log group never expires.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
