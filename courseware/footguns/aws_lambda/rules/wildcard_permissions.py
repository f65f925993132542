from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application
from courseware.footguns.rule import Context, Hit, Rule


def _wildcards(actions: list[str]) -> list[str]:
    return [a for a in actions if a == "*" or a.endswith(":*")]


def check(app: Application, context: Context) -> Iterator[Hit]:
    seen: dict[tuple[str, int | None], list[str]] = {}
    found = []
    holders = [(f.name, f.statements) for f in app.functions.values()]
    # A role Lambda can assume whose functions live elsewhere still hands them its grants.
    holders += [(f"the Lambda role {name}", statements) for name, statements in app.unattached_roles.items()]
    for holder, statements in holders:
        for statement in statements:
            if statement.effect != "Allow":
                continue
            broad = _wildcards(statement.actions)
            if not broad:
                continue
            key = (statement.file, statement.actions_line or statement.line)
            if key not in seen:
                seen[key] = []
                found.append((key, statement, broad))
            seen[key].append(holder)
    for key, statement, broad in found:
        functions = seen[key]
        names = ", ".join(functions)
        granted = " and ".join(f"'{a}'" for a in broad)
        origin = f"the managed policy {statement.template}" if statement.template else granted
        yield Hit(
            file=key[0],
            line=key[1],
            resource=functions[0] if len(functions) == 1 else names,
            message=(
                f"{_subject(names)} allows {origin}. Any bug, injected dependency or "
                "leaked credential in the function can then use every action of that family, "
                "including deleting data and granting itself more access; least privilege "
                "keeps the blast radius small."
            ),
            fix=(
                "List only the actions the code calls (for example s3:GetObject, "
                "sqs:SendMessage) on the specific resources it needs, or use a narrow SAM policy "
                "template."
            ),
        )


def _subject(names: str) -> str:
    if names.startswith("the Lambda role"):
        return "T" + names[1:]
    return f"The execution role of {names}"


RULE = Rule(
    id="aws-lambda/wildcard-permissions",
    footgun="aws-lambda/overly-broad-execution-role",
    severity="error",
    summary="An execution role allowing '*' or 'service:*' actions.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
