"""The `accept:` vocabulary of the AWS Lambda topic (docs/authoring.md "Acceptance checks").

Each requirement names one subject, `function: <name>` or `queue: <name>` (model names: CloudFormation
logical ids, Terraform addresses, Serverless function keys), and one or more properties of it. Every
property must hold. A value the files do not show (a parameter without a default, an expression) is
unknown, and an unknown value never meets a requirement.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from courseware.footguns.acceptance import Outcome, validate_range, validate_requirement
from courseware.footguns.aws_lambda.model import Application, DataStore, Function, Setting, Statement, strings_in
from courseware.footguns.aws_lambda.rules._facts import as_int

RANGE_PROPERTIES = {
    # key -> (model attribute, unit, what it is)
    "timeout": ("timeout", "s", "timeout"),
    "memory": ("memory", "MB", "memory size"),
    "reserved_concurrency": ("reserved_concurrency", "", "reserved concurrency"),
    "provisioned_concurrency": ("provisioned_concurrency", "", "provisioned concurrency"),
    "retries": ("retries", "", "asynchronous retry count"),
    "event_age": ("event_age", "s", "maximum event age"),
}
# Lambda's asynchronous invocation defaults: two retries, events kept for up to six hours.
ASYNC_DEFAULTS = {"retries": 2, "event_age": 21_600}
QUEUE_RANGES = {
    "retention": ("MessageRetentionPeriod", "s", "message retention", 345_600),  # SQS default: 4 days
    "visibility_timeout": ("VisibilityTimeout", "s", "visibility timeout", 30),  # SQS default: 30 s
}
FUNCTION_KEYS = frozenset(
    {
        *RANGE_PROPERTIES,
        "invoked_through",
        "alias",
        "snap_start",
        "on_failure",
        "dead_letter",
        "permissions",
        "trigger",
        "poller",
        "handler",
        "environment",
    }
)
QUEUE_KEYS = frozenset({*QUEUE_RANGES, "max_receive_count", "alarm"})
TARGET_KINDS = {"sqs": "an SQS queue", "sns": "an SNS topic", "lambda": "a function", "eventbridge": "an event bus"}
HANDLER_KEYS = frozenset(
    {
        "returns_batch_item_failures",
        "calls",
        "never_calls",
        "mentions",
        "never_uses",
        "cached_with_expiry",
        "max_db_connections",
        "max_cache_seconds",
        "inputs_never_include",
    }
)
POLLER_KEYS = frozenset({"max_concurrency", "within_reserved", "seconds_per_message"})
# SQS event source mappings read 10 messages per batch unless BatchSize says otherwise (services-sqs-parameters).
SQS_DEFAULT_BATCH = 10
# Metrics that count messages as they arrive, so an alarm on them can fire on the first one.
ARRIVAL_METRICS = ("ApproximateNumberOfMessagesVisible", "NumberOfMessagesSent", "NumberOfMessagesReceived")


# -- validation (content load time) -------------------------------------------------------------


def validate(spec: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    return validate_requirement(
        spec,
        subjects={"function": FUNCTION_KEYS, "queue": QUEUE_KEYS},
        subject_help="'function: <name>' or 'queue: <name>'",
        check_name=lambda subject, name: (
            None if isinstance(name, str) and name else f"'{subject}' must be a resource name"
        ),
        check_property=_validate_property,
    )


def _name_problem(subject: str, name: Any) -> str | None:
    return None if isinstance(name, str) and name else f"'{subject}' must be a resource name"


def _validate_target(value: Any) -> list[str]:
    if not isinstance(value, Mapping) or set(value) - {"kind", "retention", "alarm"}:
        return ["a failure target is a mapping of 'kind', optional 'retention' and 'alarm'"]
    problems = []
    if value.get("kind") not in TARGET_KINDS:
        problems.append(f"'kind' is one of {', '.join(TARGET_KINDS)}")
    if "retention" in value:
        problems += validate_range(value["retention"])
    if "alarm" in value and value["alarm"] is not True:
        problems.append("'alarm' can only be true")
    return problems


def _validate_grants(value: Any) -> list[str]:
    if not isinstance(value, Mapping) or not value:
        return ["a permission list maps actions to lists of resources"]
    for action, resources in value.items():
        if not isinstance(action, str) or ":" not in action:
            return [f"'{action}' is not an action (service:Name)"]
        if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources) or not resources:
            return [f"the resources of '{action}' must be a list of names"]
    return []


def _validate_property(key: str, value: Any) -> list[str]:
    if key in RANGE_PROPERTIES or key in QUEUE_RANGES or key == "max_receive_count":
        return validate_range(value)
    if key == "invoked_through":
        return [] if value in ("alias", "published") else ["'invoked_through' is 'alias' or 'published'"]
    if key == "alias":
        return [] if isinstance(value, str) and value else ["'alias' is the alias name"]
    if key in ("snap_start", "alarm"):
        return [] if value is True else [f"'{key}' can only be true"]
    if key in ("on_failure", "dead_letter"):
        return _validate_target(value)
    if key == "permissions":
        if not isinstance(value, Mapping) or not value or set(value) - {"require", "only"}:
            return ["'permissions' has 'require' and/or 'only'"]
        return [problem for part in value.values() for problem in _validate_grants(part)]
    if key == "trigger":
        if not isinstance(value, Mapping) or set(value) - {"kind", "source", "integration_timeout_ms"}:
            return ["'trigger' has 'kind', optional 'source' and optional 'integration_timeout_ms' (a range)"]
        if "kind" not in value:
            return ["'trigger' has 'kind', optional 'source' and optional 'integration_timeout_ms' (a range)"]
        return validate_range(value["integration_timeout_ms"]) if "integration_timeout_ms" in value else []
    if key == "poller":
        if not isinstance(value, Mapping) or set(value) - POLLER_KEYS or not value:
            return [f"'poller' has {', '.join(sorted(POLLER_KEYS))}"]
        if "seconds_per_message" in value and (
            not isinstance(value["seconds_per_message"], int) or value["seconds_per_message"] < 1
        ):
            return ["'seconds_per_message' is a whole number of seconds"]
        problems = validate_range(value["max_concurrency"]) if "max_concurrency" in value else []
        if "within_reserved" in value and value["within_reserved"] is not True:
            problems.append("'within_reserved' can only be true")
        return problems
    if key == "handler":
        if not isinstance(value, Mapping) or set(value) - HANDLER_KEYS or not value:
            return [f"'handler' has {', '.join(sorted(HANDLER_KEYS))}"]
        problems = []
        if "returns_batch_item_failures" in value and value["returns_batch_item_failures"] is not True:
            problems.append("'returns_batch_item_failures' can only be true")
        if "max_cache_seconds" in value and (
            not isinstance(value["max_cache_seconds"], int) or isinstance(value["max_cache_seconds"], bool)
        ):
            problems.append("'max_cache_seconds' is a whole number")
        if "max_db_connections" in value and (
            not isinstance(value["max_db_connections"], int) or isinstance(value["max_db_connections"], bool)
        ):
            problems.append("'max_db_connections' is a whole number")
        never = value.get("inputs_never_include")
        if never is not None and not (
            isinstance(never, Mapping)
            and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in never.values())
        ):
            problems.append("'inputs_never_include' maps an action to a list of names")
        for part in ("calls", "never_calls", "mentions", "never_uses", "cached_with_expiry"):
            if part in value and not (isinstance(value[part], list) and all(isinstance(v, str) for v in value[part])):
                problems.append(f"'{part}' is a list of names")
        return problems
    if key == "environment":
        if not isinstance(value, Mapping) or set(value) != {"references"} or not isinstance(value["references"], list):
            return ["'environment' has 'references': a list of resource or parameter names"]
        return []
    return []


def subjects(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, name) of every resource a requirement names, so content checks can find them in the starter."""
    found = []
    if isinstance(spec.get("function"), str):
        found.append(("function", spec["function"]))
    if isinstance(spec.get("queue"), str):
        found.append(("queue", spec["queue"]))
    trigger = spec.get("trigger")
    if isinstance(trigger, Mapping) and isinstance(trigger.get("source"), str):
        if not trigger["source"].startswith("named:"):
            found.append(("resource", trigger["source"]))
    return found


