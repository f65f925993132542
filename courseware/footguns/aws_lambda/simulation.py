"""What a serverless application's config does under a traffic scenario: an aggregate model in time steps.

No request is simulated one by one. Each step, for each function: arrivals (from the scenario's traffic),
warm and cold environments (idle environments are reused most-recent first and reclaimed when idle too
long), starts against the function's and the account's concurrency and the per-function scaling rate, and
the outcome of what started, read from a few quantiles of the work-duration distribution: how long an
environment is busy, what is billed, what the caller sees (504 past the gateway's limit, 502 on a function
error), what the function's timeout kills. Queues (SQS: batches, visibility timeout, receive counts,
redrive, partial batch responses), asynchronous retries and destinations, synchronous calls to other
functions (the caller billed while it waits; throttles and slow callees), and database connections against
`max_connections` (RDS Proxy pooling) feed back into the next step. Every number about AWS is in
`sim_facts`, with its source; everything about the application (work and Init durations it measured,
traffic, the database size when the files do not say) is in the scenario. Deterministic for a seed.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict, deque
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

from courseware.footguns.aws_lambda import sim_facts as facts
from courseware.footguns.aws_lambda.model import Application, Function, Trigger
from courseware.footguns.parsers.nodes import LineDict, LineList, line_of
from courseware.footguns.simulation import (
    Counter,
    Event,
    Result,
    Scenario,
    ScenarioProblem,
    Series,
    number,
    parse_clock,
    parse_duration,
    percentiles,
)
from courseware.footguns.values import whole_number

KEYS = ("account", "database", "functions", "slow", "outages")
FUNCTION_KEYS = ("work", "init", "first_request", "connections", "traffic", "poison", "calls", "trigger")
WORK_KEYS = ("median", "p99", "at_memory", "cpu_bound")
TRAFFIC_KEYS = ("at", "from", "to", "rate", "every", "burst", "trigger")
CALL_KEYS = ("name", "memory", "work", "reserved_concurrency", "per")
SLOW_KEYS = ("target", "from", "to", "factor")
OUTAGE_KEYS = ("target", "from", "to")
DATABASE_KEYS = ("engine", "instance_class", "max_connections")
TRIGGER_KINDS = ("api", "http_api", "function_url", "alb", "sqs", "stream", "s3", "sns", "schedule", "events")
# Quantiles of the work distribution and their weights: the tail keeps its own points so timeouts show.
QUANTILES = ((0.1, 0.2), (0.3, 0.2), (0.5, 0.2), (0.7, 0.2), (0.875, 0.15), (0.99, 0.05))
_Z = [(NormalDist().inv_cdf(q), w) for q, w in QUANTILES]
_Z99 = NormalDist().inv_cdf(0.99)
MAX_TIMELINE = 40

COUNTERS = (
    ("requests", "Requests, events and messages arriving"),
    ("unserved", "Arrivals for a function these files do not define"),
    ("cold_starts", "Cold starts (new environments running Init)"),
    ("sync_cold_starts", "Cold starts a waiting caller sat through"),
    ("snapstart_restores", "New environments restored from a SnapStart snapshot"),
    ("gateway_504", "Gateway timeouts (504): the caller gave up"),
    ("gateway_502", "Gateway errors (502/500): function failed or was throttled"),
    ("function_timeout", "Function timeouts: work killed mid-way"),
    ("throttled", "Throttled invocations (429)"),
    ("db_refused", "Invocations refused a database connection"),
    ("function_error", "Function errors (a bad record, a failed call)"),
    ("callee_throttled", "Synchronous calls throttled by the callee"),
    ("async_retries", "Asynchronous retries"),
    ("async_dropped", "Events discarded after their last attempt"),
    ("async_kept", "Events kept in an on-failure destination or DLQ"),
    ("sqs_redelivered", "Messages returned to their queue"),
    ("sqs_duplicates", "Messages processed again after a failed batch"),
    ("sqs_dead_lettered", "Messages moved to a dead-letter queue"),
    ("sqs_left", "Messages still queued at the end"),
    ("billed_after_gave_up_s", "Seconds billed after the caller gave up"),
    ("waiting_s", "Seconds billed to callers waiting on synchronous calls"),
    ("callee_s", "Seconds the called functions worked"),
    ("waiting_gb_s", "GB-s billed while waiting on synchronous calls"),
)
_LABELS = dict(COUNTERS)


# ---------------------------------------------------------------------------------------------------------------
# Validation (manage.py check and the CLI): every problem with its line


def validate(scenario: Scenario) -> list[ScenarioProblem]:
    body = scenario.body
    problems: list[ScenarioProblem] = []

    def bad(container: Any, key: Any, message: str) -> None:
        problems.append(ScenarioProblem(line_of(container, key), message))

    account = body.get("account")
    if account is not None:
        if not isinstance(account, LineDict):
            bad(body, "account", "'account' must be a mapping, such as {concurrency: 1000}")
        else:
            for key in account:
                if key != "concurrency":
                    bad(account, key, f"unknown key '{key}' in account (known: concurrency)")
            if "concurrency" in account and number(account["concurrency"], minimum=1, maximum=1e6) is None:
                bad(account, "concurrency", "account concurrency must be a number of environments, 1 or more")
    database = body.get("database")
    if database is not None:
        if not isinstance(database, LineDict):
            bad(body, "database", "'database' must be a mapping (engine, instance_class or max_connections)")
        else:
            _check_keys(database, DATABASE_KEYS, "database", bad)
            engine = database.get("engine", "postgres")
            if not isinstance(engine, str) or not any(e in engine for e in ("postgres", "mysql", "maria")):
                bad(database, "engine", "database engine must be postgres, mysql, mariadb or an aurora- variant")
            if "instance_class" in database and facts.max_connections("postgres", database["instance_class"]) is None:
                known = ", ".join(sorted(facts.INSTANCE_MEMORY_GIB))
                bad(database, "instance_class", f"unknown instance class (known: {known}); or give max_connections")
            if "max_connections" in database and number(database["max_connections"], minimum=1) is None:
                bad(database, "max_connections", "max_connections must be a whole number, 1 or more")
    functions = body.get("functions")
    if not isinstance(functions, LineDict) or not functions:
        bad(body, "functions", "'functions' is required: a mapping of function name to its workload and traffic")
        functions = LineDict(1)
    for name, spec in functions.items():
        if not isinstance(spec, LineDict):
            bad(functions, name, f"function '{name}' must be a mapping (work, traffic, …)")
            continue
        _check_function(scenario, name, spec, bad)
    slow = _episodes(
        body, "slow", SLOW_KEYS, "{target, from, to, factor}", ("slow episode", "a slow episode"),
        "'target' must name a function of the scenario or a call target", "02:00", bad,
    )  # fmt: skip
    for item in slow:
        if number(item.get("factor"), minimum=0.01, maximum=1000) is None:
            bad(item, "factor", "'factor' must be a number: how many times slower (2 = twice as slow)")
    _episodes(
        body, "outages", OUTAGE_KEYS, "{target, from, to}", ("outage", "an outage"),
        "'target' must name a function of the scenario: its invocations fail during the outage", "01:05", bad,
    )  # fmt: skip
    return problems


def _episodes(
    body: LineDict, key: str, allowed: tuple[str, ...], shape: str,
    names: tuple[str, str], target_message: str, clock_example: str, bad: Any,
) -> list[LineDict]:  # fmt: skip
    """A scenario's list of episodes (slow spells, outages), checked for their shape; the well-formed ones."""
    episodes = body.get(key, LineList(1))
    if not isinstance(episodes, LineList):
        bad(body, key, f"'{key}' must be a list of {shape}")
        return []
    found = []
    for index, item in enumerate(episodes):
        if not isinstance(item, LineDict):
            bad(episodes, index, f"each {names[0]} is a mapping {shape}")
            continue
        _check_keys(item, allowed, names[1], bad)
        if not isinstance(item.get("target"), str):
            bad(item, "target", target_message)
        for clock in ("from", "to"):
            if parse_clock(item.get(clock)) is None:
                bad(item, clock, f"'{clock}' must be a clock time in quotes, such as \"{clock_example}\"")
        found.append(item)
    return found


