from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application, Function, Trigger
from courseware.footguns.aws_lambda.rules._facts import as_int, trigger_list
from courseware.footguns.rule import Context, Hit, Rule

SLOW_START_RUNTIMES = ("java", "dotnet")


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        runtime = function.runtime_name
        if runtime is None or not runtime.startswith(SLOW_START_RUNTIMES):
            continue
        callers = [t for t in function.triggers if t.synchronous]
        exposed = [t for t in callers if not _covered(function, t)]
        if not exposed:
            continue
        configured = _configured(function)
        if configured:
            where = sorted({t.qualifier or "" for t in exposed})
            latest = "$LATEST" if where == ["latest"] else "a version or alias without it"
            message = (
                f"Function {function.name} runs on {runtime} and has {configured}, but "
                f"{trigger_list(exposed)} invokes {latest}. SnapStart applies only to published versions and "
                "provisioned concurrency only to the version or alias it is configured on, so every cold "
                "start on the path the callers take still runs the whole Init while a user waits."
            )
        else:
            message = (
                f"Function {function.name} runs on {runtime} and answers {trigger_list(exposed)}, "
                "a caller that waits, yet it has neither SnapStart nor provisioned concurrency. "
                "A JVM or .NET function with its framework can need seconds to start, so after "
                "every deploy, scale-out or idle spell some users wait for a cold start (or time "
                "out)."
            )
        yield Hit(
            file=function.file,
            line=function.runtime.line if function.runtime else function.line,
            resource=function.name,
            message=message,
            fix=(
                "Turn on SnapStart for published versions (SnapStart ApplyOn: PublishedVersions, "
                "and invoke through an alias or version), or configure provisioned concurrency on "
                "an alias; otherwise move the slow work behind a queue."
            ),
        )


def _configured(function: Function) -> str:
    provisioned = function.provisioned_concurrency
    if function.snap_start is not None and function.snap_start.value == "PublishedVersions":
        return "SnapStart on published versions"
    if provisioned is not None and as_int(provisioned.value) != 0:
        return "provisioned concurrency"
    return ""


def _covered(function: Function, trigger: Trigger) -> bool:
    """Whether the caller reaches environments that SnapStart or provisioned concurrency prepared."""
    if not _configured(function):
        return False
    if trigger.qualifier is None:
        return True  # the files do not show what it invokes: not flagged
    if trigger.qualifier == "latest" or function.publishes is None:
        return False
    provisioned = function.provisioned_concurrency
    if provisioned is not None and as_int(provisioned.value) != 0 and trigger.qualifier in function.provisioned_on:
        return True
    return function.snap_start is not None and function.snap_start.value == "PublishedVersions"


RULE = Rule(
    id="aws-lambda/cold-start-sync-path",
    footgun="aws-lambda/cold-start-blindness",
    severity="warning",
    summary="Java or .NET behind a synchronous caller with neither SnapStart nor provisioned concurrency.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