# -- evaluation (in the sandbox child) ----------------------------------------------------------


class _View:
    """Every unit's model as one: a requirement may name anything in the learner's files."""

    def __init__(self, apps: Sequence[Application]) -> None:
        self.apps = apps
        self.functions = {name: f for app in apps for name, f in app.functions.items()}
        self.stores = {name: s for app in apps for name, s in app.stores.items()}
        self.parameters = {name: p for app in apps for name, p in app.parameters.items()}

    def physical_name(self, name: str) -> str | None:
        store = self.stores.get(name)
        if store is None:
            return None
        for key in ("QueueName", "BucketName", "TableName", "TopicName", "Name"):
            setting = store.settings.get(key)
            if setting is not None and isinstance(setting.value, str) and "${" not in setting.value:
                return setting.value
        return None

    def aliases_of(self, target: str) -> set[str]:
        """A statement target under every name it goes by: its model name and its physical name."""
        if target in ("*", "?"):
            return {target}
        if target.startswith("named:"):
            # A physical name written out is also the resource of the files that carries it.
            physical, slash, rest = target.removeprefix("named:").partition("/")
            return {target} | {f"{n}{slash}{rest}" for n in self.stores if self.physical_name(n) == physical}
        name, slash, rest = target.partition("/")
        names = {target}
        physical = self.physical_name(name)
        if physical is not None:
            names.add(f"named:{physical}{slash}{rest}")
        return names


