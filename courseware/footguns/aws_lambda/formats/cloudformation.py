"""SAM and CloudFormation templates into the model."""

from __future__ import annotations

import re
from typing import Any

from courseware.footguns.aws_lambda.formats.cfn_values import (
    as_int,
    as_list,
    describe_resource,
    endpoint_refs,
    get,
    items_with_lines,
    refs,
    setting,
)
from courseware.footguns.aws_lambda.formats.iam import (
    managed_statement,
    statements_from_document,
    statements_from_sam_policies,
)
from courseware.footguns.aws_lambda.model import Application, DataStore, Function, Setting, Statement, Trigger
from courseware.footguns.parsers.nodes import LineDict, LineList, line_of

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

_STORE_KINDS = {
    "AWS::SQS::Queue": "sqs",
    "AWS::S3::Bucket": "s3",
    "AWS::SNS::Topic": "sns",
    "AWS::RDS::DBInstance": "rds_instance",
    "AWS::RDS::DBCluster": "rds_cluster",
    "AWS::RDS::DBProxy": "rds_proxy",
    "AWS::RDS::DBParameterGroup": "rds_parameter_group",
    "AWS::RDS::DBClusterParameterGroup": "rds_parameter_group",
    "AWS::Kinesis::Stream": "stream",
    "AWS::DynamoDB::Table": "table",
    "AWS::Logs::LogGroup": "log_group",
    "AWS::Serverless::Api": "api",
    "AWS::Serverless::HttpApi": "http_api",
    "AWS::ApiGateway::RestApi": "api",
    "AWS::ApiGatewayV2::Api": "http_api",
    "AWS::CloudWatch::Alarm": "alarm",
    "AWS::SNS::Subscription": "sns_subscription",
}
_FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
_SAM_EVENT_KINDS = {
    "Api": "api",
    "HttpApi": "http_api",
    "SQS": "sqs",
    "Kinesis": "stream",
    "DynamoDB": "stream",
    "MSK": "stream",
    "S3": "s3",
    "SNS": "sns",
    "Schedule": "schedule",
    "ScheduleV2": "schedule",
    "CloudWatchEvent": "events",
    "EventBridgeRule": "events",
    "IoTRule": "events",
    "CloudWatchLogs": "events",
}
_PRINCIPAL_KINDS = {
    "apigateway.amazonaws.com": "api",
    "s3.amazonaws.com": "s3",
    "sns.amazonaws.com": "sns",
    "events.amazonaws.com": "events",
    "elasticloadbalancing.amazonaws.com": "alb",
}
# What `!Ref` returns for these is a URL or a name (CloudFormation's return values), never the ARN a policy needs.
_REF_IS_NOT_AN_ARN = frozenset({"AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::S3::Bucket"})
REST_API_LIMIT_S = 29
HTTP_API_LIMIT_S = 30
_STORE_SETTINGS = (
    "VisibilityTimeout",
    "DBInstanceClass",
    "Engine",
    "RetentionInDays",
    "LogGroupName",
    "DBParameterGroupName",
    "BucketName",
    "QueueName",
    "TopicName",
    "TableName",
    "MessageRetentionPeriod",
    "FifoQueue",
    "Subscription",
    "RedrivePolicy",
    "MetricName",
    "Namespace",
    "Threshold",
    "ComparisonOperator",
    "AlarmActions",
    "Dimensions",
    "Name",
)
# After a function's ARN in a Sub or Join: ":live", ":3" or ":$LATEST" names what is invoked.
_QUALIFIER = re.compile(r"^:([A-Za-z0-9$_-]{1,128})")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]{1,255})((?:\.[A-Za-z0-9_]{1,255}){0,3})\}")


def qualifier_from_suffix(rest: str) -> str:
    match = _QUALIFIER.match(rest)
    if match is None:
        return "latest"
    name = match.group(1)
    if name == "$LATEST":
        return "latest"
    return "version" if name.isdigit() else f"alias:{name}"


