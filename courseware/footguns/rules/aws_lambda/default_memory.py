from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.model import Application
from courseware.footguns.rules.base import Context, Hit, Rule

AWS_DEFAULT_MEMORY_MB = 128


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        if function.memory is not None or function.default_memory != AWS_DEFAULT_MEMORY_MB:
            continue
        yield Hit(
            file=function.file,
            line=function.line,
            resource=function.name,
            message=(
                f"Function {function.name} sets no memory size, so it gets the minimum of "
                f"{AWS_DEFAULT_MEMORY_MB} MB. Lambda hands out CPU in proportion to memory (one "
                "full vCPU only at 1,769 MB), so CPU-bound work crawls, runs into its timeout, "
                "and can cost more than a larger size that finishes sooner."
            ),
            fix=(
                "Set MemorySize / memory_size explicitly, ideally from a measurement (for "
                "example AWS Lambda Power Tuning) rather than a guess."
            ),
        )


RULE = Rule(
    id="aws-lambda/default-memory",
    footgun="aws-lambda/default-memory-on-cpu-bound-work",
    severity="warning",
    summary="A function left at the 128 MB default also gets the smallest CPU share.",
    formats=("sam", "cloudformation", "terraform"),
    check=check,
)