def evaluate(spec: Mapping[str, Any], apps: Sequence[Application]) -> Outcome:
    view = _View(apps)
    if "function" in spec:
        function = view.functions.get(spec["function"])
        if function is None:
            return Outcome(False, f"Function {spec['function']} is not in your files any more.")
        checks = [key for key in spec if key in FUNCTION_KEYS]
        return _all(_function_property(view, function, key, spec[key], spec) for key in checks)
    store = view.stores.get(spec["queue"])
    if store is None or store.kind != "sqs":
        return Outcome(False, f"Queue {spec['queue']} is not in your files any more.")
    return _all(_queue_property(view, store, key, spec[key]) for key in spec if key in QUEUE_KEYS)


def _all(outcomes: Iterable[Outcome]) -> Outcome:
    met = []
    for outcome in outcomes:
        if not outcome.ok:
            return outcome
        met.append(outcome)
    return Outcome(
        True, " ".join(o.detail for o in met if o.detail), met[0].file if met else None, met[0].line if met else None
    )


def _where(setting: Setting | None) -> str:
    if setting is None or setting.line is None:
        return ""
    return f" ({setting.file} line {setting.line})"


def _range_text(bounds: Mapping[str, int], unit: str) -> str:
    unit = f" {unit}" if unit else ""
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None:
        return f"between {low:,} and {high:,}{unit}"
    if low is not None:
        return f"at least {low:,}{unit}"
    return f"at most {high:,}{unit}"


def _in_range(value: int, bounds: Mapping[str, int]) -> bool:
    return bounds.get("min", value) <= value <= bounds.get("max", value)


def _check_range(
    label: str, setting: Setting | None, value: int | None, bounds: Mapping[str, int], unit: str, default_note: str = ""
) -> Outcome:
    file, line = (setting.file, setting.line) if setting is not None else (None, None)
    wanted = _range_text(bounds, unit)
    if value is None:
        shown = (
            "is not set"
            if setting is None
            else "is not a value the files show (a parameter without a default or an expression)"
        )
        return Outcome(False, f"The {label} {shown}{_where(setting)}; it should be {wanted}.", file, line)
    unit_text = f" {unit}" if unit else ""
    seen = f"The {label} is {value:,}{unit_text}{default_note}{_where(setting)}"
    if not _in_range(value, bounds):
        return Outcome(False, f"{seen}; it should be {wanted}.", file, line)
    return Outcome(True, f"{seen}.", file, line)