def _sub_with_variables(value: Any) -> Any:
    """`!Sub ["/aws/lambda/${Fn}", {Fn: X}]` as the one-argument form: literal variables written in, references
    written as `${Name}`, so the name reads the same however the template spells it."""
    inner = value.get("Fn::Sub") if isinstance(value, dict) and len(value) == 1 else None
    if not (isinstance(inner, list) and len(inner) == 2 and isinstance(inner[0], str) and isinstance(inner[1], dict)):
        return value
    variables = inner[1]

    def one(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, str):
            return variable
        if isinstance(variable, dict) and len(variable) == 1:
            ((key, target),) = variable.items()
            if key == "Ref" and isinstance(target, str):
                return "${" + target + "}"
            if key == "Fn::GetAtt":
                parts = target if isinstance(target, list) else str(target).split(".", 1)
                return "${" + ".".join(str(p) for p in parts) + "}"
        return match.group(0)

    text = _PLACEHOLDER.sub(one, inner[0])
    return text if "${" not in text else {"Fn::Sub": text}


def _apply_mappings(container: Any, mappings: dict) -> None:
    """Replace each `Fn::FindInMap` whose three keys are written out by the mapped value, with its line."""
    stack = [container]
    while stack:
        item = stack.pop()
        keys: Any = list(item.keys()) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
        for key in keys:
            value = item[key]
            if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Fn::FindInMap"), list):
                path = value["Fn::FindInMap"]
                if len(path) == 3 and all(isinstance(part, str) for part in path):
                    top = mappings.get(path[0])
                    middle = top.get(path[1]) if isinstance(top, dict) else None
                    if isinstance(middle, dict) and path[2] in middle:
                        item[key] = middle[path[2]]
                        line = line_of(middle, path[2])
                        if isinstance(item, LineDict) and line is not None:
                            item.key_lines[key] = line
                        elif isinstance(item, LineList) and line is not None:
                            item.item_lines[key] = line
                        continue
            if isinstance(value, (dict, list)):
                stack.append(value)


def _apply_defaults(container: Any, defaults: dict[str, tuple[Any, int | None]]) -> None:
    """Replace each `Ref` to a parameter that has a usable Default by the Default, with its line."""
    stack = [container]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys: Any = list(item.keys())
        elif isinstance(item, list):
            keys = range(len(item))
        else:
            continue
        for key in keys:
            value = item[key]
            if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
                default = defaults.get(value["Ref"])
                if default is not None:
                    item[key] = default[0]
                    if isinstance(item, LineDict) and default[1] is not None:
                        item.key_lines[key] = default[1]
                    elif isinstance(item, LineList) and default[1] is not None:
                        item.item_lines[key] = default[1]
                    continue
            if isinstance(value, (dict, list)):
                stack.append(value)


def _ignores_global(props: dict, key: str) -> bool:
    """SAM's IgnoreGlobals: "*" or a list of the properties a function takes from nowhere but itself."""
    ignored = props.get("IgnoreGlobals")
    if ignored == "*":
        return True
    return isinstance(ignored, list) and key in ignored


def classify(document: Any) -> str | None:
    if not isinstance(document, dict):
        return None
    transform = document.get("Transform")
    if SAM_TRANSFORM in [t for t in as_list(transform) if isinstance(t, str)]:
        return "sam"
    if "AWSTemplateFormatVersion" in document or isinstance(document.get("Resources"), dict):
        return "cloudformation"
    return None


