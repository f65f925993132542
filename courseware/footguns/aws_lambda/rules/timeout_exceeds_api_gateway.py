from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.aws_lambda.rules._facts import as_int
from courseware.footguns.rule import Context, Hit, Rule


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        timeout = function.effective_timeout
        if timeout is None:
            continue
        limits = []
        for trigger in function.triggers:
            if trigger.limit_s is None:
                continue
            integration = trigger.integration_timeout_ms
            configured = as_int(integration.value) if integration is not None else None
            if configured is not None and configured // 1000 < trigger.limit_s:
                limits.append((configured / 1000, trigger.kind, True))
            else:
                limits.append((trigger.limit_s, trigger.kind, False))
        if not limits:
            continue
        limit, kind, configured = min(limits)
        if timeout <= limit:
            continue
        if configured:
            waits = f"its API Gateway integration is set to give up after {limit:g} s"
            change = ""
        elif kind == "http_api":
            waits = "an HTTP API waits at most 30 s (a hard limit)"
            change = ""
        else:
            waits = "a REST API waits 29 s by default"
            change = (
                " Since June 2024 a Regional or private REST API can raise that limit through a "
                "Service Quotas request (edge-optimised REST APIs and HTTP APIs cannot)."
            )
        line = function.timeout.line if function.timeout else function.line
        yield Hit(
            file=function.file,
            line=line,
            resource=function.name,
            message=(
                f"Function {function.name} may run for {timeout} s, but {waits}. The client gets "
                f"{_gateway_error(kind)} while the function keeps running and billing, and a client that "
                f"retries starts a second copy of the same work.{change}"
            ),
            fix=(
                f"Keep the function timeout at or below {limit:g} s (leave headroom), or make the "
                "long work asynchronous: accept the request, queue the job and let the client poll."
            ),
        )


def _gateway_error(kind: str) -> str:
    # A REST API answers 504 when its integration times out; for HTTP APIs only community reports exist
    # (503), so the course says "reported" (reference/lambda-facts.md §1).
    if kind == "http_api":
        return "an error (an HTTP API is reported to answer 503)"
    return "a 504"


RULE = Rule(
    id="aws-lambda/timeout-exceeds-api-gateway",
    footgun="aws-lambda/timeout-longer-than-caller",
    severity="error",
    summary="A function behind API Gateway with a timeout longer than the gateway waits.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