def _function_property(view: _View, function: Function, key: str, value: Any, spec: Mapping[str, Any]) -> Outcome:
    name = function.name
    if key in RANGE_PROPERTIES:
        attribute, unit, label = RANGE_PROPERTIES[key]
        setting = getattr(function, attribute)
        number = as_int(setting.value) if setting is not None else None
        note = ""
        if key == "timeout":
            number = function.effective_timeout
            note = (
                " (the default: nothing sets it)"
                if setting is None
                else f" ({function.timeout_note})" * bool(function.timeout_note)
            )
        elif key == "memory":
            number = function.effective_memory
            note = " (the default: nothing sets it)" if setting is None else ""
        elif key in ASYNC_DEFAULTS and setting is None:
            number, note = ASYNC_DEFAULTS[key], " (Lambda's default: nothing sets it)"
        elif key == "provisioned_concurrency" and setting is not None and number and _snap_start_on(function):
            return Outcome(
                False,
                f"{name} has both provisioned concurrency{_where(setting)} and SnapStart; Lambda does not allow "
                "the two on the same function, so the deployment fails.",
                setting.file,
                setting.line,
            )
        elif key == "provisioned_concurrency" and setting is not None and number and not _reachable_pc(function):
            return Outcome(
                False,
                f"{name} has provisioned concurrency{_where(setting)}, but its callers do not "
                "invoke the alias or version it is configured on.",
                setting.file,
                setting.line,
            )
        return _check_range(f"{label} of {name}", setting, number, value, unit, note)
    if key == "invoked_through":
        return _invoked_through(function, value, spec.get("alias"))
    if key == "alias":
        if value in function.aliases:
            return Outcome(True, f"{name} has the alias {value}.")
        return Outcome(False, f"{name} has no alias named {value}.", function.file, function.line)
    if key == "snap_start":
        snap = function.snap_start
        pc = function.provisioned_concurrency
        if snap is not None and snap.value == "PublishedVersions" and pc is not None and as_int(pc.value) != 0:
            return Outcome(
                False,
                f"{name} has both SnapStart and provisioned concurrency{_where(pc)}; Lambda does not allow "
                "the two on the same function, so the deployment fails.",
                pc.file,
                pc.line,
            )
        storage = function.ephemeral_storage
        size = as_int(storage.value) if storage is not None else None
        if snap is not None and storage is not None and (size is None or size > 512):
            # https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html: not with ephemeral storage over 512 MB
            return Outcome(
                False,
                f"{name} has SnapStart and {size or 'an unknown amount of'} MB of ephemeral storage{_where(storage)}; "
                "SnapStart does not support more than 512 MB of /tmp, so the deployment fails.",
                storage.file,
                storage.line,
            )
        if snap is not None and snap.value == "PublishedVersions":
            return Outcome(True, f"SnapStart is on for {name}'s published versions.", snap.file, snap.line)
        return Outcome(False, f"SnapStart is not on for {name}'s published versions.", function.file, function.line)
    if key in ("on_failure", "dead_letter"):
        return _failure_target(view, function, key, value)
    if key == "permissions":
        return _permissions(view, function, value)
    if key == "trigger":
        return _trigger(view, function, value)
    if key == "poller":
        return _poller(function, value)
    if key == "handler":
        return _handler(function, value)
    if key == "environment":
        return _environment(view, function, value["references"])
    raise ValueError(key)


def _snap_start_on(function: Function) -> bool:
    return function.snap_start is not None and function.snap_start.value == "PublishedVersions"


def _reachable_pc(function: Function) -> bool:
    callers = [t.qualifier for t in function.triggers]
    return (
        bool(function.provisioned_on)
        and function.publishes is not None
        and bool(callers)
        and all(q in function.provisioned_on for q in callers)
    )


def _invoked_through(function: Function, how: str, alias: Any) -> Outcome:
    if not function.triggers:
        return Outcome(False, f"Nothing in your files invokes {function.name}.", function.file, function.line)
    for trigger in function.triggers:
        qualifier = trigger.qualifier
        where = f" ({trigger.file} line {trigger.line})" if trigger.line else ""
        if qualifier is None:
            return Outcome(
                False, f"The checker cannot tell what the caller{where} invokes.", trigger.file, trigger.line
            )
        if qualifier == "latest" or function.publishes is None:
            return Outcome(
                False,
                f"The caller{where} invokes {function.name}'s $LATEST (unpublished code), not a published "
                "version or an alias.",
                trigger.file,
                trigger.line,
            )
        if how == "alias" and not qualifier.startswith("alias:"):
            return Outcome(False, f"The caller{where} invokes a version, not an alias.", trigger.file, trigger.line)
        if isinstance(alias, str) and how == "alias" and qualifier != f"alias:{alias}":
            return Outcome(
                False,
                f"The caller{where} invokes {qualifier.removeprefix('alias:')}, not the alias {alias}.",
                trigger.file,
                trigger.line,
            )
    return Outcome(True, f"Every caller of {function.name} invokes a published version through an alias.")


def _queue_of(view: _View, target: Any) -> DataStore | None:
    """The SQS queue (or other store) a destination or dead-letter setting points at."""
    for name in _mentioned_stores(view, target):
        return view.stores[name]
    return None


