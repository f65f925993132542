from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.formats.iam import grants
from courseware.footguns.aws_lambda.model import Application, Statement, Trigger
from courseware.footguns.rule import Context, Hit, Rule

_WRITES = {"s3": "s3:PutObject", "sqs": "sqs:SendMessage", "sns": "sns:Publish"}
_NOUNS = {"s3": "bucket", "sqs": "queue", "sns": "topic"}


def _literal_names(app: Application, trigger: Trigger) -> list[str]:
    names = []
    if trigger.source_literal:
        names.append(trigger.source_literal.rsplit(":", 1)[-1])
    store = app.stores.get(trigger.source) if trigger.source else None
    if store is not None:
        for key in ("BucketName", "QueueName", "TopicName"):
            setting = store.settings.get(key)
            if setting is not None and isinstance(setting.value, str) and "${" not in setting.value:
                names.append(setting.value)
    return [name for name in names if name and "${" not in name and len(name) < 256]


def _writes_to(app: Application, statement: Statement, trigger: Trigger) -> bool:
    if not grants(statement, _WRITES[trigger.kind]):
        return False
    if trigger.source is not None and trigger.source in statement.refs:
        return True
    names = _literal_names(app, trigger)
    for resource in statement.resources:
        if not isinstance(resource, str):
            continue
        if any(f":{name}" in resource or f":::{name}/" in resource for name in names):
            return True
    return False


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        for trigger in function.triggers:
            if trigger.kind not in _WRITES:
                continue
            for statement in function.statements:
                if not _writes_to(app, statement, trigger):
                    continue
                noun = _NOUNS[trigger.kind]
                source = trigger.source or trigger.source_literal or "its source"
                yield Hit(
                    file=statement.file,
                    line=statement.actions_line or statement.line,
                    resource=function.name,
                    message=(
                        f"Function {function.name} is triggered by {noun} {source} and is allowed "
                        f"to write to the same {noun}. If the code writes its output there, each "
                        "write triggers the function again: a loop that burns money until "
                        "Lambda's recursive-loop detection or a person stops it."
                    ),
                    fix=(
                        f"Write results to a different {noun}. If that is impossible, separate "
                        "input and output by prefix, filter the trigger on the input prefix only, keep "
                        "recursive-loop detection set to Terminate, and record that decision with "
                        "`footgun:ignore aws-lambda/recursive-trigger reason: ...` (this check cannot "
                        "prove a prefix split safe)."
                    ),
                )
                break


RULE = Rule(
    id="aws-lambda/recursive-trigger",
    footgun="aws-lambda/recursive-trigger",
    severity="error",
    summary="A function that may write to the bucket, queue or topic that triggers it.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
