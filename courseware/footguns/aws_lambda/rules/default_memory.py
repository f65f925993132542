from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application, Function
from courseware.footguns.aws_lambda.rules._facts import as_int
from courseware.footguns.rule import Context, Hit, Rule

AWS_DEFAULT_MEMORY_MB = 128
# 128 to 10,240 MB in 1-MB steps (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
MAX_MEMORY_MB = 10_240


def _out_of_range(function: Function) -> Hit | None:
    memory = function.memory
    value = as_int(memory.value) if memory is not None else None
    if memory is None or value is None or AWS_DEFAULT_MEMORY_MB <= value <= MAX_MEMORY_MB:
        return None
    return Hit(
        file=memory.file,
        line=memory.line,
        resource=function.name,
        severity="error",
        message=(
            f"Function {function.name} sets {value} MB of memory, outside the {AWS_DEFAULT_MEMORY_MB} to "
            f"{MAX_MEMORY_MB:,} MB Lambda accepts, so the deployment is refused."
        ),
        fix=f"Choose a memory size from {AWS_DEFAULT_MEMORY_MB} to {MAX_MEMORY_MB:,} MB, ideally from a measurement.",
    )


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        if function.memory is not None:
            hit = _out_of_range(function)
            if hit is not None:
                yield hit
            continue
        if function.default_memory != AWS_DEFAULT_MEMORY_MB:
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
