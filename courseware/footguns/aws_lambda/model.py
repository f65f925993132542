"""One normalised model of a serverless application, whatever format it came from.

Every configured value is a `Setting`: the value plus the file and line it was written
on. A value that was not written is None, and the function's `defaults` say what the
platform or framework uses instead (the Serverless Framework's defaults differ from
AWS's). Resource references are plain names: CloudFormation logical ids, Terraform
`type.name` addresses, or Serverless function keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from courseware.footguns.values import Setting, strings_in, whole_number

__all__ = ["Setting", "strings_in", "whole_number"]  # shared with the other topics, re-exported


@dataclass
class Trigger:
    """An event source that invokes a function, and how the caller waits for it."""

    kind: str  # api | http_api | function_url | alb | sqs | stream | s3 | sns | schedule | events | unknown
    file: str
    line: int | None
    source: str | None = None  # name of the queue, bucket, topic or API resource in the model
    source_literal: str | None = None  # a physical name or ARN written as text (Serverless)
    partial_batch: bool | None = None  # ReportBatchItemFailures on a queue or stream mapping
    batch_size: int | None = None
    max_concurrency: Setting | None = None  # an SQS event source's ScalingConfig cap
    integration_timeout_ms: Setting | None = None
    limit_s: int | None = None  # the caller's wait limit, when the trigger has one

    # What the caller invokes: "latest" ($LATEST), "alias:<name>", "version", or None when unknown.
    qualifier: str | None = None

    @property
    def synchronous(self) -> bool:
        return self.kind in SYNC_TRIGGERS

    @property
    def asynchronous(self) -> bool:
        return self.kind in ASYNC_TRIGGERS


SYNC_TRIGGERS = frozenset({"api", "http_api", "function_url", "alb"})
ASYNC_TRIGGERS = frozenset({"s3", "sns", "schedule", "events"})


@dataclass
class Statement:
    """One IAM policy statement in effect for a function's execution role."""

    file: str
    line: int | None
    effect: str
    actions: list[str]
    resources: list[Any]  # raw values; `refs` lists the model names they mention
    refs: set[str]
    actions_line: int | None = None
    template: str | None = None  # SAM policy template name, e.g. "LambdaInvokePolicy"
    # Each resource as "<model name>[/rest]" (Table/index/byStatus), "named:<physical name>[/rest]",
    # "*", or "?" when it cannot be read statically.
    targets: list[str] = field(default_factory=list)


@dataclass
class Invocation:
    """A call from one function's code to the Lambda Invoke API."""

    file: str
    line: int
    mode: str  # RequestResponse | Event | DryRun | unknown
    target: str | None = None  # literal function name or environment variable, when visible
    payload_read_line: int | None = None  # where the code reads the response's Payload


@dataclass(frozen=True)
class BatchResponse:
    """How a handler answers an SQS or stream batch, read from its syntax tree."""

    every_path_returns_failures: bool  # every return reports batchItemFailures, none falls off the end
    per_record_errors: bool  # each record's failure is caught inside the loop over the records
    line: int | None  # the handler's def line
    detail: str  # what is missing, in words, when either is False


@dataclass
class HandlerFacts:
    """What static analysis of a handler file found; never imported or executed."""

    path: str
    handler_names: set[str] = field(default_factory=set)
    invocations: list[Invocation] = field(default_factory=list)
    db_connects_in_handler: list[int] = field(default_factory=list)
    db_connects_outside: list[int] = field(default_factory=list)
    clients_in_handler: list[int] = field(default_factory=list)
    # AWS API calls on boto3 clients, as IAM-style action names ("sqs:SendMessage") with their lines.
    calls: dict[str, list[int]] = field(default_factory=dict)
    strings: frozenset[str] = frozenset()  # string constants and dict keys in the module
    # How a top-level function answers a batch, read from the syntax tree on first ask (most handlers never are).
    batch_reader: Callable[[str], BatchResponse | None] | None = field(default=None, repr=False, compare=False)
    _batch_cache: dict[str, BatchResponse | None] = field(default_factory=dict, repr=False, compare=False)
    _expiring: frozenset[str] | None = field(default=None, repr=False, compare=False)
    python_calls: dict[str, list[int]] = field(default_factory=dict)  # every call by its dotted name
    # The most database connections one environment can hold: per connect or engine call site, None when unknown.
    db_connection_bounds: list[tuple[int, int | None]] = field(default_factory=list)
    # AWS actions whose every call is behind a cache that expires (a clock check, a TTL cache, Powertools),
    # read on first ask.
    cache_reader: Callable[[], frozenset[str]] | None = field(default=None, repr=False, compare=False)
    managed_secret_lines: list[int] = field(default_factory=list)  # secrets read through AWS's cache
    # What can flow into the calls at given lines (python_handler.call_inputs), read on first ask.
    inputs_reader: Callable[[list[int]], set[str]] | None = field(default=None, repr=False, compare=False)
    # The longest cache lifetime written in the code, in seconds (None: none written), read on first ask.
    cache_seconds_reader: Callable[[], int | None] | None = field(default=None, repr=False, compare=False)

    @property
    def expiring_cache(self) -> frozenset[str]:
        if self._expiring is None:
            self._expiring = self.cache_reader() if self.cache_reader is not None else frozenset()
        return self._expiring

    @property
    def cache_seconds(self) -> int | None:
        return self.cache_seconds_reader() if self.cache_seconds_reader is not None else None

    def batch_response(self, name: str) -> BatchResponse | None:
        if name not in self._batch_cache:
            self._batch_cache[name] = self.batch_reader(name) if self.batch_reader is not None else None
        return self._batch_cache[name]


