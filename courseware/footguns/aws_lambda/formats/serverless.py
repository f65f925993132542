"""A Serverless Framework service (serverless.yml) into the model.

The framework's own defaults differ from AWS's: timeout 6 s and memorySize 1024 MB.
`${...}` variables are left as opaque text (except `${self:custom.x}` as the whole value of a numeric
setting, read from `custom`); `resources.Resources` is CloudFormation.
"""

from __future__ import annotations

import re
from typing import Any

from courseware.footguns.aws_lambda.formats.cfn_values import as_int, as_list, endpoint_refs, get, setting
from courseware.footguns.aws_lambda.formats.cloudformation import (
    HTTP_API_LIMIT_S,
    REST_API_LIMIT_S,
    TemplateReader,
)
from courseware.footguns.aws_lambda.formats.iam import managed_policy_statements, statements_from_document
from courseware.footguns.aws_lambda.model import Application, Function, Setting, Statement, Trigger
from courseware.footguns.parsers.nodes import LineDict, line_of

NUMERIC_SETTINGS = ("timeout", "memory", "reserved_concurrency", "provisioned_concurrency", "retries", "event_age")
FRAMEWORK_DEFAULT_TIMEOUT_S = 6
FRAMEWORK_DEFAULT_MEMORY_MB = 1024

_EVENT_KINDS = {
    "http": "api",
    "httpApi": "http_api",
    "websocket": "api",
    "alb": "alb",
    "sqs": "sqs",
    "stream": "stream",
    "kafka": "stream",
    "msk": "stream",
    "s3": "s3",
    "sns": "sns",
    "schedule": "schedule",
    "eventBridge": "events",
    "cloudwatchEvent": "events",
    "cloudwatchLog": "events",
    "iot": "events",
}


def read_service(document: Any, file: str, app: Application) -> None:
    resources = get(document, "resources", "Resources")
    template = LineDict(1)
    if isinstance(resources, dict):
        template["Resources"] = resources
    reader = TemplateReader(template, file, "serverless", app)
    reader.read()
    functions = document.get("functions")
    if not isinstance(functions, dict):
        return
    # `!GetAtt WorkerLambdaFunction.Arn` names the function the framework generates for `worker`.
    logical_ids = {logical_id(str(name)): str(name) for name in functions}
    reader.names |= set(logical_ids)
    provider = document.get("provider") if isinstance(document.get("provider"), dict) else {}
    statements_raw = get(provider, "iam", "role", "statements")
    if statements_raw is None:
        statements_raw = provider.get("iamRoleStatements")

    def find_refs(value: Any) -> set[str]:
        return {logical_ids.get(name, name) for name in reader.find_refs(value)}

    def describe(value: Any) -> str:
        return _describe(reader, logical_ids, value)

    shared_statements = statements_from_document({"Statement": statements_raw}, file, find_refs, describe=describe)
    shared_statements += managed_policy_statements(get(provider, "iam", "role", "managedPolicies"), file)
    for name, config in functions.items():
        if not isinstance(config, dict):
            config = LineDict(line_of(functions, name) or 1)
        function = Function(
            str(name), file, line_of(functions, name), "serverless",
            default_timeout=FRAMEWORK_DEFAULT_TIMEOUT_S, default_memory=FRAMEWORK_DEFAULT_MEMORY_MB,
        )  # fmt: skip
        _read_function(function, config, provider, file, find_refs)
        for attribute in NUMERIC_SETTINGS:
            setattr(function, attribute, _resolve_custom(document, getattr(function, attribute)))
        function.statements.extend(shared_statements)
        function.statements.extend(_destination_grants(function, find_refs, describe))
        app.functions[function.name] = function
    # An AWS::Lambda::EventInvokeConfig under `resources` may name a generated function (ImporterLambdaFunction).
    for resource in reader.resources.values():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Lambda::EventInvokeConfig":
            props = resource.get("Properties")
            for name in sorted(find_refs(get(props, "FunctionName"))):
                if name in app.functions and name in functions:
                    reader.read_invoke_config(app.functions[name], props)


# The framework adds to the role what an asynchronous destination of each type needs.
_DESTINATION_ACTIONS = {
    "sqs": "sqs:SendMessage",
    "sns": "sns:Publish",
    "function": "lambda:InvokeFunction",
    "eventBus": "events:PutEvents",
}


def _destination_grants(function: Function, find_refs: Any, describe: Any) -> list[Statement]:
    target = function.on_failure
    value = target.value if target is not None else None
    action = _DESTINATION_ACTIONS.get(str(value.get("type"))) if isinstance(value, dict) else None
    if target is None or action is None or value.get("arn") is None:
        return []
    arn = value["arn"]
    return [
        Statement(
            file=target.file, line=target.line, effect="Allow", actions=[action], resources=[arn],
            refs=find_refs(arn), actions_line=target.line, template="destinations.onFailure",
            targets=[describe(arn)],
        )
    ]  # fmt: skip


def _describe(reader: TemplateReader, logical_ids: dict[str, str], value: Any) -> str:
    """A role statement's resource, with `WorkerLambdaFunction` read as the function `worker`.

    `${param:name}` as the whole resource is read as the parameter `name`, as a CloudFormation `!Ref` is.
    """
    param = re.fullmatch(r"\$\{param:([\w-]+)\}", value.strip()) if isinstance(value, str) else None
    if param is not None:
        return param.group(1)
    described = reader.describe(value)
    name, slash, rest = described.partition("/")
    return logical_ids.get(name, name) + slash + rest


