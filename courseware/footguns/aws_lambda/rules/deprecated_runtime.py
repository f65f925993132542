from __future__ import annotations

import datetime
from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.rule import Context, Hit, Rule

_D = datetime.date
# Deprecation dates from reference/lambda-facts.md §10 (AWS runtimes page, mirrored by
# tflint-ruleset-aws). None: deprecated long before that table; no date is claimed.
DEPRECATIONS: dict[str, datetime.date | None] = {
    "nodejs14.x": _D(2023, 12, 4),
    "nodejs16.x": _D(2024, 6, 12),
    "nodejs18.x": _D(2025, 9, 1),
    "nodejs20.x": _D(2026, 4, 30),
    "python3.7": _D(2023, 12, 4),
    "python3.8": _D(2024, 10, 14),
    "python3.9": _D(2025, 12, 15),
    "python3.10": _D(2026, 6, 30),
    "python3.11": _D(2026, 6, 30),
    "java8": _D(2024, 1, 8),
    "go1.x": _D(2024, 1, 8),
    "provided": _D(2024, 1, 8),
    "dotnet6": _D(2024, 11, 12),
    "dotnet8": _D(2026, 11, 10),
    # tflint-ruleset-aws (rules/aws_lambda_function_deprecated_runtime.go, commit 0103793), which mirrors
    # https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    "ruby3.2": _D(2026, 3, 31),
    "nodejs": None,
    "nodejs4.3": None,
    "nodejs6.10": None,
    "nodejs8.10": None,
    "nodejs10.x": None,
    "nodejs12.x": None,
    "python2.7": None,
    "python3.6": None,
    "dotnetcore1.0": None,
    "dotnetcore2.0": None,
    "dotnetcore2.1": None,
    "dotnetcore3.1": None,
    "ruby2.5": None,
}
WARN_AHEAD = datetime.timedelta(days=180)
# Runtimes on Amazon Linux 2, which reached end of life on 30 June 2026 (https://aws.amazon.com/amazon-linux-2/;
# the Lambda runtimes page says these runtimes then receive only critical and selected important patches).
# Their own deprecation dates are not claimed here: AWS's table is the authority and has moved before.
AL2_END_OF_LIFE = _D(2026, 6, 30)
AL2_RUNTIMES = frozenset({"java8.al2", "java11", "java17", "provided.al2"})


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        runtime = function.runtime_name
        if runtime in AL2_RUNTIMES and function.runtime is not None:
            hit = _on_amazon_linux_2(function.name, runtime, function.runtime.file, function.runtime.line, context)
            if hit is not None:
                yield hit
            continue
        if runtime is None or runtime not in DEPRECATIONS or function.runtime is None:
            continue
        date = DEPRECATIONS[runtime]
        severity = None
        if date is None:
            when = "is deprecated"
        elif date <= context.today:
            when = f"was deprecated on {date.isoformat()}"
        elif date - context.today <= WARN_AHEAD:
            when = f"will be deprecated on {date.isoformat()}"
            severity = "info"
        else:
            continue
        yield Hit(
            file=function.runtime.file,
            line=function.runtime.line,
            resource=function.name,
            severity=severity,
            message=(
                f"Function {function.name} uses runtime {runtime}, which {when}. A deprecated "
                "runtime gets no security patches, and AWS then blocks creating and later "
                "updating functions on it, so an urgent fix can fail to deploy."
            ),
            fix=(
                "Move to a supported runtime of the same language (for example python3.13, "
                "nodejs22.x, java21 or dotnet10), test, and redeploy."
            ),
        )


def _on_amazon_linux_2(name: str, runtime: str, file: str, line: int | None, context: Context) -> Hit | None:
    if AL2_END_OF_LIFE - context.today > WARN_AHEAD:
        return None
    past = AL2_END_OF_LIFE <= context.today
    when = "reached its end of life on" if past else "reaches its end of life on"
    return Hit(
        file=file,
        line=line,
        resource=name,
        severity="warning" if past else "info",
        message=(
            f"Function {name} uses runtime {runtime}, which runs on Amazon Linux 2; Amazon Linux 2 {when} "
            f"{AL2_END_OF_LIFE.isoformat()}. The runtime then gets only critical and selected important "
            "patches until AWS deprecates it, after which creating and updating functions on it is blocked."
        ),
        fix=(
            "Move to a runtime on Amazon Linux 2023 (java21 or java25, provided.al2023, or the .al2023 variant "
            "of the same Java version where AWS offers one), test, and redeploy."
        ),
    )


RULE = Rule(
    id="aws-lambda/deprecated-runtime",
    footgun="aws-lambda/deprecated-runtime",
    severity="error",
    summary="A function on a runtime past (or near) its deprecation date.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
