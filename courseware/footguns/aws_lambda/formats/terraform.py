"""A folder of Terraform files (one module) into the model."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from courseware.footguns.aws_lambda.formats.cfn_values import as_int, as_list, get, items_with_lines, named_arn
from courseware.footguns.aws_lambda.formats.iam import managed_statement
from courseware.footguns.aws_lambda.model import (
    Application,
    DataStore,
    Function,
    Setting,
    Statement,
    Trigger,
    strings_in,
)
from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.hcl import TfBlock, load_hcl_expression
from courseware.footguns.parsers.json_lines import load_json
from courseware.footguns.parsers.nodes import LineDict, LineList, line_of

# resource addresses inside ${...} expressions; bounded classes, no nested quantifiers
# An instance of a for_each resource is addressed with its key: aws_s3_bucket.this["logos"].
_INDEX = r'(?:\["[^"\]\\]{1,100}"\])?'
_ADDRESS = re.compile(r"\b((?:data\.)?aws_[a-z0-9_]{1,100}\.[A-Za-z0-9_-]{1,200}" + _INDEX + ")")
_ENDPOINT = re.compile(
    r"\b((?:aws_db_instance|aws_rds_cluster|aws_rds_cluster_instance)\.[A-Za-z0-9_-]{1,200})"
    r"\.(?:address|endpoint|reader_endpoint|port)\b"
)
# "${aws_x.name.arn}/rest" as a whole string: the resource a policy names
_RESOURCE_EXPRESSION = re.compile(
    r"^\$\{((?:data\.)?aws_[a-z0-9_]{1,100}\.[A-Za-z0-9_-]{1,200}"
    + _INDEX
    + r")(\.[A-Za-z0-9_]{1,100}){0,2}\}([^$]{0,500})$"
)
# What a caller invokes: an alias, a function's qualified ARN (a version) or the function itself.
_INVOKED = re.compile(
    r"\$\{(aws_lambda_alias|aws_lambda_function)\.([A-Za-z0-9_-]{1,200})\.([a-z_]{1,40})\}([^$]{0,200})"
)
_JSONENCODE = re.compile(r"^\$\{jsonencode\((.*)\)\}$", re.S)
_VARIABLE = re.compile(r"^\$\{(var|local)\.([A-Za-z0-9_-]{1,200})\}$")
_MAX_INDIRECTION = 5

_STORE_KINDS = {
    "aws_sqs_queue": "sqs",
    "aws_s3_bucket": "s3",
    "aws_sns_topic": "sns",
    "aws_db_instance": "rds_instance",
    "aws_rds_cluster": "rds_cluster",
    "aws_db_proxy": "rds_proxy",
    "aws_db_parameter_group": "rds_parameter_group",
    "aws_rds_cluster_parameter_group": "rds_parameter_group",
    "aws_kinesis_stream": "stream",
    "aws_dynamodb_table": "table",
    "aws_cloudwatch_log_group": "log_group",
    "aws_api_gateway_rest_api": "api",
    "aws_apigatewayv2_api": "http_api",
    "aws_cloudwatch_metric_alarm": "alarm",
}
_STORE_SETTINGS = {
    "visibility_timeout_seconds": "VisibilityTimeout",
    "instance_class": "DBInstanceClass",
    "engine": "Engine",
    "retention_in_days": "RetentionInDays",
    "name": "Name",
    "parameter_group_name": "DBParameterGroupName",
    "bucket": "BucketName",
    "protocol_type": "ProtocolType",
    "message_retention_seconds": "MessageRetentionPeriod",
    "redrive_policy": "RedrivePolicy",
    "metric_name": "MetricName",
    "namespace": "Namespace",
    "threshold": "Threshold",
    "comparison_operator": "ComparisonOperator",
    "alarm_actions": "AlarmActions",
    "dimensions": "Dimensions",
}
_PRINCIPAL_KINDS = {
    "apigateway.amazonaws.com": "api",
    "s3.amazonaws.com": "s3",
    "sns.amazonaws.com": "sns",
    "events.amazonaws.com": "events",
    "elasticloadbalancing.amazonaws.com": "alb",
}


def refs(value: Any) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    stack: list[tuple[Any, int | None]] = [(value, line_of(value))]
    while stack:
        item, line = stack.pop()
        if isinstance(item, str):
            if "${" in item:
                for match in _ADDRESS.finditer(item):
                    found.setdefault(match.group(1), line)
        elif isinstance(item, dict):
            stack.extend((v, line_of(item, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, line_of(item, i)) for i, v in enumerate(item))
    return found


def first_block(value: Any) -> Any:
    """The first of a repeated nested block (`environment { ... }` parses as a list)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def describe_resource(value: Any) -> str:
    """A policy resource as "<address>[/rest]", "named:...", "*" or "?" (see Statement.targets)."""
    if not isinstance(value, str):
        return "?"
    match = _RESOURCE_EXPRESSION.match(value)
    if match is not None:
        return match.group(1) + match.group(3)
    return named_arn(value)


