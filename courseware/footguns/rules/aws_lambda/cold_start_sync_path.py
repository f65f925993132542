from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.model import Application
from courseware.footguns.rules.aws_lambda._facts import as_int, trigger_list
from courseware.footguns.rules.base import Context, Hit, Rule

SLOW_START_RUNTIMES = ("java", "dotnet")


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        runtime = function.runtime_name
        if runtime is None or not runtime.startswith(SLOW_START_RUNTIMES):
            continue
        callers = [t for t in function.triggers if t.synchronous]
        if not callers:
            continue
        provisioned = function.provisioned_concurrency
        if provisioned is not None and as_int(provisioned.value) != 0:
            continue
        if function.snap_start is not None and function.snap_start.value == "PublishedVersions":
            continue
        yield Hit(
            file=function.file,
            line=function.runtime.line if function.runtime else function.line,
            resource=function.name,
            message=(
                f"Function {function.name} runs on {runtime} and answers {trigger_list(callers)}, "
                "a caller that waits, yet it has neither SnapStart nor provisioned concurrency. "
                "A JVM or .NET function with its framework can need seconds to start, so after "
                "every deploy, scale-out or idle spell some users wait for a cold start (or time "
                "out)."
            ),
            fix=(
                "Turn on SnapStart for published versions (SnapStart ApplyOn: PublishedVersions, "
                "and invoke through an alias or version), or configure provisioned concurrency on "
                "an alias; otherwise move the slow work behind a queue."
            ),
        )


RULE = Rule(
    id="aws-lambda/cold-start-sync-path",
    footgun="aws-lambda/cold-start-blindness",
    severity="warning",
    summary="Java or .NET behind a synchronous caller with neither SnapStart nor provisioned concurrency.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
