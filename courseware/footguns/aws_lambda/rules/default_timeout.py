from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application, Function
from courseware.footguns.aws_lambda.rules._facts import as_int
from courseware.footguns.rule import Context, Hit, Rule

# Lambda accepts 1 to 900 seconds (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
MIN_TIMEOUT_S = 1
MAX_TIMEOUT_S = 900


def _out_of_range(function: Function) -> Hit | None:
    timeout = function.timeout
    value = as_int(timeout.value) if timeout is not None else None
    if timeout is None or value is None or MIN_TIMEOUT_S <= value <= MAX_TIMEOUT_S:
        return None
    return Hit(
        file=timeout.file,
        line=timeout.line,
        resource=function.name,
        message=(
            f"Function {function.name} sets a timeout of {value} seconds, outside the {MIN_TIMEOUT_S} to "
            f"{MAX_TIMEOUT_S} seconds Lambda accepts, so the deployment is refused."
        ),
        fix=f"Choose a timeout from a measured duration plus a margin, between {MIN_TIMEOUT_S} and {MAX_TIMEOUT_S} s.",
    )


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        if function.timeout is not None:
            hit = _out_of_range(function)
            if hit is not None:
                yield hit
            continue
        if function.format == "serverless":
            default = f"the Serverless Framework default of {function.default_timeout} seconds (not even AWS's 3)"
        else:
            default = f"the AWS default of {function.default_timeout} seconds"
        yield Hit(
            file=function.file,
            line=function.line,
            resource=function.name,
            message=(
                f"Function {function.name} sets no timeout, so it runs with {default}. Nobody "
                "chose that number: real work that takes longer is killed mid-way, and a hung "
                "call to a slow dependency holds the invocation (and its bill) until it expires."
            ),
            fix=(
                "Set an explicit timeout a little above the slowest normal run and below what "
                "the caller waits for (Timeout / timeout, or Globals.Function.Timeout in SAM)."
            ),
        )


RULE = Rule(
    id="aws-lambda/default-timeout",
    footgun="aws-lambda/no-timeout-configuration",
    severity="error",
    summary="A function without an explicit timeout runs with a default nobody chose.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