def _mentioned_stores(view: _View, value: Any) -> list[str]:
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for name in view.stores:
                if (
                    item == name
                    or f"{{{name}." in item
                    or f"${{{name}}}" in item
                    or item.startswith(f"{name}.")
                    or (f"{name}." in item and "${" in item)
                ):
                    found.append(name)
            physical = [n for n in view.stores if view.physical_name(n) and item.endswith(":" + view.physical_name(n))]
            found.extend(physical)
        elif isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                if key in ("Ref", "Fn::GetAtt"):
                    target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
                    if target in view.stores:
                        found.append(target)
                        continue
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return list(dict.fromkeys(found))


def _failure_target(view: _View, function: Function, key: str, wanted: Mapping[str, Any]) -> Outcome:
    setting = function.on_failure if key == "on_failure" else function.dead_letter
    label = "on-failure destination" if key == "on_failure" else "dead-letter queue"
    if setting is None:
        return Outcome(False, f"{function.name} has no {label}.", function.file, function.line)
    store = _queue_of(view, setting.value)
    kind = wanted["kind"]
    if store is None or store.kind != kind:  # the model's store kinds "sqs" and "sns" are the target kinds
        return Outcome(
            False,
            f"{function.name}'s {label}{_where(setting)} is not {TARGET_KINDS[kind]} defined in your files.",
            setting.file,
            setting.line,
        )
    if _is_fifo(store):
        return Outcome(
            False,
            f"{function.name}'s {label} {store.name} is a FIFO queue or topic, which Lambda cannot deliver "
            "asynchronous failures to.",
            setting.file,
            setting.line,
        )
    if "retention" in wanted:
        queue_range = QUEUE_RANGES["retention"]
        outcome = _queue_range(store, queue_range, wanted["retention"])
        if not outcome.ok:
            return outcome
    if wanted.get("alarm"):
        outcome = _alarm(view, store)
        if not outcome.ok:
            return outcome
    return Outcome(True, f"{function.name}'s {label} is {store.name}.", setting.file, setting.line)


def _is_fifo(store: DataStore) -> bool:
    fifo = store.settings.get("FifoQueue")
    name = store.settings.get("QueueName") or store.settings.get("TopicName")
    return (fifo is not None and str(fifo.value).lower() == "true") or (
        name is not None and isinstance(name.value, str) and name.value.endswith(".fifo")
    )


def _queue_range(store: DataStore, spec: tuple[str, str, str, int], bounds: Mapping[str, int]) -> Outcome:
    attribute, unit, label, default = spec
    setting = store.settings.get(attribute)
    number = as_int(setting.value) if setting is not None else default
    note = " (the default: nothing sets it)" if setting is None else ""
    return _check_range(f"{label} of {store.name}", setting, number, bounds, unit, note)


def _alarm(view: _View, queue: DataStore) -> Outcome:
    physical = view.physical_name(queue.name)
    for alarm in view.stores.values():
        if alarm.kind != "alarm":
            continue
        on_queue = queue.name in alarm.refs or (physical and physical in _texts(alarm.settings.get("Dimensions")))
        metric = alarm.settings.get("MetricName")
        if not on_queue or metric is None or metric.value not in ARRIVAL_METRICS:
            continue
        actions = alarm.settings.get("AlarmActions")
        if actions is None or not actions.value:
            return Outcome(
                False,
                f"The alarm {alarm.name} on {queue.name} notifies nobody (no AlarmActions).",
                alarm.file,
                alarm.line,
            )
        silent = _unsubscribed_topics(view, actions.value)
        if silent:
            return Outcome(
                False,
                f"The alarm {alarm.name} on {queue.name} notifies only {', '.join(silent)}, a topic in your "
                "files that nobody subscribes to.",
                alarm.file,
                alarm.line,
            )
        if not _fires_on_first(alarm):
            return Outcome(
                False,
                f"The alarm {alarm.name} on {queue.name} does not fire on the first message.",
                alarm.file,
                alarm.line,
            )
        return Outcome(True, f"The alarm {alarm.name} watches {queue.name}.", alarm.file, alarm.line)
    return Outcome(
        False, f"No alarm with an action watches the messages arriving in {queue.name}.", queue.file, queue.line
    )


def _unsubscribed_topics(view: _View, actions: Any) -> list[str]:
    """The topics of `actions` when every action is a topic in the files with no subscription at all."""
    topics = []
    for action in actions if isinstance(actions, list) else [actions]:
        named = [n for n in _mentioned_stores(view, action) if view.stores[n].kind == "sns"]
        if not named:
            return []  # a parameter, an ARN or something else the files do not show: assume it is watched
        topic = view.stores[named[0]]
        subscribed = topic.settings.get("Subscription") is not None or any(
            s.kind == "sns_subscription" and topic.name in s.refs for s in view.stores.values()
        )
        if subscribed:
            return []
        topics.append(topic.name)
    return topics


