"""IAM policy documents and SAM policy templates as model statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from courseware.footguns.formats.cfn_values import as_list, get, items_with_lines
from courseware.footguns.model import Statement
from courseware.footguns.parsers.nodes import line_of

# SAM policy templates (the ones that matter for the rules): name -> actions they grant.
SAM_POLICY_TEMPLATES = {
    "LambdaInvokePolicy": ["lambda:InvokeFunction"],
    "S3CrudPolicy": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "S3WritePolicy": ["s3:PutObject"],
    "S3FullAccessPolicy": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "S3ReadPolicy": ["s3:GetObject"],
    "SQSSendMessagePolicy": ["sqs:SendMessage"],
    "SQSPollerPolicy": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
    "SNSPublishMessagePolicy": ["sns:Publish"],
    "SNSCrudPolicy": ["sns:Publish"],
}

# AWS managed policies that grant every action on every resource.
ADMIN_POLICIES = ("AdministratorAccess", "PowerUserAccess")

RefFinder = Callable[[Any], set[str]]


def statements_from_document(document: Any, file: str, find_refs: RefFinder, line_offset: int = 0) -> list[Statement]:
    statements = []
    raw = get(document, "Statement")
    for statement, line in items_with_lines(raw):
        if not isinstance(statement, dict):
            continue
        actions_key = "Action" if "Action" in statement else "NotAction"
        actions = [a for a in as_list(statement.get(actions_key)) if isinstance(a, str)]
        if actions_key == "NotAction":
            # "everything except" is as broad as a wildcard for this model
            actions = ["*"]
        resources = as_list(statement.get("Resource"))
        statements.append(
            Statement(
                file=file,
                line=_shift(line, line_offset),
                effect=str(statement.get("Effect", "Allow")),
                actions=actions,
                resources=resources,
                refs=find_refs(statement.get("Resource")),
                actions_line=_shift(line_of(statement, actions_key), line_offset),
            )
        )
    return statements


def _shift(line: int | None, offset: int) -> int | None:
    if line is None:
        return None
    return line + offset


def statements_from_sam_policies(policies: Any, file: str, find_refs: RefFinder) -> list[Statement]:
    statements: list[Statement] = []
    for policy, line in items_with_lines(policies):
        if isinstance(policy, str):
            if policy.rsplit("/", 1)[-1] in ADMIN_POLICIES:
                statements.append(_admin_statement(file, line, policy))
            continue
        if not isinstance(policy, dict):
            continue
        if "Statement" in policy:
            statements.extend(statements_from_document(policy, file, find_refs))
            continue
        for name, arguments in policy.items():
            actions = SAM_POLICY_TEMPLATES.get(name)
            if actions is None:
                continue
            statements.append(
                Statement(
                    file=file,
                    line=line_of(policy, name),
                    effect="Allow",
                    actions=list(actions),
                    resources=[arguments],
                    refs=find_refs(arguments),
                    actions_line=line_of(policy, name),
                    template=name,
                )
            )
    return statements


def _admin_statement(file: str, line: int | None, policy: str) -> Statement:
    return Statement(
        file=file, line=line, effect="Allow", actions=["*"], resources=["*"], refs=set(),
        actions_line=line, template=policy,
    )  # fmt: skip


def managed_policy_statements(arns: Any, file: str) -> list[Statement]:
    statements = []
    for arn, line in items_with_lines(arns):
        if isinstance(arn, str) and arn.rsplit("/", 1)[-1] in ADMIN_POLICIES:
            statements.append(_admin_statement(file, line, arn))
    return statements


def grants(statement: Statement, action: str) -> bool:
    """Whether an Allow statement's actions cover `action` (service:Name)."""
    if statement.effect != "Allow":
        return False
    service = action.split(":", 1)[0].lower()
    for granted in statement.actions:
        granted = granted.lower()
        if granted in ("*", f"{service}:*", action.lower()):
            return True
        if granted.endswith("*") and action.lower().startswith(granted[:-1]):
            return True
    return False
