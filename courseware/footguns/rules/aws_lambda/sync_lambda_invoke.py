from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.formats.iam import grants
from courseware.footguns.model import Application, Invocation
from courseware.footguns.rules.base import Context, Hit, Rule

_FIX = (
    "Invoke with InvocationType='Event' (and give the callee an on-failure destination), or put "
    "a queue, EventBridge or a Step Functions state machine between the two functions."
)


def _sync_message(caller: str, invocation: Invocation) -> str:
    target = f" {invocation.target}" if invocation.target else ""
    explicit = "" if invocation.mode != "RequestResponse" else " (the default when no InvocationType is given)"
    return (
        f"{caller} calls Lambda Invoke{target} synchronously{explicit}. The caller sits idle "
        "and billed while the other function runs, its timeout must cover the callee's, and a "
        "failure or throttle downstream becomes an error upstream: two functions that fail "
        "together are a distributed monolith."
    )


def check(app: Application, context: Context) -> Iterator[Hit]:
    if not app.functions:
        for facts in app.handlers.values():
            for invocation in facts.invocations:
                if invocation.mode == "RequestResponse":
                    yield Hit(
                        file=invocation.file,
                        line=invocation.line,
                        resource=None,
                        message=_sync_message("This code", invocation),
                        fix=_FIX,
                    )
        return
    for function in app.functions.values():
        facts = function.handler_facts
        if facts is not None:
            for invocation in facts.invocations:
                if invocation.mode == "RequestResponse":
                    yield Hit(
                        file=invocation.file,
                        line=invocation.line,
                        resource=function.name,
                        message=_sync_message(f"Function {function.name}", invocation),
                        fix=_FIX,
                    )
            continue
        for statement in function.statements:
            if not grants(statement, "lambda:InvokeFunction"):
                continue
            targets = sorted(
                name for name in statement.refs
                if name in app.functions and name != function.name and name in function.refs
            )  # fmt: skip
            for target in targets:
                yield Hit(
                    file=statement.file,
                    line=statement.actions_line or statement.line,
                    resource=function.name,
                    severity="info",
                    message=(
                        f"Function {function.name} may invoke function {target} and is handed its "
                        "name, the usual wiring of a direct function-to-function call. If the "
                        "handler calls Invoke without InvocationType='Event', the caller waits "
                        "(and pays) for the callee and fails with it. Check the handler together "
                        "with this template to confirm or clear this."
                    ),
                    fix=_FIX,
                )


RULE = Rule(
    id="aws-lambda/sync-lambda-invoke",
    footgun="aws-lambda/synchronous-in-disguise",
    severity="warning",
    summary="One function invoking another synchronously (RequestResponse).",
    formats=("sam", "cloudformation", "terraform", "serverless", "python"),
    check=check,
)