def _check_keys(mapping: LineDict, known: tuple[str, ...], what: str, bad: Any) -> None:
    for key in mapping:
        if key not in known:
            bad(mapping, key, f"unknown key '{key}' in {what} (known: {', '.join(known)})")


def _check_work(container: LineDict, key: str, bad: Any, *, required: bool) -> None:
    if key not in container:
        if required:
            bad(container, key, f"'{key}' is required: a duration such as 90ms, or {{median, p99, at_memory}}")
        return
    value = container[key]
    if isinstance(value, LineDict):
        _check_keys(value, WORK_KEYS, f"'{key}'", bad)
        median = parse_duration(value.get("median"))
        if median is None or median <= 0:
            bad(value, "median", "'median' must be a duration above zero, such as 90ms or 4s")
        p99 = parse_duration(value.get("p99", value.get("median")))
        if median is not None and (p99 is None or p99 < median):
            bad(value, "p99", "'p99' must be a duration no shorter than the median")
        if "at_memory" in value and number(value["at_memory"], minimum=128, maximum=10240) is None:
            bad(value, "at_memory", "'at_memory' is the memory (MB, 128–10,240) the durations were measured at")
        if "cpu_bound" in value and number(value["cpu_bound"], maximum=1) is None:
            bad(value, "cpu_bound", "'cpu_bound' is the share of the work that is CPU, from 0 to 1")
    elif parse_duration(value) is None or parse_duration(value) == 0:
        bad(container, key, f"'{key}' must be a duration above zero, such as 90ms, or {{median, p99, at_memory}}")


def _check_function(scenario: Scenario, name: str, spec: LineDict, bad: Any) -> None:
    _check_keys(spec, FUNCTION_KEYS, f"function '{name}'", bad)
    _check_work(spec, "work", bad, required=True)
    _check_work(spec, "init", bad, required=False)
    if "first_request" in spec and parse_duration(spec["first_request"]) is None:
        bad(spec, "first_request", "'first_request' must be a duration (extra work on a new environment's first call)")
    if "connections" in spec and number(spec["connections"], maximum=1000) is None:
        bad(spec, "connections", "'connections' is how many database connections one environment holds")
    if "poison" in spec and number(spec["poison"], maximum=1e6) is None:
        bad(spec, "poison", "'poison' is how many queued messages always fail")
    if "trigger" in spec and spec["trigger"] not in TRIGGER_KINDS:
        bad(spec, "trigger", f"'trigger' must be one of {', '.join(TRIGGER_KINDS)}")
    traffic = spec.get("traffic", LineList(1))
    if not isinstance(traffic, LineList):
        bad(spec, "traffic", "'traffic' must be a list of {at, burst} or {from, to, rate | every + burst}")
        traffic = LineList(1)
    for index, item in enumerate(traffic):
        if not isinstance(item, LineDict):
            bad(traffic, index, "each traffic entry is a mapping: {at, burst} or {from, to, rate | every + burst}")
            continue
        _check_keys(item, TRAFFIC_KEYS, "a traffic entry", bad)
        if "at" in item:
            if parse_clock(item["at"]) is None:
                bad(item, "at", "'at' must be a clock time in quotes, such as \"01:00\"")
            if number(item.get("burst"), minimum=1, maximum=1e7) is None:
                bad(item, "burst", "an {at} entry needs 'burst': how many arrive at once")
            continue
        for key in ("from", "to"):
            if parse_clock(item.get(key)) is None:
                bad(item, key, f"'{key}' must be a clock time in quotes, such as \"07:00\"")
        if "rate" in item:
            if number(item["rate"], maximum=1e5) is None:
                bad(item, "rate", "'rate' is arrivals per second, 0 to 100,000")
        elif "every" in item:
            every = parse_duration(item["every"])
            if every is None or every < 1:
                bad(item, "every", "'every' must be a duration of a second or more, such as 20m")
            if number(item.get("burst"), minimum=1, maximum=1e7) is None:
                bad(item, "burst", "an {every} entry needs 'burst': how many arrive each time")
        else:
            bad(item, "rate", "a {from, to} entry needs 'rate' (per second) or 'every' with 'burst'")
    calls = spec.get("calls", LineDict(1))
    if not isinstance(calls, LineDict):
        bad(spec, "calls", "'calls' maps a call target (as the code names it) to the called function's workload")
        calls = LineDict(1)
    for target, call in calls.items():
        if not isinstance(call, LineDict):
            bad(calls, target, f"call '{target}' must be a mapping (name, memory, work, reserved_concurrency)")
            continue
        _check_keys(call, CALL_KEYS, f"call '{target}'", bad)
        _check_work(call, "work", bad, required=True)
        if "memory" in call and number(call["memory"], minimum=128, maximum=10240) is None:
            bad(call, "memory", "'memory' is the called function's memory in MB (128–10,240)")
        if "reserved_concurrency" in call and number(call["reserved_concurrency"], maximum=1e5) is None:
            bad(call, "reserved_concurrency", "'reserved_concurrency' must be a whole number")
        if call.get("per", "message") not in ("message", "invocation"):
            bad(call, "per", "'per' is message (one call per queued message) or invocation")


def function_names(scenario: Scenario) -> list[tuple[str, int | None]]:
    """The functions the scenario drives, with their lines (content checks match them against configs)."""
    functions = scenario.body.get("functions")
    if not isinstance(functions, LineDict):
        return []
    return [(name, line_of(functions, name)) for name in functions]


# ---------------------------------------------------------------------------------------------------------------
# The model's inputs, resolved once


@dataclass(frozen=True)
class Dist:
    """A duration distribution as measured at some memory: median and p99 (lognormal), the CPU share."""

    median: float
    p99: float
    at_memory: float = 0.0  # 0: not tied to memory
    cpu_bound: float = 1.0

    def points(self, memory: float, factor: float = 1.0) -> list[tuple[float, float]]:
        scale = factor
        if self.at_memory and self.cpu_bound:
            ratio = facts.cpu_share(self.at_memory) / facts.cpu_share(memory)
            scale *= self.cpu_bound * ratio + (1 - self.cpu_bound)
        sigma = math.log(self.p99 / self.median) / _Z99 if self.p99 > self.median else 0.0
        return [(self.median * math.exp(sigma * z) * scale, w) for z, w in _Z]


def _dist(value: Any) -> Dist:
    if isinstance(value, dict):
        median = parse_duration(value.get("median")) or 0.001
        p99 = parse_duration(value.get("p99", value.get("median"))) or median
        return Dist(median, max(p99, median), float(value.get("at_memory", 0)), float(value.get("cpu_bound", 1.0)))
    seconds = parse_duration(value) or 0.001
    return Dist(seconds, seconds)


@dataclass
class Call:
    target: str
    name: str
    memory: float
    work: Dist
    reserved: float | None
    per_message: bool