def _fires_on_first(alarm: DataStore) -> bool:
    threshold = alarm.settings.get("Threshold")
    operator = alarm.settings.get("ComparisonOperator")
    try:
        value = float(threshold.value) if threshold is not None else None
    except (TypeError, ValueError):
        return False
    if value is None or operator is None:
        return False
    if operator.value == "GreaterThanThreshold":
        return value < 1
    if operator.value == "GreaterThanOrEqualToThreshold":
        return value <= 1
    return False


def _texts(setting: Setting | None) -> set[str]:
    return set(strings_in(setting.value)) if setting is not None else set()


def _allowed(statements: list[Statement]) -> list[Statement]:
    return [s for s in statements if s.effect == "Allow"]


def _matches(view: _View, target: str, patterns: Iterable[str]) -> bool:
    names = view.aliases_of(target)
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns)


# Patterns that stand for a resource the learner names: the function's own failure targets.
SYMBOLS = ("$on_failure", "$dead_letter")


def _expand(view: _View, function: Function, patterns: Iterable[str]) -> list[str]:
    """`$on_failure` becomes the queue (or topic) the function's on-failure destination names, whatever it is
    called, so a prompt can allow 'send to your failure queue' without fixing the queue's name."""
    expanded = []
    for pattern in patterns:
        if pattern in SYMBOLS:
            setting = function.on_failure if pattern == "$on_failure" else function.dead_letter
            expanded.extend(_mentioned_stores(view, setting.value) if setting is not None else [])
        else:
            expanded.append(pattern)
    return expanded


def _permissions(view: _View, function: Function, spec: Mapping[str, Any]) -> Outcome:
    statements = _allowed(function.statements)
    only: Mapping[str, list[str]] = {
        action: _expand(view, function, patterns) for action, patterns in spec.get("only", {}).items()
    }
    for statement in statements if only else ():
        for action in statement.actions:
            allowed = [p for key, p in only.items() if fnmatch.fnmatchcase(action.lower(), key.lower())]
            where = f" ({statement.file} line {statement.actions_line or statement.line})"
            origin = f" through {statement.template}" if statement.template else ""
            if action == "?":
                return Outcome(
                    False,
                    f"{function.name}'s role has a grant{origin} whose actions the checker cannot see{where}.",
                    statement.file,
                    statement.line,
                )
            if not allowed:
                return Outcome(
                    False,
                    f"{function.name} may call {action}{origin}{where}, which the prompt does not need.",
                    statement.file,
                    statement.actions_line or statement.line,
                )
            patterns = [p for group in allowed for p in group]
            for target in statement.targets or ["?"]:
                if not _matches(view, target, patterns):
                    shown = {"*": "every resource ('*')", "?": "a resource the checker cannot read"}.get(
                        target, target.removeprefix("named:")
                    )
                    return Outcome(
                        False,
                        f"{function.name} may call {action} on {shown}{where}; it should be "
                        "only on the resources that call needs.",
                        statement.file,
                        statement.actions_line or statement.line,
                    )
    for action, written in spec.get("require", {}).items():
        patterns = _expand(view, function, written)
        granted = any(
            _action_covers(granted, action) and any(_matches(view, t, patterns) for t in statement.targets)
            for statement in statements
            for granted in statement.actions
        )
        if not granted:
            return Outcome(
                False,
                f"{function.name} may not call {action} on {', '.join(patterns)}, which the code needs.",
                function.file,
                function.line,
            )
    return Outcome(True, f"{function.name}'s role grants what the prompt asks, and nothing more.")


def _action_covers(granted: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), granted.lower())


