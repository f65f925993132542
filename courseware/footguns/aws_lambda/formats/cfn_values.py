"""Reading CloudFormation values: references, literals and lines."""

from __future__ import annotations

import re
from typing import Any

from courseware.footguns.aws_lambda.model import Setting, whole_number
from courseware.footguns.parsers.nodes import LineList, line_of

# ${Name} or ${Name.Attr}; bounded character classes, no nested quantifiers.
as_int = whole_number  # the formats read configured numbers the way the model does

_SUB_REF = re.compile(r"\$\{([A-Za-z0-9_]{1,255})(?:\.[A-Za-z0-9_.]{1,255})?\}")


def refs(value: Any, names: Any, found: dict[str, int | None] | None = None) -> dict[str, int | None]:
    """Names (members of `names`) that `value` refers to, each with the line of the reference."""
    if found is None:
        found = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                target = None
                if key == "Ref" and isinstance(inner, str):
                    target = inner
                elif key == "Fn::GetAtt":
                    if isinstance(inner, list) and inner and isinstance(inner[0], str):
                        target = inner[0]
                    elif isinstance(inner, str):
                        target = inner.split(".", 1)[0]
                elif key == "Fn::Sub":
                    template = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(template, str):
                        for match in _SUB_REF.finditer(template):
                            if match.group(1) in names:
                                found.setdefault(match.group(1), line_of(item))
                if target is not None and target in names:
                    found.setdefault(target, line_of(item))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


_ENDPOINT_ATTRIBUTES = ("Endpoint", "ReadEndpoint")
_SUB_ENDPOINT = re.compile(r"\$\{([A-Za-z0-9_]{1,255})\.(?:Endpoint|ReadEndpoint)[A-Za-z0-9_.]{0,100}\}")


def endpoint_refs(value: Any, names: Any) -> set[str]:
    """Names whose connection endpoint `value` uses (GetAtt X.Endpoint.Address, ${X.Endpoint.Port})."""
    found = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                if key == "Fn::GetAtt":
                    parts = inner if isinstance(inner, list) else str(inner).split(".", 1)
                    if (
                        len(parts) == 2
                        and isinstance(parts[0], str)
                        and isinstance(parts[1], str)
                        and parts[1].startswith(_ENDPOINT_ATTRIBUTES)
                        and parts[0] in names
                    ):
                        found.add(parts[0])
                elif key == "Fn::Sub":
                    template = inner[0] if isinstance(inner, list) and inner else inner
                    if isinstance(template, str):
                        found.update(m for m in _SUB_ENDPOINT.findall(template) if m in names)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def setting(container: Any, key: str, file: str) -> Setting | None:
    if not isinstance(container, dict) or key not in container:
        return None
    return Setting(container[key], file, line_of(container, key))


def get(container: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(container, dict):
            return None
        container = container.get(key)
    return container


def as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if value is None:
        return []
    return [value]


def items_with_lines(value: Any) -> list[tuple[Any, int | None]]:
    if isinstance(value, LineList):
        return list(zip(value, value.item_lines, strict=True))
    return [(item, line_of(value)) for item in as_list(value)]


_SUB_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_:]{1,255})((?:\.[A-Za-z0-9_]{1,255}){0,3})\}")
_PSEUDO_VALUE = {"aws:partition": "aws", "aws:region": "region", "aws:accountId": "*"}
_PSEUDO_VARIABLE = re.compile(r"\$\{(aws:partition|aws:region|aws:accountId)\}")
_ARN = re.compile(r"^arn:aws[a-z-]{0,20}:([a-z0-9-]{1,40}):[a-z0-9-]{0,40}:[0-9*]{0,12}:(.{1,1024})$")


def named_arn(text: str) -> str:
    """A literal ARN or name as "named:<resource>", the same wherever it was written.

    arn:aws:s3:::bucket/* -> named:bucket/*, arn:aws:sqs:eu-west-1:123:queue -> named:queue,
    arn:aws:dynamodb:...:table/invoices/index/x -> named:invoices/index/x; "*" stays "*".
    """
    if text == "*":
        return "*"
    # Serverless Framework variables for the partition, region and account (`${aws:region}`) stand for this stack's.
    text = _PSEUDO_VARIABLE.sub(lambda m: _PSEUDO_VALUE[m.group(1)], text)
    match = _ARN.match(text)
    if match is None:
        return "?" if "${" in text or "{{" in text else f"named:{text}"
    service, resource = match.groups()
    for prefix in ("table/", "secret:", "function:", "stream/", "key/", "parameter/"):
        if resource.startswith(prefix):
            resource = resource.removeprefix(prefix)
            break
    if service == "secretsmanager":
        resource = re.sub(r"-[A-Za-z0-9]{6}$", "", resource)  # the random suffix Secrets Manager adds
    return f"named:{resource}"


def describe_resource(value: Any, names: Any) -> str:
    """A policy Resource (or a template argument) as "<name>[/rest]", "named:...", "*" or "?"."""
    if isinstance(value, str):
        return named_arn(value)
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Ref" and isinstance(inner, str):
            base = inner.split(".", 1)[0]
            return base if base in names else "?"
        if key == "Fn::GetAtt":
            target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
            return target if isinstance(target, str) and target in names else "?"
        if key == "Fn::Sub":
            template = inner[0] if isinstance(inner, list) and inner else inner
            if not isinstance(template, str):
                return "?"
            variables = inner[1] if isinstance(inner, list) and len(inner) > 1 else None
            if isinstance(variables, dict):
                template = _fill_sub_variables(template, variables, names)
                if template is None:
                    return "?"
            return _describe_sub(template, names)
        if key == "Fn::Select" and isinstance(inner, list) and len(inner) == 2:
            # !Select [5, !Split [":", !Ref QueueArn]]: the queue's name, cut from its ARN: the same resource
            split = inner[1].get("Fn::Split") if isinstance(inner[1], dict) and len(inner[1]) == 1 else None
            if isinstance(split, list) and len(split) == 2 and split[0] in (":", "/"):
                described = describe_resource(split[1], names)
                return described if not described.startswith("named:") else "?"
            return "?"
        if key == "Fn::Join" and isinstance(inner, list) and len(inner) == 2 and isinstance(inner[1], list):
            parts = []
            for part in inner[1]:
                if isinstance(part, str):
                    parts.append(part)
                else:
                    described = describe_resource(part, names)
                    if described in ("?", "*") or described.startswith("named:"):
                        return "?"
                    parts.append("${" + described + "}")
            return _describe_sub(str(inner[0]).join(parts), names)
    return "?"


def _fill_sub_variables(template: str, variables: dict, names: Any) -> str | None:
    """`!Sub ["${T}/index/${I}", {T: !GetAtt Table.Arn, I: byStatus}]` as `${Table}/index/byStatus`."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            return match.group(0)
        value = variables[name]
        if isinstance(value, str):
            return value
        described = describe_resource(value, names)
        return "\0" if described in ("?", "*") or described.startswith("named:") else "${" + described + "}"

    filled = _SUB_PLACEHOLDER.sub(one, template)
    return None if "\0" in filled else filled


def _describe_sub(template: str, names: Any) -> str:
    """`arn:aws:s3:::${Bucket}/*` -> Bucket/*; `${Table.Arn}/index/x` -> Table/index/x."""
    for match in _SUB_PLACEHOLDER.finditer(template):
        name = match.group(1)
        if name in names:
            rest = template[match.end() :]
            return name + rest if "${" not in rest else "?"
    if "${" in template:
        return "?"
    return named_arn(template)