@dataclass
class Function:
    """One Lambda function as configured, each value with the line it was written on."""

    name: str
    file: str
    line: int | None
    format: str
    runtime: Setting | None = None
    handler: Setting | None = None
    code_path: Setting | None = None  # CodeUri, filename/source_dir, or the service folder
    timeout: Setting | None = None
    memory: Setting | None = None
    reserved_concurrency: Setting | None = None
    provisioned_concurrency: Setting | None = None
    snap_start: Setting | None = None  # the ApplyOn value, or True
    ephemeral_storage: Setting | None = None  # /tmp size in MB
    architecture: Setting | None = None  # x86_64 or arm64 (a list in CloudFormation and Terraform); None: x86_64
    publishes: Setting | None = None  # versions are published (AutoPublishAlias, publish = true, a Version)
    aliases: dict[str, int | None] = field(default_factory=dict)  # alias name -> line
    # Qualifiers ("alias:live", "version") that carry the provisioned concurrency.
    provisioned_on: set[str] = field(default_factory=set)
    retries: Setting | None = None  # asynchronous MaximumRetryAttempts
    event_age: Setting | None = None  # asynchronous MaximumEventAgeInSeconds
    environment: dict[str, Setting] = field(default_factory=dict)
    vpc: Setting | None = None
    dead_letter: Setting | None = None
    on_failure: Setting | None = None
    triggers: list[Trigger] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    refs: dict[str, int | None] = field(default_factory=dict)  # names mentioned in properties
    endpoint_refs: set[str] = field(default_factory=set)  # databases whose endpoint it is given
    log_retention: Setting | None = None
    has_log_group: bool = False
    default_timeout: int = 3
    default_memory: int = 128
    timeout_note: str = ""  # e.g. "from Globals" or "from provider"
    handler_facts: HandlerFacts | None = None

    @property
    def effective_timeout(self) -> int | None:
        return self.default_timeout if self.timeout is None else whole_number(self.timeout.value)

    @property
    def effective_memory(self) -> int | None:
        return self.default_memory if self.memory is None else whole_number(self.memory.value)

    @property
    def runtime_name(self) -> str | None:
        if self.runtime is None or not isinstance(self.runtime.value, str):
            return None
        return self.runtime.value


@dataclass
class DataStore:
    """A queue, database, bucket, topic or log group the functions use."""

    name: str
    kind: str  # rds_instance | rds_cluster | rds_proxy | sqs | s3 | sns | log_group
    file: str
    line: int | None
    settings: dict[str, Setting] = field(default_factory=dict)
    refs: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Application:
    """The normalised model of a serverless application, whatever format it came from."""

    functions: dict[str, Function] = field(default_factory=dict)
    stores: dict[str, DataStore] = field(default_factory=dict)
    handlers: dict[str, HandlerFacts] = field(default_factory=dict)

    parameters: dict[str, Setting] = field(default_factory=dict)  # template parameters without a usable default
    # Functions defined elsewhere that these files wire up (a permission or an invoke config naming them): only
    # what the files say about them is known, so only the rules about that wiring read them.
    external_functions: dict[str, Function] = field(default_factory=dict)
    # Roles Lambda may assume that no function in these files uses (their functions live elsewhere).
    unattached_roles: dict[str, list[Statement]] = field(default_factory=dict)