def _trigger(view: _View, function: Function, spec: Mapping[str, Any]) -> Outcome:
    kind, source = spec["kind"], spec.get("source")
    for trigger in function.triggers:
        if trigger.kind != kind:
            continue
        if source is not None:
            names = view.aliases_of(trigger.source) if trigger.source else set()
            if trigger.source_literal:
                names.add(f"named:{trigger.source_literal}")
            if source not in names:
                continue
        if "integration_timeout_ms" in spec:
            # The API Gateway integration timeout: as written, or the gateway's default wait.
            configured = trigger.integration_timeout_ms
            waits = as_int(configured.value) if configured is not None else None
            if configured is None and trigger.limit_s is not None:
                waits = trigger.limit_s * 1000
            outcome = _check_range(
                f"integration timeout of {function.name}'s {kind} trigger",
                configured,
                waits,
                spec["integration_timeout_ms"],
                "ms",
                " (the default: nothing sets it)" if configured is None else "",
            )
            if not outcome.ok:
                return outcome
        shown = source.removeprefix("named:") if source is not None else kind
        return Outcome(True, f"{function.name} is triggered by {shown}.", trigger.file, trigger.line)
    return Outcome(
        False,
        f"{function.name} is not triggered by {source.removeprefix('named:') if source else kind} any more.",
        function.file,
        function.line,
    )


def _poller(function: Function, spec: Mapping[str, Any]) -> Outcome:
    queues = [t for t in function.triggers if t.kind == "sqs"]
    if not queues:
        return Outcome(False, f"{function.name} has no SQS event source.", function.file, function.line)
    reserved = as_int(function.reserved_concurrency.value) if function.reserved_concurrency else None
    for trigger in queues:
        cap = trigger.max_concurrency
        value = as_int(cap.value) if cap is not None else None
        where = f" ({trigger.file} line {trigger.line})"
        if value is None:
            return Outcome(
                False,
                f"The SQS event source of {function.name}{where} has no maximum concurrency.",
                trigger.file,
                trigger.line,
            )
        if "max_concurrency" in spec:
            outcome = _check_range(
                f"poller's maximum concurrency for {function.name}", cap, value, spec["max_concurrency"], ""
            )
            if not outcome.ok:
                return outcome
        per_message = spec.get("seconds_per_message")
        timeout = function.effective_timeout
        batch = trigger.batch_size or SQS_DEFAULT_BATCH
        if per_message and (timeout is None or batch * per_message > timeout):
            return Outcome(
                False,
                f"A batch of up to {batch} messages at about {per_message} s each needs {batch * per_message:,} s, "
                f"but {function.name}'s timeout is {timeout if timeout is not None else 'unknown'} s: full batches "
                "time out and every message in them is received again.",
                trigger.file,
                trigger.line,
            )
        if spec.get("within_reserved") and (reserved is None or value > reserved):
            shown = "no reserved concurrency" if reserved is None else f"a reserved concurrency of {reserved}"
            return Outcome(
                False,
                f"The poller may run {value} batches at once{_where(cap)}, but {function.name} has "
                f"{shown}: the extra batches are throttled and return to the queue.",
                cap.file if cap else None,
                cap.line if cap else None,
            )
    return Outcome(True, f"{function.name}'s poller stays within its cap.")