class TemplateReader:
    def __init__(self, document: LineDict, file: str, fmt: str, app: Application) -> None:
        self.file = file
        self.format = fmt
        self.app = app
        resources = document.get("Resources")
        self.resources: dict[str, Any] = resources if isinstance(resources, dict) else {}
        self.names = set(self.resources)
        self.globals = get(document, "Globals", "Function")
        if not isinstance(self.globals, dict):
            self.globals = {}
        self.role_statements: dict[str, list[Statement]] = {}
        self.parameter_names: set[str] = set()
        self.read_parameters(document.get("Parameters"))
        mappings = document.get("Mappings")
        if isinstance(mappings, dict):
            _apply_mappings(self.resources, mappings)
            _apply_mappings(self.globals, mappings)

    def read_parameters(self, parameters: Any) -> None:
        """A Ref to a parameter is its Default for every rule; without one its value is unknown."""
        if not isinstance(parameters, dict):
            return
        defaults: dict[str, tuple[Any, int | None]] = {}
        for name, definition in parameters.items():
            if not isinstance(name, str):
                continue
            self.parameter_names.add(name)
            kind = str(get(definition, "Type") or "")
            # An SSM-typed parameter's Default is the name of the SSM parameter, not its value.
            if isinstance(definition, dict) and "Default" in definition and not kind.startswith("AWS::SSM::"):
                defaults[name] = (definition["Default"], line_of(definition, "Default"))
            else:
                self.app.parameters[name] = Setting(None, self.file, line_of(parameters, name))
        _apply_defaults(self.resources, defaults)
        _apply_defaults(self.globals, defaults)

    def describe(self, value: Any) -> str:
        return describe_resource(value, self.names | self.parameter_names)

    def find_refs(self, value: Any) -> set[str]:
        return set(refs(value, self.names))

    def type_of(self, name: str) -> str | None:
        resource = self.resources.get(name)
        return resource.get("Type") if isinstance(resource, dict) else None

    def read(self) -> None:
        typed = []
        for name, resource in self.resources.items():
            if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
                continue
            props = resource.get("Properties")
            typed.append((name, resource, resource["Type"], props if isinstance(props, dict) else {}))
        for name, resource, kind, props in typed:
            if kind in _STORE_KINDS:
                self.add_store(name, resource, kind, props)
            elif kind == "AWS::IAM::Role":
                self.role_statements.setdefault(name, []).extend(self.role_policies(props))
        for _name, _resource, kind, props in typed:
            if kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                statements = self.document_statements(props.get("PolicyDocument"))
                for role in self.find_refs(props.get("Roles")):
                    self.role_statements.setdefault(role, []).extend(statements)
        for name, resource, kind, props in typed:
            if kind in _FUNCTION_TYPES:
                self.add_function(name, resource, kind, props)
        for name, resource, kind, props in typed:
            self.link(name, resource, kind, props)

    # -- resources -------------------------------------------------------------------------

    def add_store(self, name: str, resource: Any, kind: str, props: dict) -> None:
        store = DataStore(name, _STORE_KINDS[kind], self.file, line_of(self.resources, name))
        for key in _STORE_SETTINGS:
            value = setting(props, key, self.file)
            if value is not None:
                store.settings[key] = value
        if store.kind == "rds_parameter_group":
            max_connections = setting(props.get("Parameters"), "max_connections", self.file)
            if max_connections is not None:
                store.settings["max_connections"] = max_connections
        store.refs = refs(props, self.names)
        self.app.stores[name] = store

    def role_policies(self, props: dict) -> list[Statement]:
        statements = []
        for arn, line in items_with_lines(props.get("ManagedPolicyArns")):
            statements.extend(self.managed(arn, line))
        for policy, _line in items_with_lines(props.get("Policies")):
            statements.extend(self.document_statements(get(policy, "PolicyDocument")))
        return statements

    def document_statements(self, document: Any) -> list[Statement]:
        return statements_from_document(document, self.file, self.find_refs, describe=self.describe_policy_resource)

    def describe_policy_resource(self, value: Any) -> str:
        """A policy's Resource: `!Ref` of a queue, table or bucket is its URL or name, not an ARN, so IAM grants
        nothing on it."""
        if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
            if self.type_of(value["Ref"]) in _REF_IS_NOT_AN_ARN:
                return "?"
        return self.describe(value)

    def managed(self, arn: Any, line: int | None) -> list[Statement]:
        """An attached managed policy: AWS's by name, or one defined in this template."""
        if isinstance(arn, str):
            return [managed_statement(self.file, line, arn)]
        sub = arn.get("Fn::Sub") if isinstance(arn, dict) and len(arn) == 1 else None
        if isinstance(sub, str) and "${" not in sub.replace("${AWS::Partition}", "aws"):
            # !Sub arn:${AWS::Partition}:iam::aws:policy/...: an AWS managed policy in any partition
            return [managed_statement(self.file, line, sub.replace("${AWS::Partition}", "aws"))]
        for name in self.find_refs(arn):
            if self.type_of(name) == "AWS::IAM::ManagedPolicy":
                return self.document_statements(get(self.resources[name], "Properties", "PolicyDocument"))
        return [managed_statement(self.file, line, "unknown/policy")]

    def prop(self, props: dict, key: str, sam: bool) -> tuple[Setting | None, str]:
        value = setting(props, key, self.file)
        if value is not None:
            return value, ""
        if sam and not _ignores_global(props, key):
            value = setting(self.globals, key, self.file)
            if value is not None:
                return value, "from Globals"
        return None, ""

    def add_function(self, name: str, resource: Any, kind: str, props: dict) -> None:
        sam = kind == "AWS::Serverless::Function"
        function = Function(name, self.file, line_of(self.resources, name), self.format)
        function.runtime, _ = self.prop(props, "Runtime", sam)
        function.handler, _ = self.prop(props, "Handler", sam)
        function.code_path, _ = self.prop(props, "CodeUri" if sam else "Code", sam)
        function.timeout, function.timeout_note = self.prop(props, "Timeout", sam)
        function.memory, _ = self.prop(props, "MemorySize", sam)
        function.architecture, _ = self.prop(props, "Architectures", sam)
        function.reserved_concurrency, _ = self.prop(props, "ReservedConcurrentExecutions", sam)
        function.vpc, _ = self.prop(props, "VpcConfig", sam)
        storage, _ = self.prop(props, "EphemeralStorage", sam)
        if storage is not None:
            function.ephemeral_storage = Setting(get(storage.value, "Size"), storage.file, storage.line)
        snap, _ = self.prop(props, "SnapStart", sam)
        if snap is not None:
            apply_on = get(snap.value, "ApplyOn")
            function.snap_start = Setting(apply_on, snap.file, snap.line)
        environment = {}
        for source in (self.globals if sam and not _ignores_global(props, "Environment") else {}, props):
            variables = get(source, "Environment", "Variables")
            if isinstance(variables, dict):
                for key, value in variables.items():
                    environment[key] = Setting(value, self.file, line_of(variables, key))
        function.environment = environment
        ignored = {"Events", "Policies", "Role", "Environment"}
        property_refs = refs({k: v for k, v in props.items() if k not in ignored}, self.names)
        function.refs = refs(get(props, "Environment"), self.names, property_refs)
        function.endpoint_refs = endpoint_refs(
            [get(props, "Environment"), {k: v for k, v in props.items() if k not in ignored}], self.names
        )
        if sam:
            self.read_sam_extras(function, props)
        else:
            dead_letter = setting(props, "DeadLetterConfig", self.file)
            if dead_letter is not None and get(dead_letter.value, "TargetArn") is not None:
                function.dead_letter = dead_letter
        role = props.get("Role")
        for role_name in self.find_refs(role):
            function.statements.extend(self.role_statements.get(role_name, []))
        logging = get(props, "LoggingConfig", "LogGroup")
        if logging is not None:
            for group in self.find_refs(logging):
                self.attach_log_group(function, group)
        self.app.functions[name] = function

    def read_sam_extras(self, function: Function, props: dict) -> None:
        alias, _ = self.prop(props, "AutoPublishAlias", True)
        qualifier = "latest"
        if alias is not None and isinstance(alias.value, str) and alias.value:
            function.publishes = alias
            function.aliases[alias.value] = alias.line
            qualifier = f"alias:{alias.value}"
        provisioned, _ = self.prop(props, "ProvisionedConcurrencyConfig", True)
        if provisioned is not None:
            count = get(provisioned.value, "ProvisionedConcurrentExecutions")
            function.provisioned_concurrency = Setting(count, provisioned.file, provisioned.line)
            if qualifier != "latest":  # SAM puts it on the AutoPublishAlias (it refuses it without one)
                function.provisioned_on.add(qualifier)
        dead_letter, _ = self.prop(props, "DeadLetterQueue", True)
        if dead_letter is not None and get(dead_letter.value, "TargetArn") is not None:
            function.dead_letter = dead_letter
        invoke_config, _ = self.prop(props, "EventInvokeConfig", True)
        if invoke_config is not None:
            self.read_invoke_config(function, invoke_config.value)
        # SAM ignores Policies when the function names its own Role (it generates no role to attach them to).
        policies = props.get("Policies") if props.get("Role") is None else None
        function.statements.extend(
            statements_from_sam_policies(
                policies,
                self.file,
                self.find_refs,
                describe=self.describe,
                describe_resource=self.describe_policy_resource,
            )
        )
        if isinstance(props.get("FunctionUrlConfig"), dict):
            function.triggers.append(
                Trigger("function_url", self.file, line_of(props, "FunctionUrlConfig"), qualifier=qualifier)
            )
        events = props.get("Events")
        if not isinstance(events, dict):
            return
        for event_name, event in events.items():
            if not isinstance(event, dict):
                continue
            kind = _SAM_EVENT_KINDS.get(str(event.get("Type")), "unknown")
            event_props = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
            # With AutoPublishAlias, SAM connects every event source to the alias.
            trigger = Trigger(kind, self.file, line_of(events, event_name), qualifier=qualifier)
            source_key = {"sqs": "Queue", "stream": "Stream", "s3": "Bucket", "sns": "Topic"}.get(kind)
            if source_key is not None:
                sources = self.find_refs(event_props.get(source_key))
                trigger.source = next(iter(sorted(sources)), None)
            if kind in ("sqs", "stream"):
                trigger.partial_batch = "ReportBatchItemFailures" in as_list(event_props.get("FunctionResponseTypes"))
                trigger.batch_size = as_int(event_props.get("BatchSize"))
                trigger.max_concurrency = self.scaling_cap(event_props)
            if kind == "api":
                trigger.limit_s = REST_API_LIMIT_S
                api = self.find_refs(event_props.get("RestApiId"))
                trigger.source = next(iter(sorted(api)), None)
                timeout = setting(event_props, "TimeoutInMillis", self.file)
                trigger.integration_timeout_ms = timeout
            elif kind == "http_api":
                trigger.limit_s = HTTP_API_LIMIT_S
                trigger.integration_timeout_ms = setting(event_props, "TimeoutInMillis", self.file)
            function.triggers.append(trigger)

    def read_invoke_config(self, function: Function, config: Any) -> None:
        on_failure = get(config, "DestinationConfig", "OnFailure")
        if on_failure is not None:
            function.on_failure = Setting(on_failure, self.file, line_of(on_failure))
        retries = setting(config, "MaximumRetryAttempts", self.file)
        if retries is not None:
            function.retries = retries
        age = setting(config, "MaximumEventAgeInSeconds", self.file)
        if age is not None:
            function.event_age = age

    def scaling_cap(self, props: Any) -> Setting | None:
        scaling = get(props, "ScalingConfig")
        cap = setting(scaling, "MaximumConcurrency", self.file)
        return cap if cap is not None and as_int(cap.value) is not None else None

    def attach_log_group(self, function: Function, group_name: str) -> None:
        store = self.app.stores.get(group_name)
        if store is None or store.kind != "log_group":
            return
        function.has_log_group = True
        function.log_retention = store.settings.get("RetentionInDays")

    # -- resources that point at functions --------------------------------------------------

    def functions_in(self, value: Any) -> list[Function]:
        return [function for function, _ in self.targets_in(value)]

    def targets_in(self, value: Any, depth: int = 0) -> list[tuple[Function, str | None]]:
        """The functions `value` names, each with what is invoked: "latest", "alias:<name>" or "version"."""
        found: list[tuple[Function, str | None]] = []
        for name, suffix in self.mentions(value):
            if name in self.app.functions:
                function = self.app.functions[name]
                if suffix.startswith(".Alias"):
                    alias = function.publishes.value if function.publishes is not None else None
                    found.append((function, f"alias:{alias}" if alias else None))
                elif suffix.startswith(".Version"):
                    found.append((function, "version"))
                else:
                    found.append((function, qualifier_from_suffix(suffix)))
            elif self.type_of(name) in ("AWS::Lambda::Alias", "AWS::Lambda::Version") and depth < 3:
                target = self.resources[name].get("Properties", {})
                alias = get(target, "Name")
                qualifier = (
                    "version"
                    if self.type_of(name) == "AWS::Lambda::Version"
                    else (f"alias:{alias}" if isinstance(alias, str) else None)
                )
                found.extend(
                    (function, qualifier) for function, _ in self.targets_in(get(target, "FunctionName"), depth + 1)
                )
        if not found and isinstance(value, str):
            # a literal function name or ARN, possibly qualified
            for function in self.app.functions.values():
                literal = get(self.resources.get(function.name), "Properties", "FunctionName")
                if not isinstance(literal, str) or not literal:
                    continue
                text = value.rsplit(":function:", 1)[-1]
                if text == literal or text.startswith(literal + ":"):
                    found.append((function, qualifier_from_suffix(text[len(literal) :])))
        return found

    def mentions(self, value: Any) -> list[tuple[str, str]]:
        """Resource names that `value` refers to, each with the text that follows the reference."""
        found: list[tuple[str, str]] = []
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if len(item) == 1:
                    ((key, inner),) = item.items()
                    if key == "Ref" and isinstance(inner, str):
                        base, _, attribute = inner.partition(".")
                        if base in self.names:
                            found.append((base, "." + attribute if attribute else ""))
                        continue
                    if key == "Fn::GetAtt":
                        target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
                        if isinstance(target, str) and target in self.names:
                            found.append((target, ""))
                        continue
                    if key == "Fn::Sub":
                        template = inner[0] if isinstance(inner, list) and inner else inner
                        if isinstance(template, str):
                            found.extend(self.sub_mentions(template))
                            continue
                    if key == "Fn::Join" and isinstance(inner, list) and len(inner) == 2:
                        parts = inner[1] if isinstance(inner[1], list) else []
                        text = []
                        for part in parts:
                            if isinstance(part, str):
                                text.append(part)
                            else:
                                named = self.mentions(part)
                                text.append("${" + named[0][0] + named[0][1] + "}" if named else "?")
                        found.extend(self.sub_mentions(str(inner[0]).join(text)))
                        continue
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return found

    def sub_mentions(self, template: str) -> list[tuple[str, str]]:
        found = []
        for match in _PLACEHOLDER.finditer(template):
            if match.group(1) in self.names:
                attribute = match.group(2)
                suffix = attribute if attribute.startswith((".Alias", ".Version")) else ""
                found.append((match.group(1), suffix + template[match.end() :]))
        return found

    def link(self, name: str, resource: Any, kind: str, props: dict) -> None:
        line = line_of(self.resources, name)
        if kind == "AWS::Lambda::EventSourceMapping":
            for function, qualifier in self.targets_in(props.get("FunctionName")):
                sources = sorted(self.find_refs(props.get("EventSourceArn")))
                source = sources[0] if sources else None
                store = self.app.stores.get(source) if source else None
                trigger_kind = "sqs" if store is not None and store.kind == "sqs" else "stream"
                if store is None and "StartingPosition" not in props:
                    trigger_kind = "sqs" if "sqs" in str(props.get("EventSourceArn")) else "stream"
                trigger = Trigger(trigger_kind, self.file, line, source=source, qualifier=qualifier)
                trigger.partial_batch = "ReportBatchItemFailures" in as_list(props.get("FunctionResponseTypes"))
                trigger.batch_size = as_int(props.get("BatchSize"))
                trigger.max_concurrency = self.scaling_cap(props)
                function.triggers.append(trigger)
        elif kind == "AWS::Lambda::EventInvokeConfig":
            for function in self.functions_in(props.get("FunctionName")):
                self.read_invoke_config(function, props)
        elif kind in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            count = get(props, "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions")
            alias = props.get("Name")
            qualifier = "version" if kind == "AWS::Lambda::Version" else f"alias:{alias}"
            for function, _ in self.targets_in(props.get("FunctionName")):
                if kind == "AWS::Lambda::Version":
                    function.publishes = function.publishes or Setting(True, self.file, line)
                elif isinstance(alias, str):
                    function.aliases.setdefault(alias, line)
                if count is not None:
                    function.provisioned_concurrency = Setting(count, self.file, line)
                    function.provisioned_on.add(qualifier)
        elif kind == "AWS::Lambda::Url":
            for function, qualifier in self.targets_in(props.get("TargetFunctionArn")):
                function.triggers.append(Trigger("function_url", self.file, line, qualifier=qualifier))
        elif kind == "AWS::Lambda::Permission":
            trigger_kind = _PRINCIPAL_KINDS.get(str(props.get("Principal")))
            if trigger_kind is not None:
                sources = sorted(self.find_refs(props.get("SourceArn")))
                for function, qualifier in self.targets_in(props.get("FunctionName")):
                    trigger = Trigger(trigger_kind, self.file, line, source=next(iter(sources), None))
                    trigger.qualifier = qualifier
                    if trigger_kind == "api":
                        trigger.limit_s = self.api_limit(sources)
                    function.triggers.append(trigger)
        elif kind == "AWS::ApiGateway::Method":
            integration = props.get("Integration")
            for function, qualifier in self.targets_in(get(integration, "Uri")):
                trigger = Trigger("api", self.file, line, limit_s=REST_API_LIMIT_S, qualifier=qualifier)
                trigger.integration_timeout_ms = setting(integration, "TimeoutInMillis", self.file)
                function.triggers.append(trigger)
        elif kind == "AWS::ApiGatewayV2::Integration":
            for function, qualifier in self.targets_in(props.get("IntegrationUri")):
                trigger = Trigger("http_api", self.file, line, limit_s=HTTP_API_LIMIT_S, qualifier=qualifier)
                trigger.integration_timeout_ms = setting(props, "TimeoutInMillis", self.file)
                function.triggers.append(trigger)
        elif kind == "AWS::ElasticLoadBalancingV2::TargetGroup" and props.get("TargetType") == "lambda":
            for target, _ in items_with_lines(props.get("Targets")):
                for function in self.functions_in(get(target, "Id")):
                    function.triggers.append(Trigger("alb", self.file, line))
        elif kind == "AWS::S3::Bucket":
            configurations = get(props, "NotificationConfiguration", "LambdaConfigurations")
            for configuration, config_line in items_with_lines(configurations):
                for function in self.functions_in(get(configuration, "Function")):
                    function.triggers.append(Trigger("s3", self.file, config_line, source=name))
        elif kind == "AWS::SNS::Subscription" and str(props.get("Protocol")).lower() == "lambda":
            topics = sorted(self.find_refs(props.get("TopicArn")))
            for function in self.functions_in(props.get("Endpoint")):
                function.triggers.append(Trigger("sns", self.file, line, source=next(iter(topics), None)))
        elif kind == "AWS::SNS::Topic":
            for subscription, sub_line in items_with_lines(props.get("Subscription")):
                if str(get(subscription, "Protocol")).lower() == "lambda":
                    for function in self.functions_in(get(subscription, "Endpoint")):
                        function.triggers.append(Trigger("sns", self.file, sub_line, source=name))
        elif kind == "AWS::Events::Rule":
            trigger_kind = "schedule" if "ScheduleExpression" in props else "events"
            for target, target_line in items_with_lines(props.get("Targets")):
                for function in self.functions_in(get(target, "Arn")):
                    function.triggers.append(Trigger(trigger_kind, self.file, target_line))
        elif kind == "AWS::Logs::LogGroup":
            self.link_log_group(name, props)

    def api_limit(self, sources: list[str]) -> int:
        for source in sources:
            store = self.app.stores.get(source)
            if store is not None and store.kind == "http_api":
                return HTTP_API_LIMIT_S
        return REST_API_LIMIT_S

    def link_log_group(self, name: str, props: dict) -> None:
        group_name = _sub_with_variables(props.get("LogGroupName"))
        targets = [f for f in self.functions_in(group_name) if f.name in self.app.functions]
        if not targets and isinstance(group_name, str) and group_name.startswith("/aws/lambda/"):
            targets = self.functions_in(group_name.removeprefix("/aws/lambda/"))
        for function in targets:
            self.attach_log_group(function, name)


def read_template(document: LineDict, file: str, fmt: str, app: Application) -> TemplateReader:
    reader = TemplateReader(document, file, fmt, app)
    reader.read()
    return reader