@dataclass(slots=True)  # slots: the step loop reads and writes these attributes millions of times
class Fn:
    name: str
    kind: str  # sync | async | sqs | direct
    trigger: Trigger | None
    memory: float
    timeout: float
    arm: bool
    reserved: float | None
    pc_configured: float
    pc_effective: float
    snap: bool
    init_s: float
    init_retried: bool  # Init longer than the 10 s limit runs again inside the first invoke
    first_request_s: float
    limit_s: float | None  # how long a synchronous caller waits
    work: Dist
    connections: float
    db_hold: str  # env (opened at Init) | busy (opened per call) | none
    calls: list[Call]
    batch: int = 1
    max_concurrency: float | None = None
    visibility_s: float = 30.0
    max_receive: int | None = None
    partial_batch: bool = False
    retries: int = 2
    keeps_failed_events: bool = False
    poison: float = 0.0
    slow_names: tuple[str, ...] = ()
    # state
    busy: float = 0.0
    idle: deque = field(default_factory=deque)  # [step last used, count], most recent on the right
    idle_total: float = 0.0
    pc_busy: float = 0.0
    # environments that finish at each step (lists indexed by step, longer than the run by the longest stay)
    release: list = field(default_factory=list)
    pc_release: list = field(default_factory=list)
    arrivals: list = field(default_factory=list)
    pending: dict = field(default_factory=dict)  # async: attempt -> events waiting
    due: dict = field(default_factory=dict)  # async: step -> {attempt: events}; sqs: step -> {receives: msgs}
    visible: dict = field(default_factory=dict)  # sqs: receives so far -> messages visible
    poison_visible: dict = field(default_factory=dict)
    poison_due: dict = field(default_factory=dict)
    pollers: float = 0.0
    queued: float = 0.0  # sqs: messages in the queue (visible, in flight or waiting to reappear)
    processed: float = 0.0
    latency: dict = field(default_factory=dict)  # ms -> count (synchronous callers)
    billed_gb_s: float = 0.0
    pc_used_gb_s: float = 0.0
    requests: float = 0.0
    callee_gb_s: dict = field(default_factory=dict)
    outcome_cache: dict = field(default_factory=dict)
    tally: dict = field(default_factory=dict)  # (outcome id, on provisioned) -> [outcome, invocations]
    context: tuple = ()
    uses_db: bool = False
    keys: tuple = ()  # its timeline episodes' keys, made once
    steady: tuple = ()  # its calls' slow factors when nothing is slow
    proxied: bool = False
    s_conc: list = field(default_factory=list)  # concurrency per step (a list of the result's series)
    totals: defaultdict = field(default_factory=lambda: defaultdict(float))  # counters, summed at the end
    outcomes: dict = field(default_factory=dict)

    @property
    def gb(self) -> float:
        return self.memory / 1024

    @property
    def envs(self) -> float:
        return self.busy + self.idle_total + self.pc_configured


def _sqs_store(app: Application, trigger: Trigger) -> dict[str, Any]:
    store = app.stores.get(trigger.source or "")
    return store.settings if store is not None else {}