def _resolve_custom(document: Any, value: Setting | None) -> Setting | None:
    """`${self:custom.a.b}` as the whole value: the number written under `custom`, at the same place."""
    text = value.value if value is not None else None
    match = re.fullmatch(r"\$\{self:custom\.([\w.-]+)\}", text.strip()) if isinstance(text, str) else None
    if match is None:
        return value
    found = get(document, "custom", *match.group(1).split("."))
    if isinstance(found, bool) or not isinstance(found, (int, str)) or as_int(found) is None:
        return value
    return Setting(found, value.file, value.line)


def _either(config: dict, provider: dict, key: str, file: str) -> tuple[Setting | None, str]:
    value = setting(config, key, file)
    if value is not None:
        return value, ""
    value = setting(provider, key, file)
    return value, ("from provider" if value is not None else "")


def logical_id(name: str) -> str:
    """The CloudFormation logical id the framework gives a function's resource."""
    normalised = name[:1].upper() + name[1:]
    return normalised.replace("-", "Dash").replace("_", "Underscore") + "LambdaFunction"


def _read_function(function: Function, config: dict, provider: dict, file: str, find_refs: Any) -> None:
    function.runtime, _ = _either(config, provider, "runtime", file)
    function.handler = setting(config, "handler", file)
    function.timeout, function.timeout_note = _either(config, provider, "timeout", file)
    function.memory, _ = _either(config, provider, "memorySize", file)
    function.architecture, _ = _either(config, provider, "architecture", file)
    function.reserved_concurrency = setting(config, "reservedConcurrency", file)
    function.provisioned_concurrency = setting(config, "provisionedConcurrency", file)
    if function.provisioned_concurrency is not None:
        # The framework publishes a version, puts it behind a "provisioned" alias and points the events there.
        function.publishes = function.provisioned_concurrency
        function.aliases["provisioned"] = function.provisioned_concurrency.line
        function.provisioned_on.add("alias:provisioned")
    snap = setting(config, "snapStart", file)
    if snap is not None and snap.value is True:
        function.snap_start = Setting("PublishedVersions", file, snap.line)
    for source in (provider, config):
        variables = source.get("environment")
        if isinstance(variables, dict):
            for key, value in variables.items():
                function.environment[key] = Setting(value, file, line_of(variables, key))
    function.vpc, _ = _either(config, provider, "vpc", file)
    function.dead_letter = setting(config, "onError", file)
    function.retries = setting(config, "maximumRetryAttempts", file)
    function.event_age = setting(config, "maximumEventAge", file)
    on_failure = get(config, "destinations", "onFailure")
    if on_failure is not None:
        function.on_failure = Setting(on_failure, file, line_of(config.get("destinations"), "onFailure"))
    retention, _ = _either(config, provider, "logRetentionInDays", file)
    function.has_log_group = True  # the framework creates /aws/lambda/<name> itself
    function.log_retention = retention
    environments = [config.get("environment"), provider.get("environment")]
    mentioned = find_refs(environments)
    function.refs = {name: line_of(config) for name in mentioned}
    function.endpoint_refs = endpoint_refs(environments, mentioned)
    if config.get("url"):
        function.triggers.append(Trigger("function_url", file, line_of(config, "url")))
    events = config.get("events")
    for index, event in enumerate(as_list(events)):
        if not isinstance(event, dict) or len(event) != 1:
            continue
        ((kind_name, options),) = event.items()
        kind = _EVENT_KINDS.get(str(kind_name), "unknown")
        line = line_of(events, index)
        trigger = Trigger(kind, file, line, qualifier="alias:provisioned" if function.provisioned_on else None)
        if kind == "api":
            trigger.limit_s = REST_API_LIMIT_S
            if isinstance(options, dict):  # framework v4.4.13+: the REST integration timeout
                trigger.integration_timeout_ms = setting(options, "timeoutInMillis", file)
        elif kind == "http_api":
            trigger.limit_s = HTTP_API_LIMIT_S
        elif kind in ("sqs", "stream"):
            arn = options.get("arn") if isinstance(options, dict) else options
            sources = sorted(find_refs(arn))
            trigger.source = next(iter(sources), None)
            trigger.source_literal = arn if isinstance(arn, str) else None
            if isinstance(options, dict):
                response = options.get("functionResponseType")
                trigger.partial_batch = "ReportBatchItemFailures" in as_list(response)
                trigger.batch_size = as_int(options.get("batchSize"))
                cap = setting(options, "maximumConcurrency", file)
                if cap is not None and as_int(cap.value) is not None:
                    trigger.max_concurrency = cap
            else:
                trigger.partial_batch = False
        elif kind in ("s3", "sns"):
            key = "bucket" if kind == "s3" else "topicName"
            target = options.get(key, options.get("arn")) if isinstance(options, dict) else options
            sources = sorted(find_refs(target))
            trigger.source = next(iter(sources), None)
            trigger.source_literal = target if isinstance(target, str) else None
        function.triggers.append(trigger)