def _strip_module_path(value: str) -> str:
    for prefix in ("${path.module}/", "${path.root}/", "./"):
        value = value.removeprefix(prefix)
    return value


_EACH = re.compile(r"\$\{each\.(key|value)\}")


def _expand_for_each(blocks: dict[str, tuple[str, TfBlock]]) -> dict[str, tuple[str, TfBlock]]:
    """A resource whose for_each is a literal map or list becomes one instance per key, `each.key` and
    `each.value` written in; one whose for_each the files do not show stays a single, unknown-keyed resource."""
    expanded: dict[str, tuple[str, TfBlock]] = {}
    for address, (path, block) in blocks.items():
        for_each = block.body.get("for_each")
        if isinstance(for_each, dict) and for_each:
            items = list(for_each.items())
        elif isinstance(for_each, list) and for_each and all(isinstance(v, str) for v in for_each):
            items = [(v, v) for v in for_each]
        else:
            expanded[address] = (path, block)
            continue
        for key, value in items[:_MAX_INSTANCES]:
            body = _substitute(block.body, str(key), value)
            expanded[f'{address}["{key}"]'] = (path, TfBlock(block.kind, block.labels, block.line, body))
    return expanded


_MAX_INSTANCES = 100


def _substitute(value: Any, key: str, each_value: Any, depth: int = 0) -> Any:
    if depth > 64:
        return value
    if isinstance(value, str):
        if value == "${each.key}":
            return key
        if value == "${each.value}" and isinstance(each_value, (str, int, float)):
            return each_value
        if "each." in value and isinstance(each_value, str):
            return _EACH.sub(lambda m: key if m.group(1) == "key" else each_value, value)
        return value
    if isinstance(value, LineDict):
        copy = LineDict(value.line)
        for k, v in value.items():
            copy[k] = _substitute(v, key, each_value, depth + 1)
        copy.key_lines = dict(value.key_lines)
        return copy
    if isinstance(value, list):
        items = [_substitute(v, key, each_value, depth + 1) for v in value]
        if isinstance(value, LineList):
            copy_list = LineList(value.line)
            copy_list.extend(items)
            copy_list.item_lines = list(value.item_lines)
            return copy_list
        return items
    return value


def _creates_nothing(block: TfBlock) -> bool:
    count = block.body.get("count")
    for_each = block.body.get("for_each")
    if count is not None and as_int(count) == 0:
        return True
    return isinstance(for_each, (dict, list)) and not for_each


# What a policy statement's parts are called in an IAM JSON document and in Terraform's aws_iam_policy_document:
# effect, actions, negated actions, resources, negated resources.
_JSON_POLICY_NAMES = ("Effect", "Action", "NotAction", "Resource", "NotResource")
_HCL_POLICY_NAMES = ("effect", "actions", "not_actions", "resources", "not_resources")