def _handler(function: Function, spec: Mapping[str, Any]) -> Outcome:
    facts = function.handler_facts
    if facts is None:
        return Outcome(
            False,
            f"The checker cannot find {function.name}'s handler code in your files.",
            function.file,
            function.line,
        )
    if spec.get("returns_batch_item_failures"):
        handler = function.handler.value if function.handler is not None else ""
        name = handler.rsplit(".", 1)[-1] if isinstance(handler, str) else ""
        response = facts.batch_response(name)
        if response is None:
            return Outcome(
                False, f"{facts.path} has no function {name}() for {function.name}'s handler.", facts.path, 1
            )
        if not (response.every_path_returns_failures and response.per_record_errors):
            return Outcome(False, f"{name}() in {facts.path}: {response.detail}.", facts.path, response.line)
    for call in spec.get("calls", ()):
        if not any(fnmatch.fnmatchcase(made, call) for made in facts.calls):
            return Outcome(False, f"{facts.path} never calls {call}.", facts.path, 1)
    for call in spec.get("never_calls", ()):
        for made, lines in facts.calls.items():
            if fnmatch.fnmatchcase(made, call):
                return Outcome(False, f"{facts.path} still calls {made} (line {lines[0]}).", facts.path, lines[0])
        if call.startswith("lambda:Invoke") and facts.invocations:
            line = facts.invocations[0].line
            return Outcome(False, f"{facts.path} still invokes a function (line {line}).", facts.path, line)
    for call in spec.get("cached_with_expiry", ()):
        made = [action for action in facts.calls if fnmatch.fnmatchcase(action, call)]
        uncached = [action for action in made if action not in facts.expiring_cache]
        if not made or uncached:
            line = facts.calls[uncached[0]][0] if uncached else 1
            return Outcome(False, f"{facts.path} calls {call} without a cache that expires (line {line}): fetched "
                           "once it never changes, fetched on every call it costs a request each time.",
                           facts.path, line)  # fmt: skip
    if "max_cache_seconds" in spec:
        seconds = facts.cache_seconds
        if seconds is not None and seconds > spec["max_cache_seconds"]:
            return Outcome(False, f"{facts.path} keeps the cached value for {seconds:,} seconds; the prompt asks for a "
                           f"short cache (at most {spec['max_cache_seconds']:,}).", facts.path, 1)  # fmt: skip
    for call, forbidden in (spec.get("inputs_never_include") or {}).items():
        lines = [
            line for made, made_lines in facts.calls.items() if fnmatch.fnmatchcase(made, call) for line in made_lines
        ]
        inputs = facts.inputs_reader(lines) if facts.inputs_reader is not None and lines else set()
        leaked = sorted(set(forbidden) & inputs)
        if leaked:
            return Outcome(
                False,
                f"What {facts.path} sends with {call} is built from {', '.join(leaked)} (line {lines[0]}), which "
                "changes when the same work is sent again.",
                facts.path,
                lines[0],
            )
    for name in spec.get("never_uses", ()):
        for used, lines in facts.python_calls.items():
            if fnmatch.fnmatchcase(used, name):
                return Outcome(False, f"{facts.path} calls {used} (line {lines[0]}).", facts.path, lines[0])
    if "max_db_connections" in spec:
        limit = spec["max_db_connections"]
        bounds = facts.db_connection_bounds
        unknown = [line for line, bound in bounds if bound is None]
        total = sum(bound or 0 for _line, bound in bounds)
        if unknown:
            return Outcome(False, f"The checker cannot tell how many connections the pool at line {unknown[0]} of "
                           f"{facts.path} holds.", facts.path, unknown[0])  # fmt: skip
        if total > limit:
            line = bounds[0][0] if bounds else 1
            return Outcome(False, f"{facts.path} can hold {total} database connections per environment (line {line}); "
                           f"the prompt allows {limit}.", facts.path, line)  # fmt: skip
    missing = [word for word in spec.get("mentions", ()) if word not in facts.strings]
    if missing:
        return Outcome(False, f"{facts.path} never writes {', '.join(repr(m) for m in missing)}.", facts.path, 1)
    return Outcome(True, f"{function.name}'s handler does what the prompt asks.", facts.path)


def _environment(view: _View, function: Function, references: list[str]) -> Outcome:
    for wanted in references:
        for setting in function.environment.values():
            if wanted in _mentioned_names(setting.value, wanted, view):
                break
            if wanted.startswith("named:") and any(
                view.physical_name(store) == wanted.removeprefix("named:")
                for store in _mentioned_stores(view, setting.value)
            ):
                break  # `named:<physical name>`: a resource with that name, whatever the files call it
        else:
            physical = view.physical_name(wanted)
            shown = f"{wanted} ({physical})" if physical else wanted
            return Outcome(
                False, f"No environment variable of {function.name} refers to {shown}.", function.file, function.line
            )
    return Outcome(True, f"{function.name}'s environment refers to {', '.join(references)}.")


def _mentioned_names(value: Any, wanted: str, view: _View) -> set[str]:
    found: set[str] = set()
    physical = view.physical_name(wanted)
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if wanted in item or (physical is not None and physical in item):
                found.add(wanted)
        elif isinstance(item, dict):
            if len(item) == 1:
                ((key, inner),) = item.items()
                if key in ("Ref", "Fn::GetAtt"):
                    target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
                    found.add(str(target))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _queue_property(view: _View, store: DataStore, key: str, value: Any) -> Outcome:
    if key in QUEUE_RANGES:
        return _queue_range(store, QUEUE_RANGES[key], value)
    if key == "max_receive_count":
        policy = store.settings.get("RedrivePolicy")
        count = policy.value.get("maxReceiveCount") if policy is not None and isinstance(policy.value, dict) else None
        target = (
            policy.value.get("deadLetterTargetArn") if policy is not None and isinstance(policy.value, dict) else None
        )
        if policy is None or target is None:
            return Outcome(
                False,
                f"{store.name} has no redrive policy: a message that keeps failing is never moved aside.",
                store.file,
                store.line,
            )
        return _check_range(f"maxReceiveCount of {store.name}", policy, as_int(count), value, "receives")
    if key == "alarm":
        return _alarm(view, store)
    raise ValueError(key)
