from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.model import Application
from courseware.footguns.rules.base import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        if function.timeout is not None:
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