class ModuleReader:
    def __init__(self, documents: list[tuple[str, list[TfBlock]]], folder: str, app: Application):
        self.app = app
        self.folder = folder
        self.blocks: dict[str, tuple[str, TfBlock]] = {}
        for path, blocks in documents:
            for block in blocks:
                if block.kind == "resource" and len(block.labels) == 2:
                    self.blocks[".".join(block.labels)] = (path, block)
                elif block.kind == "data" and len(block.labels) == 2:
                    self.blocks["data." + ".".join(block.labels)] = (path, block)
        self.role_statements: dict[str, list[Statement]] = {}
        self.used_roles: set[str] = set()
        self.values = self._variables(documents)
        for _path, block in self.blocks.values():
            self._resolve(block.body)
        # `count = 0` (or an empty for_each) creates nothing: such a resource is not in the model.
        self.blocks = {address: entry for address, entry in self.blocks.items() if not _creates_nothing(entry[1])}
        self.blocks = _expand_for_each(self.blocks)

    @staticmethod
    def _variables(documents: list[tuple[str, list[TfBlock]]]) -> dict[tuple[str, str], Any]:
        values: dict[tuple[str, str], Any] = {}
        for _path, blocks in documents:
            for block in blocks:
                if block.kind == "variable" and block.labels and "default" in block.body:
                    values[("var", block.labels[0])] = block.body["default"]
                elif block.kind == "locals":
                    for name, value in block.body.items():
                        values[("local", name)] = value
        return values

    def _lookup(self, value: Any) -> Any:
        """`${var.x}` / `${local.x}` standing alone become the variable's default or the local."""
        for _ in range(_MAX_INDIRECTION):
            if not isinstance(value, str):
                return value
            match = _VARIABLE.match(value)
            if match is None or (match[1], match[2]) not in self.values:
                return value
            value = self.values[(match[1], match[2])]
        return value

    def _resolve(self, container: Any) -> None:
        stack = [container]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    resolved = self._lookup(value)
                    if resolved is not value:
                        item[key] = resolved
                    if isinstance(resolved, (dict, list)) and resolved is value:
                        stack.append(resolved)
            elif isinstance(item, list):
                for index, value in enumerate(item):
                    resolved = self._lookup(value)
                    if resolved is not value:
                        item[index] = resolved
                    if isinstance(resolved, (dict, list)) and resolved is value:
                        stack.append(resolved)

    def of_type(self, kind: str) -> list[tuple[str, str, TfBlock]]:
        return [
            (address, path, block)
            for address, (path, block) in self.blocks.items()
            if block.kind == "resource" and block.labels[0] == kind
        ]

    def read(self) -> None:
        for address, (path, block) in self.blocks.items():
            if block.kind == "resource" and block.labels[0] in _STORE_KINDS:
                self.add_store(address, path, block)
        self.read_roles()
        for address, path, block in self.of_type("aws_lambda_function"):
            self.add_function(address, path, block)
        for address, (path, block) in self.blocks.items():
            if block.kind == "resource":
                self.link(address, path, block)
        for address, _path, block in self.of_type("aws_iam_role"):
            trust = block.body.get("assume_role_policy")
            if address not in self.used_roles and "lambda.amazonaws.com" in "".join(strings_in(trust)):
                self.app.unattached_roles[address] = self.role_statements.get(address, [])

    def add_store(self, address: str, path: str, block: TfBlock) -> None:
        store = DataStore(address, _STORE_KINDS[block.labels[0]], path, block.line)
        for key, name in _STORE_SETTINGS.items():
            if key in block.body:
                store.settings[name] = Setting(block.body[key], path, line_of(block.body, key))
        if store.kind == "sqs" and isinstance(block.body.get("redrive_policy"), str):
            policy = block.body["redrive_policy"]
            encoded = _JSONENCODE.match(policy)
            try:
                document = load_hcl_expression(encoded.group(1), block.line or 1) if encoded else load_json(policy)
            except ParseError:
                document = None
            if isinstance(document, dict):
                store.settings["RedrivePolicy"] = Setting(document, path, line_of(block.body, "redrive_policy"))
        if store.kind == "rds_parameter_group":
            for parameter, _ in items_with_lines(block.body.get("parameter")):
                if get(parameter, "name") == "max_connections":
                    value = get(parameter, "value")
                    store.settings["max_connections"] = Setting(value, path, line_of(parameter))
        store.refs = refs(block.body)
        self.app.stores[address] = store

    # -- IAM --------------------------------------------------------------------------------

    def policy_statements(self, value: Any, path: str, line: int | None) -> list[Statement]:
        if not isinstance(value, str):
            return []
        encoded = _JSONENCODE.match(value)
        if encoded:
            document = load_hcl_expression(encoded.group(1), line or 1)
            return self.document_statements(document, path)
        for address in refs(value):
            if address.startswith("data.aws_iam_policy_document."):
                entry = self.blocks.get(address)
                if entry is not None:
                    return self.policy_document_statements(*entry)
        if value.lstrip().startswith("{"):
            try:
                document = load_json(value)
            except ParseError:
                return []
            return self.document_statements(document, path, (line or 1) - 1)
        return []

    def document_statements(self, document: Any, path: str, offset: int = 0) -> list[Statement]:
        return self._statements(get(document, "Statement"), path, _JSON_POLICY_NAMES, offset)

    def policy_document_statements(self, path: str, block: TfBlock) -> list[Statement]:
        return self._statements(block.body.get("statement"), path, _HCL_POLICY_NAMES, None)

    def _statements(self, items: Any, path: str, names: tuple[str, ...], offset: int | None) -> list[Statement]:
        """Statements of an IAM policy document; `offset` shifts lines of a document embedded in a string."""
        effect_key, action_key, not_action_key, resource_key, not_resource_key = names
        statements = []
        for statement, line in items_with_lines(items):
            if not isinstance(statement, dict):
                continue
            key = action_key if action_key in statement else not_action_key
            if key == not_action_key:
                actions = ["*"]
            else:
                actions = [a for a in as_list(statement.get(key)) if isinstance(a, str)]
            resources = as_list(statement.get(resource_key))
            actions_line = line_of(statement, key)
            statements.append(
                Statement(
                    file=path,
                    line=line if offset is None else (line or 0) + offset,
                    effect=str(statement.get(effect_key, "Allow")),
                    actions=actions,
                    resources=resources,
                    refs=set(refs(resources)),
                    actions_line=actions_line if offset is None else (actions_line or 0) + offset,
                    targets=self.targets(statement, resource_key, not_resource_key),
                )
            )
        return statements

    @staticmethod
    def targets(statement: dict, key: str, negated: str) -> list[str]:
        if negated in statement and key not in statement:
            return ["*"]
        return [describe_resource(r) for r in as_list(statement.get(key))]

    def managed(self, arn: Any, path: str, line: int | None) -> list[Statement]:
        for address in refs(arn):
            entry = self.blocks.get(address)
            if entry is not None and entry[1].labels[0] == "aws_iam_policy":
                policy_path, policy = entry
                return self.policy_statements(policy.body.get("policy"), policy_path, line_of(policy.body, "policy"))
        if isinstance(arn, str) and "${" not in arn:
            return [managed_statement(path, line, arn)]
        return [managed_statement(path, line, "unknown/policy")]

    def read_roles(self) -> None:
        for address, path, block in self.of_type("aws_iam_role"):
            statements = self.role_statements.setdefault(address, [])
            for inline, _ in items_with_lines(block.body.get("inline_policy")):
                statements.extend(self.policy_statements(get(inline, "policy"), path, line_of(inline, "policy")))
            for arn, line in items_with_lines(block.body.get("managed_policy_arns")):
                statements.extend(self.managed(arn, path, line))
        for _address, path, block in self.of_type("aws_iam_role_policy"):
            for role in self.role_addresses(block.body.get("role")):
                self.role_statements.setdefault(role, []).extend(
                    self.policy_statements(block.body.get("policy"), path, line_of(block.body, "policy"))
                )
        for kind in ("aws_iam_role_policy_attachment", "aws_iam_policy_attachment"):
            for _address, path, block in self.of_type(kind):
                arn = block.body.get("policy_arn")
                statements = self.managed(arn, path, line_of(block.body, "policy_arn"))
                for role in self.role_addresses(block.body.get("role", block.body.get("roles"))):
                    self.role_statements.setdefault(role, []).extend(statements)

    def role_addresses(self, value: Any) -> list[str]:
        found = [a for a in refs(value) if a.startswith("aws_iam_role.")]
        if not found:
            for literal in as_list(value):
                for address, _path, block in self.of_type("aws_iam_role"):
                    if block.body.get("name") == literal:
                        found.append(address)
        return found

    # -- functions --------------------------------------------------------------------------

    def add_function(self, address: str, path: str, block: TfBlock) -> None:
        body = block.body
        function = Function(address, path, block.line, "terraform")

        def setting(key: str) -> Setting | None:
            if key not in body:
                return None
            return Setting(body[key], path, line_of(body, key))

        function.runtime = setting("runtime")
        function.handler = setting("handler")
        publish = setting("publish")
        if publish is not None and publish.value in (True, "true"):
            function.publishes = publish
        function.timeout = setting("timeout")
        function.memory = setting("memory_size")
        function.architecture = setting("architectures")
        reserved = setting("reserved_concurrent_executions")
        if reserved is not None and as_int(reserved.value) != -1:
            function.reserved_concurrency = reserved
        function.code_path = self.code_path(body, path)
        storage = first_block(body.get("ephemeral_storage"))
        if isinstance(storage, dict):
            function.ephemeral_storage = Setting(storage.get("size"), path, line_of(storage))
        snap = first_block(body.get("snap_start"))
        if isinstance(snap, dict):
            function.snap_start = Setting(snap.get("apply_on"), path, line_of(snap))
        environment = first_block(body.get("environment"))
        variables = get(environment, "variables")
        if isinstance(variables, dict):
            for key, value in variables.items():
                function.environment[key] = Setting(value, path, line_of(variables, key))
        vpc = body.get("vpc_config")
        if vpc:
            function.vpc = Setting(vpc, path, line_of(body, "vpc_config"))
        dead_letter = first_block(body.get("dead_letter_config"))
        if isinstance(dead_letter, dict) and dead_letter.get("target_arn"):
            function.dead_letter = Setting(dead_letter, path, line_of(dead_letter))
        function.refs = refs({k: v for k, v in body.items() if k != "role"})
        function.endpoint_refs = {
            match.group(1)
            for text in strings_in({k: v for k, v in body.items() if k != "role"})
            for match in _ENDPOINT.finditer(text)
        }
        for role in self.role_addresses(body.get("role")):
            function.statements.extend(self.role_statements.get(role, []))
            self.used_roles.add(role)
        if body.get("function_url"):
            function.triggers.append(Trigger("function_url", path, line_of(body, "function_url"), qualifier="latest"))
        self.app.functions[address] = function

    def code_path(self, body: LineDict, path: str) -> Setting | None:
        for key in ("source_dir", "filename"):
            value = body.get(key)
            if not isinstance(value, str):
                continue
            for address in refs(value):
                entry = self.blocks.get(address)
                if entry is not None and entry[1].labels[0] == "archive_file":
                    archive = entry[1].body
                    source = archive.get("source_dir")
                    if isinstance(source, str):
                        return Setting(_strip_module_path(source), path, line_of(body, key))
                    single = archive.get("source_file")
                    if isinstance(single, str):
                        folder = posixpath.dirname(_strip_module_path(single))
                        return Setting(folder or ".", path, line_of(body, key))
            if "${" not in value and not value.endswith(".zip"):
                return Setting(_strip_module_path(value), path, line_of(body, key))
        return None

    def functions_in(self, value: Any) -> list[Function]:
        return [function for function, _ in self.targets_in(value)]

    def external(self, value: Any, path: str, line: int | None) -> Function | None:
        """A function named by a literal (not defined in these files): a stub that gathers what the files say."""
        if not isinstance(value, str) or "${" in value or not value:
            return None
        name = value.rsplit(":function:", 1)[-1].split(":", 1)[0]
        stub = self.app.external_functions.get(name)
        if stub is None:
            stub = self.app.external_functions[name] = Function(name, path, line, "terraform")
        return stub

    def alias_name(self, address: str) -> str | None:
        entry = self.blocks.get(address)
        name = entry[1].body.get("name") if entry is not None else None
        return name if isinstance(name, str) and "${" not in name else None

    def alias_on_latest(self, name: str) -> bool:
        """Whether the aws_lambda_alias called `name` points at $LATEST (written out)."""
        return any(
            address.startswith("aws_lambda_alias.")
            and self.alias_name(address) == name
            and block.body.get("function_version") == "$LATEST"
            for address, (_path, block) in self.blocks.items()
        )

    def targets_in(self, value: Any, qualifier_value: Any = None) -> list[tuple[Function, str | None]]:
        """The functions `value` names, each with what is invoked: "latest", "alias:<name>" or "version".

        `qualifier_value` is a separate qualifier argument (aws_lambda_permission's `qualifier`).
        """
        found: list[tuple[Function, str | None]] = []
        explicit = self.qualifier_of(qualifier_value)
        for address in refs(value):
            if address in self.app.functions:
                function = self.app.functions[address]
                found.append((function, explicit or self.function_qualifier(value, address, function)))
            elif address.startswith(("aws_lambda_alias.", "aws_lambda_function_url.")):
                entry = self.blocks.get(address)
                if entry is None:
                    continue
                qualifier = explicit
                if address.startswith("aws_lambda_alias."):
                    name = self.alias_name(address)
                    qualifier = f"alias:{name}" if name else None
                elif qualifier is None:
                    qualifier = self.qualifier_of(entry[1].body.get("qualifier")) or "latest"
                found.extend((f, qualifier) for f in self.functions_in(entry[1].body.get("function_name")))
        if not found and isinstance(value, str) and "${" not in value:
            name, _, suffix = value.rsplit(":function:", 1)[-1].partition(":")
            for function_address, (_path, block) in self.blocks.items():
                if function_address in self.app.functions and block.body.get("function_name") == name:
                    qualifier = explicit or (self.qualifier_of(suffix) if suffix else "latest")
                    found.append((self.app.functions[function_address], qualifier))
        return found

    def function_qualifier(self, value: Any, address: str, function: Function) -> str | None:
        """`.invoke_arn`/`.arn` invoke $LATEST; `.qualified_arn`/`.qualified_invoke_arn` the published version."""
        if not isinstance(value, str):
            return "latest"
        for match in _INVOKED.finditer(value):
            if f"{match.group(1)}.{match.group(2)}" != address:
                continue
            if match.group(3).startswith("qualified") and function.publishes is not None:
                return "version"
            suffix = match.group(4)
            if suffix.startswith(":") and not suffix.startswith(":*"):
                return self.qualifier_of(suffix[1:].split("/", 1)[0])
            return "latest"
        return "latest"

    def qualifier_of(self, value: Any) -> str | None:
        """A qualifier argument: an alias's name (literal or aws_lambda_alias.x.name), a version, $LATEST."""
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return "version"
        if not isinstance(value, str):
            return None
        for address in refs(value):
            if address.startswith("aws_lambda_alias."):
                name = self.alias_name(address)
                return f"alias:{name}" if name else None
            if address.startswith("aws_lambda_function.") and value.endswith(".version}"):
                return "version"
        if "${" in value:
            return None
        if value == "$LATEST":
            return "latest"
        return "version" if value.isdigit() else f"alias:{value}"

    def link(self, address: str, path: str, block: TfBlock) -> None:
        kind = block.labels[0]
        body = block.body
        line = block.line
        if kind == "aws_lambda_event_source_mapping":
            sources = sorted(refs(body.get("event_source_arn")))
            source = next((s for s in sources if s in self.app.stores), None)
            store = self.app.stores.get(source) if source else None
            is_queue = store.kind == "sqs" if store else "starting_position" not in body
            for function, qualifier in self.targets_in(body.get("function_name")):
                trigger = Trigger("sqs" if is_queue else "stream", path, line, source=source, qualifier=qualifier)
                trigger.partial_batch = "ReportBatchItemFailures" in as_list(body.get("function_response_types"))
                trigger.batch_size = as_int(body.get("batch_size"))
                scaling = first_block(body.get("scaling_config"))
                cap = get(scaling, "maximum_concurrency")
                if as_int(cap) is not None:
                    trigger.max_concurrency = Setting(cap, path, line_of(scaling, "maximum_concurrency"))
                function.triggers.append(trigger)
        elif kind == "aws_lambda_provisioned_concurrency_config":
            count = body.get("provisioned_concurrent_executions")
            qualifier = self.qualifier_of(body.get("qualifier"))
            if qualifier is not None and qualifier.startswith("alias:") and self.alias_on_latest(qualifier[6:]):
                qualifier = "latest"  # an alias on $LATEST cannot carry provisioned concurrency
            for function in self.functions_in(body.get("function_name")):
                function.provisioned_concurrency = Setting(count, path, line)
                if qualifier is not None and qualifier != "latest":
                    function.provisioned_on.add(qualifier)
        elif kind == "aws_lambda_alias":
            name = self.alias_name(address)
            for function in self.functions_in(body.get("function_name")):
                if name:
                    function.aliases.setdefault(name, line)
        elif kind == "aws_lambda_function_event_invoke_config":
            config = first_block(body.get("destination_config"))
            on_failure = first_block(get(config, "on_failure"))
            functions = self.functions_in(body.get("function_name"))
            stub = None if functions else self.external(body.get("function_name"), path, line)
            for function in functions or ([stub] if stub else []):
                if isinstance(on_failure, dict) and on_failure.get("destination"):
                    function.on_failure = Setting(on_failure, path, line_of(on_failure))
                for key, attribute in (
                    ("maximum_retry_attempts", "retries"),
                    ("maximum_event_age_in_seconds", "event_age"),
                ):
                    if key in body:
                        setattr(function, attribute, Setting(body[key], path, line_of(body, key)))
        elif kind == "aws_lambda_permission":
            trigger_kind = _PRINCIPAL_KINDS.get(str(body.get("principal")))
            if trigger_kind is not None:
                sources = sorted(refs(body.get("source_arn")))
                targets = self.targets_in(body.get("function_name"), body.get("qualifier"))
                stub = None if targets else self.external(body.get("function_name"), path, line)
                for function, qualifier in targets or ([(stub, None)] if stub else []):
                    trigger = Trigger(trigger_kind, path, line, source=next(iter(sources), None), qualifier=qualifier)
                    if trigger_kind == "api":
                        trigger.limit_s = self.api_limit(sources)
                    function.triggers.append(trigger)
        elif kind == "aws_lambda_function_url":
            for function, qualifier in self.targets_in(body.get("function_name"), body.get("qualifier")):
                function.triggers.append(Trigger("function_url", path, line, qualifier=qualifier or "latest"))
        elif kind == "aws_api_gateway_integration":
            for function, qualifier in self.targets_in(body.get("uri")):
                trigger = Trigger("api", path, line, limit_s=29, qualifier=qualifier)
                if "timeout_milliseconds" in body:
                    trigger.integration_timeout_ms = Setting(
                        body["timeout_milliseconds"], path, line_of(body, "timeout_milliseconds")
                    )
                function.triggers.append(trigger)
        elif kind == "aws_apigatewayv2_integration":
            for function, qualifier in self.targets_in(body.get("integration_uri")):
                trigger = Trigger("http_api", path, line, limit_s=30, qualifier=qualifier)
                if "timeout_milliseconds" in body:
                    trigger.integration_timeout_ms = Setting(
                        body["timeout_milliseconds"], path, line_of(body, "timeout_milliseconds")
                    )
                function.triggers.append(trigger)
        elif kind == "aws_lb_target_group_attachment":
            for function in self.functions_in(body.get("target_id")):
                function.triggers.append(Trigger("alb", path, line))
        elif kind == "aws_s3_bucket_notification":
            buckets = sorted(refs(body.get("bucket")))
            for item, item_line in items_with_lines(body.get("lambda_function")):
                for function in self.functions_in(get(item, "lambda_function_arn")):
                    function.triggers.append(Trigger("s3", path, item_line, source=next(iter(buckets), None)))
        elif kind == "aws_sns_topic_subscription" and body.get("protocol") == "lambda":
            topics = sorted(refs(body.get("topic_arn")))
            for function in self.functions_in(body.get("endpoint")):
                function.triggers.append(Trigger("sns", path, line, source=next(iter(topics), None)))
        elif kind == "aws_cloudwatch_event_target":
            rules = [a for a in refs(body.get("rule")) if a in self.blocks]
            schedule = any("schedule_expression" in self.blocks[r][1].body for r in rules)
            for function in self.functions_in(body.get("arn")):
                function.triggers.append(Trigger("schedule" if schedule else "events", path, line))
        elif kind == "aws_cloudwatch_log_group":
            self.link_log_group(address, body)

    def api_limit(self, sources: list[str]) -> int:
        for source in sources:
            store = self.app.stores.get(source)
            if store is not None and store.kind == "http_api":
                protocol = store.settings.get("ProtocolType")
                if protocol is None or protocol.value == "HTTP":
                    return 30
        return 29

    def link_log_group(self, address: str, body: LineDict) -> None:
        name = body.get("name")
        if not isinstance(name, str) or "/aws/lambda/" not in name:
            return
        targets = self.functions_in(name)
        if not targets:
            targets = self.functions_in(name.split("/aws/lambda/", 1)[1])
        store = self.app.stores[address]
        for function in targets:
            function.has_log_group = True
            function.log_retention = store.settings.get("RetentionInDays")


def read_module(documents: list[tuple[str, Any]], folder: str, app: Application) -> None:
    ModuleReader(documents, folder, app).read()