def _setting(settings: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in settings:
            return settings[name].value
    return None


def _handler_name(function: Function) -> str | None:
    if function.handler is None or not isinstance(function.handler.value, str):
        return None
    return function.handler.value.rsplit(".", 1)[-1].rsplit("::", 1)[-1]


def _build_fn(app: Application, function: Function, spec: dict[str, Any], scenario: Scenario) -> Fn:
    kind_wanted = spec.get("trigger")
    triggers = [t for t in function.triggers if kind_wanted is None or t.kind == kind_wanted]
    trigger = triggers[0] if triggers else None
    if trigger is None:
        kind = "direct"
    elif trigger.kind == "sqs":
        kind = "sqs"
    elif trigger.synchronous:
        kind = "sync"
    else:
        kind = "async"
    memory = float(function.effective_memory or facts.value("default_memory_mb"))
    timeout = float(function.effective_timeout or facts.value("default_timeout_s"))
    reserved = whole_number(function.reserved_concurrency.value) if function.reserved_concurrency else None
    if reserved is not None and reserved < 0:
        reserved = None  # Terraform's -1: unreserved
    pc = whole_number(function.provisioned_concurrency.value) if function.provisioned_concurrency else None
    pc = float(pc or 0)
    qualifier = trigger.qualifier if trigger is not None else None
    published = qualifier is not None and (qualifier.startswith("alias:") or qualifier == "version")
    pc_effective = pc if pc and qualifier in function.provisioned_on else 0.0
    snap = function.snap_start is not None and function.snap_start.value not in (None, "None", False) and published
    base_init = facts.runtime_init_s(function.runtime_name)
    init_spec = spec.get("init")
    init_s = _dist(init_spec).points(memory)[2][0] if init_spec is not None else base_init
    if snap:
        init_s = max(base_init, init_s / facts.value("snapstart_speedup"))
    init_retried = init_s > facts.value("init_limit_s") and not snap and not pc_effective
    limit_s = None
    if trigger is not None and trigger.synchronous:
        if trigger.integration_timeout_ms is not None and whole_number(trigger.integration_timeout_ms.value):
            limit_s = whole_number(trigger.integration_timeout_ms.value) / 1000
        elif trigger.limit_s is not None:
            limit_s = float(trigger.limit_s)
        elif trigger.kind == "api":
            limit_s = facts.value("rest_integration_timeout_s")
    hf = function.handler_facts
    conn_spec = spec.get("connections")
    connections = float(conn_spec) if conn_spec is not None else 0.0
    db_hold = "env" if conn_spec is not None else "none"
    if hf is not None and (hf.db_connects_outside or hf.db_connects_in_handler):
        bounds = [b for _, b in hf.db_connection_bounds if b is not None]
        code_bound = max(bounds) if bounds else None
        wanted = connections or facts.value("default_connections_per_environment")
        connections = min(wanted, code_bound) if code_bound is not None else wanted
        db_hold = "env" if hf.db_connects_outside else "busy"
    calls = []
    call_specs = spec.get("calls") or {}
    if hf is not None:
        for invocation in hf.invocations:
            if invocation.mode != "RequestResponse":
                continue
            target = invocation.target or ""
            call_spec = call_specs.get(target)
            if call_spec is None:
                continue
            reserved_callee = call_spec.get("reserved_concurrency")
            calls.append(
                Call(
                    target=target,
                    name=str(call_spec.get("name", target)),
                    memory=float(call_spec.get("memory", facts.value("default_memory_mb"))),
                    work=_dist(call_spec["work"]),
                    reserved=float(reserved_callee) if reserved_callee is not None else None,
                    per_message=call_spec.get("per", "message") == "message",
                )
            )
    fn = Fn(
        name=function.name, kind=kind, trigger=trigger, memory=memory, timeout=timeout,
        arm=_is_arm(function), reserved=float(reserved) if reserved is not None else None,
        pc_configured=pc, pc_effective=pc_effective, snap=snap, init_s=init_s, init_retried=init_retried,
        first_request_s=parse_duration(spec.get("first_request", 0)) or 0.0, limit_s=limit_s,
        work=_dist(spec["work"]), connections=connections, db_hold=db_hold, calls=calls,
        poison=float(spec.get("poison", 0)),
        slow_names=(function.name, *(c.target for c in calls), *(c.name for c in calls)),
    )  # fmt: skip
    if kind == "sqs" and trigger is not None:
        settings = _sqs_store(app, trigger)
        fn.batch = trigger.batch_size or int(facts.value("sqs_default_batch"))
        if trigger.max_concurrency is not None:
            fn.max_concurrency = whole_number(trigger.max_concurrency.value)
        visibility = whole_number(_setting(settings, "VisibilityTimeout", "visibility_timeout_seconds"))
        fn.visibility_s = float(visibility or facts.value("sqs_default_visibility_s"))
        redrive = _setting(settings, "RedrivePolicy", "redrive_policy")
        if isinstance(redrive, dict):
            fn.max_receive = whole_number(redrive.get("maxReceiveCount"))
        fn.partial_batch = bool(trigger.partial_batch)
        name = _handler_name(function)
        if fn.partial_batch and hf is not None and name is not None:
            answer = hf.batch_response(name)
            fn.partial_batch = answer is None or (answer.every_path_returns_failures and answer.per_record_errors)
    if kind == "async":
        retries = whole_number(function.retries.value) if function.retries is not None else None
        fn.retries = int(facts.value("async_default_retries")) if retries is None else retries
        fn.keeps_failed_events = function.on_failure is not None or function.dead_letter is not None
    return fn


def _is_arm(function: Function) -> bool:
    value = function.architecture.value if function.architecture is not None else None
    if isinstance(value, list):
        return "arm64" in value
    return isinstance(value, str) and value.strip() == "arm64"


def _max_connections(app: Application, scenario: Scenario) -> tuple[float | None, str]:
    for store in app.stores.values():
        if store.kind in ("rds_instance", "rds_cluster"):
            engine = str(_setting(store.settings, "Engine", "engine") or "postgres")
            klass = _setting(store.settings, "DBInstanceClass", "instance_class")
            if isinstance(klass, str) and facts.max_connections(engine, klass) is not None:
                return float(facts.max_connections(engine, klass) or 0), f"{klass} ({engine}) in the files"
    database = scenario.body.get("database")
    if isinstance(database, dict):
        if "max_connections" in database:
            return float(database["max_connections"]), "the scenario's database"
        if "instance_class" in database:
            engine = str(database.get("engine", "postgres"))
            limit = facts.max_connections(engine, database["instance_class"])
            return float(limit or 0), f"{database['instance_class']} ({engine}), the scenario's database"
    return None, ""


def _proxied(app: Application, function: Function) -> bool:
    proxies = {name for name, store in app.stores.items() if store.kind == "rds_proxy"}
    return bool(proxies & (function.endpoint_refs | set(function.refs)))


# ---------------------------------------------------------------------------------------------------------------
# Traffic


_TRAFFIC: dict[tuple[str, str], list[float]] = {}


def _traffic(scenario: Scenario, name: str) -> list[float]:
    """A function's arrivals per step: drawn once per scenario text (the same seed gives the same draws, so the
    starter and the learner's files, or two runs, share them). Each function draws from its own generator, so what
    one function draws never shifts another's. Read only."""
    key = (scenario.text or repr(scenario.body), name)
    arrivals = _TRAFFIC.get(key)
    if arrivals is None:
        rng = random.Random(f"{scenario.seed}:{name}")
        arrivals = _arrivals(scenario.body["functions"][name], scenario, rng)
        if len(_TRAFFIC) > 256:
            _TRAFFIC.clear()
        _TRAFFIC[key] = arrivals
    return arrivals


def _arrivals(spec: dict[str, Any], scenario: Scenario, rng: random.Random) -> list[float]:
    steps, step = scenario.steps, scenario.step_s
    out = [0.0] * steps
    for item in spec.get("traffic") or []:
        if "at" in item:
            index = int((scenario.offset(item["at"]) or 0) // step)
            if index < steps:
                out[index] += float(item["burst"])
            continue
        start = scenario.offset(item["from"]) or 0
        end = scenario.offset(item["to"]) or 0
        if end <= start:
            end += 86_400
        end = min(end, scenario.duration_s)
        if "rate" in item:
            rate = float(item["rate"]) * step
            for index in range(int(start // step), min(steps, math.ceil(end / step))):
                out[index] += _draw(rng, rate)
        else:
            every = parse_duration(item["every"]) or 60.0
            t = float(start)
            while t < end:
                index = int(t // step)
                if index < steps:
                    out[index] += float(item["burst"])
                t += every
    return out


def _draw(rng: random.Random, mean: float) -> float:
    """A count with Poisson-like noise around `mean`: exact Poisson when small, normal when large."""
    if mean <= 0:
        return 0.0
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return float(k)
            k += 1
    return max(0.0, round(rng.gauss(mean, math.sqrt(mean))))


# ---------------------------------------------------------------------------------------------------------------
# One invocation's outcome, from the quantiles of its work


@dataclass(frozen=True)
class Outcome:
    killed: float  # share killed by the function's timeout
    failed: float  # share that failed for another reason (refused connection, failed call)
    gateway_504: float
    release: tuple[tuple[int, float], ...]  # (steps busy, share)
    billed_s: float  # mean billed seconds, Init included
    waiting_s: float  # mean seconds billed while waiting on synchronous calls
    callee_s: tuple[float, ...]  # mean seconds each call's callee works
    latency: tuple[tuple[float, float], ...]  # (ms the caller sees, share)
    done_before_fail: float  # messages of a failed batch already processed (mean, per failed batch)
    callee_throttled: float  # throttled calls per invocation
    occupancy: float  # environments one invocation keeps busy for a step (below 1: one serves several)
    over_visibility: float  # SQS: share of batches still in flight when their messages become visible again
    billed_after_gave_up_s: float  # seconds the function runs on after the caller's gateway gave up (mean)


def _outcome(
    fn: Fn, scenario: Scenario, cold: bool, refused: bool, slow: float, call_slow: tuple, throttle: tuple
) -> Outcome:
    key = (cold, refused, slow, call_slow, throttle)
    cached = fn.outcome_cache.get(key)
    if cached is not None:
        return cached
    step = scenario.step_s
    units = fn.batch if fn.kind == "sqs" else 1
    init = fn.init_s if cold else 0.0
    extra = (fn.first_request_s + (fn.init_s if fn.init_retried else 0.0)) if cold else 0.0
    boto_wait, attempts = facts.value("boto_retry_wait_s"), facts.value("boto_max_attempts")
    killed = failed = g504 = billed = waiting = done_fail = throttled_calls = over_visibility = after = 0.0
    callee = [0.0] * len(fn.calls)
    release: dict[int, float] = {}
    latency: dict[float, float] = {}
    own_points = fn.work.points(fn.memory, slow)
    call_points = [c.work.points(c.memory, call_slow[i]) for i, c in enumerate(fn.calls)]
    for qi, (own, weight) in enumerate(own_points):
        if refused:
            invoke = facts.value("db_connect_fail_s")
            per_unit, wait_unit, fail_share = invoke, 0.0, 1.0
        else:
            wait_unit = 0.0
            fail_share = 0.0
            for ci, call in enumerate(fn.calls):
                p = throttle[ci]
                calls_per_unit = 1.0 if call.per_message else 1.0 / units
                retry_wait = min(p / (1 - p), attempts - 1) * boto_wait if p < 1 else (attempts - 1) * boto_wait
                wait_unit += calls_per_unit * (call_points[ci][qi][0] + retry_wait)
                fail_share = max(fail_share, p**attempts)
            per_unit = own + wait_unit
            invoke = extra + units * per_unit
        is_killed = invoke > fn.timeout
        ran = min(invoke, fn.timeout)
        env_busy = init + ran
        offset = max(1, math.ceil(env_busy / step))
        # a new environment is a whole one; a warm invocation shorter than a step uses part of one
        release[offset] = release.get(offset, 0.0) + weight * (1.0 if cold else min(1.0, env_busy / step))
        billed += weight * (ran + init)
        share_ran = ran / invoke if invoke > 0 else 1.0
        waiting += weight * wait_unit * units * share_ran
        for ci, call in enumerate(fn.calls):
            if refused:
                break
            per = units if call.per_message else 1
            callee[ci] += weight * call_points[ci][qi][0] * per * share_ran
            throttled_calls += weight * throttle[ci] * per * share_ran
        if is_killed:
            killed += weight
            done_fail += weight * min(units, max(0.0, (fn.timeout - extra) // max(per_unit, 1e-9)))
        elif refused or fail_share:
            failed += weight * (1.0 if refused else fail_share)
        if fn.kind == "sqs" and not refused and env_busy + facts.value("sqs_receive_overhead_s") > fn.visibility_s:
            over_visibility += weight
        if fn.limit_s is not None:
            seen = (min(init, facts.value("init_limit_s")) if fn.init_retried else init) + ran
            if seen > fn.limit_s:
                g504 += weight
                after += weight * (seen - fn.limit_s)
                seen = fn.limit_s
            ms = round(seen * 1000, -1 if seen < 10 else -2)
            latency[ms] = latency.get(ms, 0.0) + weight
    outcome = Outcome(
        killed=killed, failed=failed, gateway_504=g504, release=tuple(sorted(release.items())), billed_s=billed,
        waiting_s=waiting, callee_s=tuple(callee), latency=tuple(latency.items()), done_before_fail=done_fail,
        callee_throttled=throttled_calls, occupancy=sum(release.values()), over_visibility=over_visibility,
        billed_after_gave_up_s=after,
    )  # fmt: skip
    fn.outcome_cache[key] = outcome
    return outcome


# ---------------------------------------------------------------------------------------------------------------
# The run


class _Timeline:
    """Episodes in words: a sentence when something starts, one when it has stopped for a while."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.events: list[Event] = []
        self.active: dict[tuple[str, str], int] = {}  # (kind, function) -> last step it happened
        self.quiet_steps = max(1, 300 // scenario.step_s)
        self.seen: set[tuple[str, str]] = set()
        self.episodes: dict[tuple[str, str], int] = {}

    def add(self, t: int, text: str, kind: str = "info") -> None:
        t_s = t * self.scenario.step_s
        self.events.append(Event(t_s, self.scenario.clock(t_s), text, kind))

    def happening(self, t: int, key: tuple[str, str], text: Any, kind: str = "failure") -> None:
        """The first episode of a kind is told in full; later ones are counted and summed up at the end."""
        if key in self.active:
            self.active[key] = t
            return
        self.episodes[key] = self.episodes.get(key, 0) + 1
        if self.episodes[key] == 1:
            self.add(t, text() if callable(text) else text, kind)
        self.active[key] = t

    def once(self, t: int, key: tuple[str, str], text: Any, kind: str = "info") -> None:
        if key not in self.seen:
            self.seen.add(key)
            self.add(t, text() if callable(text) else text, kind)

    def settle(self, t: int, ended: dict[str, str]) -> None:
        for key, last in list(self.active.items()):
            if t - last >= self.quiet_steps:
                del self.active[key]
                text = ended.get(key[0])
                if text and self.episodes.get(key) == 1:
                    self.add(last + 1, text.format(fn=key[1]), "recovery")

    def summary(self, again: dict[str, str]) -> None:
        for (kind, name), episodes in self.episodes.items():
            if episodes > 1 and kind in again:
                self.add(self.scenario.steps, again[kind].format(fn=name, n=episodes), "failure")


_AGAIN = {
    "504": "{fn}: 504s came back {n} times over the scenario, after each quiet spell or burst of new environments.",
    "killed": "{fn}: timeout kills came back {n} times over the scenario.",
    "refused": "The database refused connections in {n} separate episodes.",
    "throttled": "{fn}: throttled in {n} separate episodes.",
}
_ENDED = {
    "504": "{fn}: no more 504s for five minutes.",
    "refused": "The database accepts connections again.",
    "throttled": "{fn}: no more throttles for five minutes.",
}


def simulate(models: list[Any], scenario: Scenario) -> Result:
    app = Application()
    for model in models:  # one application: the scenario drives functions by name across units
        if isinstance(model, Application):
            app.functions.update(model.functions)
            app.stores.update(model.stores)
    missing = 0.0
    specs = scenario.body.get("functions") or {}
    fns: list[Fn] = []
    notes: list[str] = []
    for name, spec in specs.items():
        function = app.functions.get(name)
        arrivals = _traffic(scenario, name)
        if function is None:
            notes.append(
                f"The scenario drives {name}, which these files do not define: its traffic has nothing to serve it."
            )
            missing += sum(arrivals)
            continue
        fn = _build_fn(app, function, spec, scenario)
        fn.arrivals = arrivals
        fn.proxied = _proxied(app, function)
        fns.append(fn)
        if fn.pc_configured and not fn.pc_effective:
            notes.append(
                f"{name} has provisioned concurrency, but its trigger calls $LATEST, not the alias or version that "
                "carries it: the environments are billed and never used."
            )
    account = scenario.body.get("account") or {}
    account_limit = float(account.get("concurrency", facts.value("account_concurrency")))
    reserved_total = sum(fn.reserved for fn in fns if fn.reserved is not None)
    unreserved_limit = max(0.0, account_limit - reserved_total)
    max_conn, db_source = _max_connections(app, scenario)
    db_fns = [fn for fn in fns if fn.db_hold != "none" and fn.connections > 0]
    proxy_limit = None
    if any(getattr(fn, "proxied", False) for fn in db_fns) and max_conn is not None:
        proxy_limit = max_conn * facts.value("proxy_max_connections_percent") / 100
    slow_raw = scenario.body.get("slow") or []
    slow = [
        (str(s["target"]), scenario.offset(s["from"]) or 0, scenario.offset(s["to"]) or 0, float(s["factor"]))
        for s in slow_raw
    ]
    slow = [(target, lo // scenario.step_s, (hi if hi > lo else hi + 86_400) // scenario.step_s, f)
            for target, lo, hi, f in slow]  # fmt: skip
    outages = [
        (str(o["target"]), (scenario.offset(o["from"]) or 0) // scenario.step_s,
         ((scenario.offset(o["to"]) or 0) or 86_400) // scenario.step_s)
        for o in scenario.body.get("outages") or []
    ]  # fmt: skip
    steps, step = scenario.steps, scenario.step_s
    scale_per_step = facts.value("scale_per_10s") * step / 10
    reclaim_steps = max(1, int(facts.value("idle_reclaim_s") // step))
    ramp = facts.value("sqs_poller_ramp_per_min") * step / 60
    totals = {key: 0.0 for key, _ in COUNTERS}
    per_fn: dict[str, dict[str, float]] = {fn.name: {} for fn in fns}
    s_requests, s_conc, s_conn, s_queue = [0.0] * steps, [0.0] * steps, [0.0] * steps, [0.0] * steps
    s_504, s_killed, s_throttled, s_refused, s_other = ([0.0] * steps for _ in range(5))
    s_fn_conc = {fn.name: [0.0] * steps for fn in fns}
    timeline = _Timeline(scenario)
    for target, lo, hi in outages:
        timeline.add(lo, f"A dependency of {target} goes down: its invocations fail.", "warning")
        timeline.add(hi, f"{target}'s dependency is back.", "recovery")
    refused_share = 0.0
    for episode in slow:
        timeline.add(episode[1], f"{episode[0]} slows down: its work takes {episode[3]:g}× as long.", "warning")
        timeline.add(episode[2], f"{episode[0]} is back to its usual speed.", "recovery")

    def count(fn: Fn, key: str, value: float) -> None:
        if value:
            totals[key] += value
            bucket = per_fn[fn.name]
            bucket[key] = bucket.get(key, 0.0) + value

    sqs_fns = [fn for fn in fns if fn.kind == "sqs"]
    # the longest an environment can stay busy: Init (twice when it is retried in the invoke), the first request's
    # extra and the function's timeout, in steps
    longest = max((int((2 * fn.init_s + fn.first_request_s + fn.timeout) // step) + 3 for fn in fns), default=1)
    active = timeline.active
    for fn in fns:
        fn.keys = tuple((kind, fn.name) for kind in ("504", "killed", "throttled", "waiting", "callee"))
        fn.uses_db = fn in db_fns
        fn.steady = tuple(1.0 for _ in fn.calls)
        fn.release = [0.0] * (steps + longest)
        fn.pc_release = [0.0] * (steps + longest)
        fn.s_conc = s_fn_conc[fn.name]
    unreserved_busy = 0.0
    for t in range(steps):
        conn_demand = 0.0
        envs_db = 0.0
        total_busy = 0.0
        oldest = t - reclaim_steps
        slow_now: dict[str, float] = {}  # what is slow this step, by name
        for target, lo, hi, factor in slow:
            if lo <= t < hi:
                slow_now[target] = slow_now.get(target, 1.0) * factor
        for fn in fns:
            arriving = fn.arrivals[t]
            # environments that finish this step go idle; idle ones past their time are reclaimed
            if fn.idle and fn.idle[0][0] < oldest:
                while fn.idle and fn.idle[0][0] < oldest:
                    fn.idle_total -= fn.idle.popleft()[1]
                if not fn.idle:
                    fn.idle_total = 0.0
            if (
                not arriving and not fn.pending and not fn.visible and not fn.poison_visible
                and not fn.release[t] and not fn.pc_release[t] and t not in fn.due and t not in fn.poison_due
            ):  # fmt: skip
                busy = fn.s_conc[t] = fn.busy + fn.pc_busy
                total_busy += busy
                continue
            done = fn.release[t]
            if done:
                fn.busy -= done
                if fn.reserved is None:
                    unreserved_busy -= done
                fn.idle.append([t, done])
                fn.idle_total += done
            pc_done = fn.pc_release[t]
            if pc_done:
                fn.pc_busy -= pc_done
            # what wants to start this step; an environment whose work is shorter than a step serves several
            if slow_now:
                slow_f = slow_now.get(fn.name, 1.0)
                call_slow = tuple(slow_now.get(c.target, 1.0) * slow_now.get(c.name, 1.0) for c in fn.calls)
            else:
                slow_f, call_slow = 1.0, fn.steady
            if fn.calls:
                throttle = tuple(_callee_throttle(c, fn) for c in fn.calls)
            else:
                call_slow = throttle = ()
            context = (slow_f, call_slow, throttle)
            if context != fn.context:  # the four outcomes (cold or not, refused or not) of this step's conditions
                fn.context = context
                fn.outcomes = {
                    (c, r): _outcome(fn, scenario, c, r, slow_f, call_slow, throttle)
                    for c in (False, True) for r in (False, True)
                }  # fmt: skip
            outcomes = fn.outcomes
            occupancy = outcomes[False, False].occupancy
            if fn.kind == "sync" or fn.kind == "direct":
                demand, sqs_take = arriving, 0.0
            else:
                demand, sqs_take = _demand(fn, t, arriving, ramp, occupancy)
            if arriving:
                s_requests[t] += arriving
            if demand <= 0:
                busy = fn.s_conc[t] = fn.busy + fn.pc_busy
                total_busy += busy
                continue
            cap = fn.reserved if fn.reserved is not None else unreserved_limit - unreserved_busy + fn.busy
            room = cap - fn.busy
            if room < 0.0:
                room = 0.0
            wanted = demand * occupancy  # environments
            pc_env = min(wanted, max(0.0, fn.pc_effective - fn.pc_busy))
            rest = wanted - pc_env
            start = min(rest, room)
            warm_env = min(start, fn.idle_total)
            need = start - warm_env
            cold = 0.0
            if need > 1e-6:  # new environments are whole: the first invocation on each is a cold start
                cold = float(max(0, min(math.ceil(need - 1e-6), scale_per_step, math.floor(room - warm_env + 1e-6))))
            on_pc = pc_env / occupancy
            warm = warm_env / occupancy
            served_new = need / occupancy if cold >= need - 1e-6 else cold / occupancy
            cold = min(cold, served_new, demand)
            riding = max(0.0, served_new - cold)  # warm invocations on the new environments, later in the step
            throttled = max(0.0, demand - on_pc - warm - served_new)
            if throttled < 1e-6:
                throttled = 0.0
            if fn.kind == "sqs":  # batches Lambda cannot start stay in the queue
                if throttled:
                    sqs_take *= (demand - throttled) / demand
                    demand -= throttled
                throttled = 0.0
            if warm_env:
                last = fn.idle[-1]
                if last[1] > warm_env:  # the most recent environments are enough
                    last[1] -= warm_env
                    fn.idle_total -= warm_env
                else:
                    _take_idle(fn, warm_env)
            started = on_pc + warm + cold + riding
            if cold:
                if fn.snap:
                    fn.totals["snapstart_restores"] += cold
                else:
                    fn.totals["cold_starts"] += cold
                    if fn.kind == "sync":
                        fn.totals["sync_cold_starts"] += cold
            refused = refused_share if fn.uses_db and proxy_limit is None else 0.0
            down = bool(outages) and any(target == fn.name and lo <= t < hi for target, lo, hi in outages)
            if down:
                refused = 1.0
            if refused:
                kept = 1 - refused
                groups = [
                    group
                    for n, is_cold, where in ((on_pc, False, "pc"), (warm, False, "env"), (cold, True, "env"),
                                              (riding, False, ""))
                    if n > 0
                    for group in ((n * refused, outcomes[is_cold, True], where),
                                  (n * kept, outcomes[is_cold, False], where))
                ]  # fmt: skip
            else:  # the usual step: warm invocations only
                groups = [(warm, outcomes[False, False], "env")] if warm > 0 else []
                if on_pc > 0:
                    groups.append((on_pc, outcomes[False, False], "pc"))
                if cold > 0:
                    groups.append((cold, outcomes[True, False], "env"))
                if riding > 0:
                    groups.append((riding, outcomes[False, False], ""))
            on_demand_envs = pc_envs = over_visibility = 0.0
            killed = failed = g504 = 0.0
            fail_batches = done_fail = 0.0
            for n, outcome, where in groups:
                if not n:
                    continue
                if where:  # invocations riding on a new environment add no environment of their own
                    ring = fn.pc_release if where == "pc" else fn.release
                    for offset, share in outcome.release:
                        ring[t + offset] += n * share
                    if where == "pc":
                        pc_envs += n * outcome.occupancy
                    else:
                        on_demand_envs += n * outcome.occupancy
                # what is summed over the whole run (billing, waiting, latency) is tallied per outcome
                tally_key = (id(outcome), where == "pc")
                entry = fn.tally.get(tally_key)
                if entry is None:
                    fn.tally[tally_key] = [outcome, n]
                else:
                    entry[1] += n
                killed += n * outcome.killed
                failed += n * outcome.failed
                g504 += n * outcome.gateway_504
                done_fail += n * outcome.killed * outcome.done_before_fail
                fail_batches += n * (outcome.killed + outcome.failed)
                over_visibility += n * outcome.over_visibility
            fn.busy += on_demand_envs
            if fn.reserved is None:
                unreserved_busy += on_demand_envs
            fn.pc_busy += pc_envs
            refused_n = 0.0 if down else started * refused
            other_failed = max(0.0, failed - refused_n)
            if refused_n:
                fn.totals["db_refused"] += refused_n
                s_refused[t] += refused_n
            if killed:
                fn.totals["function_timeout"] += killed
                s_killed[t] += killed
            if throttled:
                fn.totals["throttled"] += throttled
                s_throttled[t] += throttled
            if other_failed:
                fn.totals["function_error"] += other_failed
                s_other[t] += other_failed
            if fn.kind in ("sync", "direct"):
                if g504:
                    fn.totals["gateway_504"] += g504
                    s_504[t] += g504
                errors = (killed + failed) * (1 - (g504 / started if started else 0)) + throttled
                if errors and fn.kind == "sync":
                    fn.totals["gateway_502"] += errors
                if g504:
                    if fn.keys[0] in active:
                        active[fn.keys[0]] = t
                    else:
                        timeline.happening(t, fn.keys[0], lambda fn=fn, cold=cold: _say_504(fn, cold))
                if throttled:
                    fn.latency[0.0] = fn.latency.get(0.0, 0.0)  # throttled calls are answered at once
            elif fn.kind == "async":
                _settle_async(fn, t, started, killed + failed, scenario, count, timeline)
            else:
                _settle_sqs(
                    fn, t, started, sqs_take, fail_batches, done_fail, over_visibility, scenario, count, timeline
                )
            # a sentence is built only when an episode starts; while it lasts, only its last step is noted
            if killed:
                if fn.keys[1] in active:
                    active[fn.keys[1]] = t
                else:
                    timeline.happening(t, fn.keys[1], lambda fn=fn, s=slow_f, c=call_slow: _say_killed(fn, s, c))
            if throttled:
                if fn.keys[2] in active:
                    active[fn.keys[2]] = t
                else:
                    timeline.happening(t, fn.keys[2], lambda fn=fn, cap=cap: _say_throttled(fn, cap))
            if fn.calls:
                if fn.keys[3] not in timeline.seen and any(outcome.waiting_s for _, outcome, _w in groups):
                    timeline.once(t, fn.keys[3], lambda fn=fn: _say_waiting(fn), "warning")
                if any(throttle):
                    if fn.keys[4] in active:
                        active[fn.keys[4]] = t
                    else:
                        timeline.happening(t, fn.keys[4], lambda fn=fn: _say_callee_throttles(fn))
            busy = fn.s_conc[t] = fn.busy + fn.pc_busy
            total_busy += busy
        # database connections: what the environments hold, against what the database allows
        for fn in db_fns:
            holders = fn.busy + fn.pc_busy
            if fn.db_hold == "env":
                holders += fn.idle_total + fn.pc_configured - fn.pc_busy
            envs_db += holders
            conn_demand += holders * fn.connections
        s_conc[t] = total_busy
        s_conn[t] = min(conn_demand, proxy_limit) if proxy_limit is not None else conn_demand
        for fn in sqs_fns:
            s_queue[t] += fn.queued
        new_share = 0.0
        if max_conn is not None and proxy_limit is None and conn_demand > max_conn:
            new_share = 1 - max_conn / conn_demand
            if ("refused", "db") in active:
                active["refused", "db"] = t
            else:
                timeline.happening(
                    t, ("refused", "db"),
                    lambda e=envs_db, c=conn_demand, s=new_share: (
                        f"{e:,.0f} environments try to hold {c:,.0f} database connections; the database allows "
                        f"{max_conn:,.0f}; {s:.0%} of invocations that need it fail to connect."
                    ),
                )  # fmt: skip
        refused_share = new_share
        if timeline.active:
            timeline.settle(t, _ENDED)
    timeline.summary(_AGAIN)
    totals["unserved"] += missing
    for fn in fns:
        for key, value in fn.totals.items():
            count(fn, key, value)
    for fn in fns:
        count(fn, "requests", sum(fn.arrivals))
    for fn in fns:
        _close_tally(fn, count)
    for fn in fns:
        if fn.kind == "sqs":
            left = sum(fn.visible.values()) + sum(fn.poison_visible.values())
            left += sum(sum(v.values()) for v in fn.due.values()) + sum(sum(v.values()) for v in fn.poison_due.values())
            count(fn, "sqs_left", left)
    return _result(scenario, fns, totals, notes, timeline, locals())


def _close_tally(fn: Fn, count: Any) -> None:
    """Billing, waiting, calls and latency, summed once per outcome rather than every step."""
    for (_, on_pc), (outcome, n) in fn.tally.items():
        gb_s = n * outcome.billed_s * fn.gb
        if on_pc:
            fn.pc_used_gb_s += gb_s
        else:
            fn.billed_gb_s += gb_s
        fn.requests += n
        count(fn, "billed_after_gave_up_s", n * outcome.billed_after_gave_up_s)
        count(fn, "waiting_s", n * outcome.waiting_s)
        count(fn, "waiting_gb_s", n * outcome.waiting_s * fn.gb)
        count(fn, "callee_throttled", n * outcome.callee_throttled)
        for ci, seconds in enumerate(outcome.callee_s):
            call = fn.calls[ci]
            count(fn, "callee_s", n * seconds)
            fn.callee_gb_s[call.name] = fn.callee_gb_s.get(call.name, 0.0) + n * seconds * call.memory / 1024
        for ms, share in outcome.latency:
            fn.latency[ms] = fn.latency.get(ms, 0.0) + n * share


def _demand(fn: Fn, t: int, arriving: float, ramp: float, occupancy: float) -> tuple[float, float]:
    """How many invocations want to start, and for SQS how many messages they take."""
    if fn.kind in ("sync", "direct"):
        return arriving, 0.0
    if fn.kind == "async":
        if arriving:
            fn.pending[0] = fn.pending.get(0, 0.0) + arriving
        for attempt, events in fn.due.pop(t, {}).items():
            fn.pending[attempt] = fn.pending.get(attempt, 0.0) + events
        return sum(fn.pending.values()), 0.0
    # SQS: messages arrive, failed ones reappear after the visibility timeout, pollers ramp up while there is work
    if arriving:
        fn.queued += arriving
        normal = max(0.0, arriving - fn.poison)
        fn.visible[0] = fn.visible.get(0, 0.0) + normal
        if fn.poison:
            fn.poison_visible[0] = fn.poison_visible.get(0, 0.0) + min(fn.poison, arriving)
    for receives, messages in fn.due.pop(t, {}).items():
        fn.visible[receives] = fn.visible.get(receives, 0.0) + messages
    for receives, messages in fn.poison_due.pop(t, {}).items():
        fn.poison_visible[receives] = fn.poison_visible.get(receives, 0.0) + messages
    waiting = sum(fn.visible.values()) + sum(fn.poison_visible.values())
    if waiting <= 1e-6:
        fn.visible.clear()
        fn.poison_visible.clear()
        fn.pollers = 0.0
        return 0.0, 0.0
    start = facts.value("sqs_poller_start")
    fn.pollers = min(max(fn.pollers + ramp, start), facts.value("sqs_poller_max"))
    limit = fn.pollers
    if fn.max_concurrency is not None:
        limit = min(limit, fn.max_concurrency)
    # each poller runs one batch at a time; a batch shorter than a step leaves room for more in the step
    batches = min(max(0.0, limit - fn.busy) / max(occupancy, 1e-9), math.ceil(waiting / fn.batch))
    return batches, min(waiting, batches * fn.batch)


def _take_idle(fn: Fn, n: float) -> None:
    fn.idle_total -= n
    while n > 1e-9 and fn.idle:
        last = fn.idle[-1]
        if last[1] <= n:
            n -= last[1]
            fn.idle.pop()
        else:
            last[1] -= n
            n = 0.0
    if fn.idle_total < 1e-9:
        fn.idle_total = 0.0
        fn.idle.clear()


def _callee_throttle(call: Call, fn: Fn) -> float:
    if call.reserved is None:
        return 0.0
    callers = fn.busy + fn.pc_busy
    if callers <= call.reserved:
        return 0.0
    return round((1 - call.reserved / callers) * 20) / 20  # in steps of 5%: outcomes are cached by it


def _settle_async(
    fn: Fn, t: int, started: float, failed: float, scenario: Scenario, count: Any, timeline: _Timeline
) -> None:
    total = sum(fn.pending.values())
    if total <= 0:
        return
    share = started / total
    fail_share = failed / started if started else 0.0
    step = scenario.step_s
    for attempt in sorted(fn.pending):
        events = fn.pending[attempt]
        taken = events * share
        fn.pending[attempt] = events - taken
        lost = taken * fail_share
        if lost <= 0:
            continue
        if attempt < fn.retries:
            wait = facts.value("async_first_retry_s") if attempt == 0 else facts.value("async_second_retry_s")
            due = fn.due.setdefault(t + max(1, int(wait // step)), {})
            due[attempt + 1] = due.get(attempt + 1, 0.0) + lost
            fn.totals["async_retries"] += lost
            timeline.once(
                t, ("retry", fn.name), f"{fn.name} fails an event; Lambda will try it again in a minute.", "warning"
            )
        elif fn.keeps_failed_events:
            fn.totals["async_kept"] += lost
            timeline.once(
                t, ("kept", fn.name),
                f"{fn.name}: an event failed all {fn.retries + 1} attempts and is kept, with its error, in its "
                "on-failure destination.", "recovery",
            )  # fmt: skip
        else:
            fn.totals["async_dropped"] += lost
            timeline.once(
                t, ("dropped", fn.name),
                f"{fn.name}: an event failed all {fn.retries + 1} attempts and is discarded; nothing records "
                "which one.",
            )  # fmt: skip
    for attempt in [a for a, v in fn.pending.items() if v <= 1e-9]:
        del fn.pending[attempt]


def _settle_sqs(
    fn: Fn, t: int, batches: float, messages: float, fail_batches: float, done_fail: float, over_visibility: float,
    scenario: Scenario, count: Any, timeline: _Timeline,
) -> None:  # fmt: skip
    if batches <= 0 or messages <= 0:
        return
    waiting_normal = sum(fn.visible.values())
    waiting_poison = sum(fn.poison_visible.values())
    waiting = waiting_normal + waiting_poison
    share = min(1.0, messages / waiting)
    taken: dict[int, float] = {}
    taken_poison: dict[int, float] = {}
    for source, target in ((fn.visible, taken), (fn.poison_visible, taken_poison)):
        for receives in list(source):
            n = source[receives] * share
            source[receives] -= n
            if source[receives] <= 1e-6:  # float dust would keep the poller awake forever
                del source[receives]
            # receive counts matter only up to a redrive policy's maxReceiveCount: without one, one bucket
            key = receives + 1 if fn.max_receive is not None else 1
            target[key] = target.get(key, 0.0) + n
    poison_n = sum(taken_poison.values())
    normal_n = sum(taken.values())
    fail_share = min(1.0, fail_batches / batches)
    # batches holding a poison message that otherwise succeeded
    poison_batches = min(poison_n, batches * (1 - fail_share))
    returned: dict[int, float] = {r: n * fail_share for r, n in taken.items()}
    returned_poison = dict(taken_poison)
    duplicates = done_fail
    # batches still working when their messages become visible again: another poller receives them too
    late = min(1.0, over_visibility / batches) * (1 - fail_share)
    if late > 1e-9:
        for r, n in taken.items():
            returned[r] += n * late
        duplicates += normal_n * late
        timeline.once(
            t, ("visibility", fn.name),
            f"{fn.name} is still working on a batch when its visibility timeout of {fn.visibility_s:g} s runs out: "
            "the messages become visible again and are processed a second time.",
        )  # fmt: skip
    if poison_batches:
        fn.totals["function_error"] += poison_batches
        if not fn.partial_batch:
            neighbours = poison_batches * (fn.batch - 1)
            per_message = neighbours / max(normal_n * (1 - fail_share), 1e-9)
            for r, n in taken.items():
                returned[r] += n * (1 - fail_share) * min(1.0, per_message)
            duplicates += neighbours / 2  # on average half the batch ran before the bad message raised
            timeline.once(
                t, ("batch", fn.name),
                f"{fn.name}: one bad message fails its whole batch; all {fn.batch} messages return to the queue, "
                "including those already processed.",
            )  # fmt: skip
    processed = normal_n - sum(returned.values())
    fn.processed += processed
    fn.queued -= processed
    fn.totals["sqs_duplicates"] += duplicates
    step = scenario.step_s
    due_step = t + max(1, math.ceil(fn.visibility_s / step))
    for source, ring in ((returned, fn.due), (returned_poison, fn.poison_due)):
        for receives, n in source.items():
            if n <= 1e-6:
                continue
            if fn.max_receive is not None and receives >= fn.max_receive:
                fn.totals["sqs_dead_lettered"] += n
                fn.queued -= n
                timeline.once(
                    t, ("dlq", fn.name),
                    f"A message that failed {receives} receives moves to {fn.name}'s dead-letter queue.", "recovery",
                )  # fmt: skip
                continue
            fn.totals["sqs_redelivered"] += n
            bucket = ring.setdefault(due_step, {})
            bucket[receives] = bucket.get(receives, 0.0) + n


def _say_throttled(fn: Fn, cap: float) -> str:
    whose = " (its reserved concurrency)." if fn.reserved is not None else " (the account's concurrency)."
    return f"{fn.name} is throttled: {fn.busy:,.0f} environments reached the limit of {cap:,.0f}" + whose


def _say_callee_throttles(fn: Fn) -> str:
    call = fn.calls[0]
    return (
        f"{call.name} throttles {fn.name}'s calls: {fn.busy:,.0f} callers share its reserved "
        f"{call.reserved or 0:,.0f}; boto3 retries them and the callers wait longer."
    )


def _say_504(fn: Fn, cold: float) -> str:
    if cold and fn.init_s + fn.first_request_s > (fn.limit_s or 0) * 0.5:
        return (
            f"A request reaches a new {fn.name} environment: {fn.init_s:.1f} s of Init"
            + (f" and {fn.first_request_s:.1f} s on its first request" if fn.first_request_s else "")
            + f" take longer than API Gateway's {fn.limit_s:g} s, so the caller gets a 504 while the function "
            "carries on."
        )
    return f"{fn.name} answers after API Gateway's {fn.limit_s:g} s: callers get 504s while the function carries on."


def _say_killed(fn: Fn, slow: float, call_slow: tuple) -> str:
    what = "batch" if fn.kind == "sqs" else "invocation"
    cause = ""
    if any(f > 1 for f in call_slow):
        cause = f" while {fn.calls[0].name} is slow"
    return (
        f"{fn.name} is killed at its {fn.timeout:g} s timeout{cause}: the {what} needed longer, and the work it had "
        "done is left half finished."
    )


def _say_waiting(fn: Fn) -> str:
    call = fn.calls[0]
    return (
        f"{fn.name} calls {call.name} and waits for the answer: it is billed at {fn.memory:,.0f} MB for every "
        f"second {call.name} works at {call.memory:,.0f} MB, the same seconds paid twice."
    )


def _result(scenario: Scenario, fns: list[Fn], totals: dict[str, float], notes: list[str], timeline: _Timeline,
            local: dict[str, Any]) -> Result:  # fmt: skip
    result = Result(
        scenario=scenario.name, title=scenario.title, start_s=scenario.start_s, step_s=scenario.step_s,
        duration_s=scenario.duration_s, notes=notes,
    )  # fmt: skip
    result.counters = [Counter(key, label, round(totals[key], 3)) for key, label in COUNTERS]
    result.counters += [
        Counter(f"{key}:{name}", f"{name}: {_LABELS[key].lower()}", round(value, 3))
        for name, values in local["per_fn"].items()
        for key, value in values.items()
        if value
    ]
    step = scenario.step_s
    per_s = 1 / step
    result.series = [
        Series("requests", "Arrivals", "per s", [v * per_s for v in local["s_requests"]], chart="requests"),
        Series("gateway_504", "504s", "per s", [v * per_s for v in local["s_504"]], chart="errors"),
        Series("function_timeout", "Timeouts", "per s", [v * per_s for v in local["s_killed"]], chart="errors"),
        Series("throttled", "Throttles", "per s", [v * per_s for v in local["s_throttled"]], chart="errors"),
        Series("db_refused", "Refused connections", "per s", [v * per_s for v in local["s_refused"]], chart="errors"),
        Series("function_error", "Other errors", "per s", [v * per_s for v in local["s_other"]], chart="errors"),
        Series("concurrency", "All functions", "environments", local["s_conc"], local["account_limit"],
               "account limit", chart="concurrency"),
    ]  # fmt: skip
    busiest = sorted(fns, key=lambda fn: -max(local["s_fn_conc"][fn.name], default=0))[:2]
    for fn in busiest:
        limit = fn.reserved if fn.reserved is not None else None
        result.series.append(
            Series(
                f"concurrency:{fn.name}",
                fn.name,
                "environments",
                local["s_fn_conc"][fn.name],
                limit,
                "reserved",
                chart="concurrency",
            )  # fmt: skip
        )
    if local["db_fns"]:
        result.series.append(
            Series(
                "db_connections",
                "Database connections",
                "connections",
                local["s_conn"],
                local["max_conn"],
                "max_connections",
                chart="db",
            )  # fmt: skip
        )
        if local["db_source"]:
            notes.append(f"Database limit from {local['db_source']}.")
    if any(fn.kind == "sqs" for fn in fns):
        result.series.append(Series("queue", "Messages waiting", "messages", local["s_queue"], chart="queue"))
    result.latency = {fn.name: percentiles(fn.latency) for fn in fns if fn.latency}
    cost = []
    rate_x86, rate_arm = facts.value("price_gb_s_x86"), facts.value("price_gb_s_arm")
    for fn in fns:
        compute = fn.billed_gb_s * (rate_arm if fn.arm else rate_x86)
        if compute:
            cost.append(Counter(f"compute:{fn.name}", f"{fn.name}: compute ({fn.billed_gb_s:,.0f} GB-s)", compute))
        if fn.pc_configured:
            reserved_gb_s = fn.pc_configured * fn.gb * scenario.duration_s
            pc = reserved_gb_s * facts.value("price_pc_gb_s") + fn.pc_used_gb_s * facts.value("price_pc_duration_gb_s")
            cost.append(Counter(f"provisioned:{fn.name}", f"{fn.name}: provisioned concurrency", pc))
        for callee, gb_s in fn.callee_gb_s.items():
            cost.append(Counter(f"callee:{callee}", f"{callee}: compute for {fn.name}'s calls", gb_s * rate_x86))
    requests = sum(fn.requests for fn in fns)
    cost.append(Counter("requests", f"Requests ({requests:,.0f})", requests * facts.value("price_per_request")))
    result.cost = cost
    events = sorted(timeline.events, key=lambda e: e.t_s)
    if len(events) > MAX_TIMELINE:
        events = events[:MAX_TIMELINE]
        notes.append(f"The timeline shows its first {MAX_TIMELINE} events.")
    if result.counter("sqs_left"):
        events.append(
            Event(scenario.duration_s, scenario.clock(scenario.duration_s),
                  f"{result.counter('sqs_left'):,.0f} messages are still queued when the scenario ends.", "failure")
        )  # fmt: skip
    result.timeline = events
    return result
