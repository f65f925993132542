from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.formats.iam import grants
from courseware.footguns.aws_lambda.model import Application, Invocation
from courseware.footguns.rule import Context, Hit, Rule

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


def _payload_message(caller: str, invocation: Invocation) -> str:
    return (
        f"{caller} invokes{' ' + invocation.target if invocation.target else ''} asynchronously "
        f"(InvocationType='Event') but reads the response's Payload on line {invocation.payload_read_line}. "
        "An asynchronous invoke only queues the event: its response has an empty payload, so the code "
        "waits for a result that never comes and fails on every call."
    )


def _code_hits(caller: str, resource: str | None, invocations: list[Invocation]) -> Iterator[Hit]:
    for invocation in invocations:
        if invocation.mode == "RequestResponse":
            message = _sync_message(caller, invocation)
        elif invocation.mode == "Event" and invocation.payload_read_line is not None:
            message = _payload_message(caller, invocation)
        else:
            continue
        yield Hit(file=invocation.file, line=invocation.line, resource=resource, message=message, fix=_FIX)


def check(app: Application, context: Context) -> Iterator[Hit]:
    if not app.functions:
        for facts in app.handlers.values():
            yield from _code_hits("This code", None, facts.invocations)
        return
    for function in app.functions.values():
        facts = function.handler_facts
        code_hits = list(_code_hits(f"Function {function.name}", function.name, facts.invocations)) if facts else []
        yield from code_hits
        if code_hits or (facts is not None and facts.invocations):
            # The code shows how it calls: a grant it needs for an asynchronous invoke is no finding. A grant
            # whose code never invokes still counts: the permission and the wiring are left for the next change.
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
