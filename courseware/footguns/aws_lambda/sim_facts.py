"""Every number the Lambda simulator uses, each with where it comes from.

`FACTS` says for each value either the section of the course fact sheet (reference/lambda-facts.md, which
cites AWS's pages) or "model assumption": a value AWS does not publish, or that the fact sheet does not
confirm, chosen to be plausible and stated plainly in docs/simulator.md. Nothing else in the simulator
may hold a number about AWS.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    value: float
    unit: str
    what: str
    source: str  # "lambda-facts.md §n: …" or "model assumption: …"


FACT_SHEET = "reference/lambda-facts.md"


def _fact(value: float, unit: str, what: str, source: str) -> Fact:
    return Fact(value, unit, what, source)


FACTS: dict[str, Fact] = {
    # --- timeouts (§1)
    "default_timeout_s": _fact(3, "s", "function timeout when none is set", "lambda-facts.md §1: default 3 s"),
    "max_timeout_s": _fact(900, "s", "largest function timeout", "lambda-facts.md §1: max 900 s"),
    "rest_integration_timeout_s": _fact(
        29, "s", "API Gateway REST API integration timeout (default)", "lambda-facts.md §1: REST default 29 s"
    ),
    "http_integration_timeout_s": _fact(
        30, "s", "API Gateway HTTP API integration timeout (maximum)", "lambda-facts.md §1: HTTP API max 30 s"
    ),
    "init_limit_s": _fact(
        10,
        "s",
        "Init phase limit for on-demand environments; longer Init is retried inside the first invoke",
        "lambda-facts.md §4: Init time limit 10 s",
    ),
    # --- concurrency and scaling (§3)
    "account_concurrency": _fact(
        1000, "environments", "default account concurrency per Region", "lambda-facts.md §3: 1,000 per Region (soft)"
    ),
    "unreserved_floor": _fact(
        100, "environments", "concurrency that must stay unreserved", "lambda-facts.md §3: ≥ 100 unreserved"
    ),
    "scale_per_10s": _fact(
        1000,
        "environments per 10 s",
        "per-function scaling rate: new environments every 10 seconds",
        "lambda-facts.md §3: +1,000 execution environments every 10 s per function",
    ),
    # --- SQS event source (§5); scaling rate and start are not on the fact sheet
    "sqs_default_batch": _fact(
        10, "messages", "SQS event source default batch size", "lambda-facts.md §5: BatchSize 10"
    ),
    "sqs_poller_start": _fact(
        5,
        "concurrent batches",
        "concurrent batches an SQS event source starts with",
        "model assumption: AWS starts a small number of pollers; the fact sheet has no value",
    ),
    "sqs_poller_ramp_per_min": _fact(
        300,
        "concurrent batches per minute",
        "how fast an SQS event source adds concurrent batches",
        "model assumption: not on the fact sheet (AWS has published 60/min and later 300/min)",
    ),
    "sqs_poller_max": _fact(
        1250,
        "concurrent batches",
        "most concurrent batches one SQS event source drives",
        "model assumption: not on the fact sheet; bounded anyway by reserved and account concurrency",
    ),
    "sqs_receive_overhead_s": _fact(
        10,
        "s",
        "time a received message spends in flight besides the function's run (polling, invoking, deleting)",
        "model assumption: AWS publishes no value; it is why the fact sheet asks for a visibility of 6 × the timeout",
    ),
    "sqs_default_visibility_s": _fact(
        30,
        "s",
        "queue visibility timeout when the queue sets none",
        "model assumption: SQS's usual default, not on the fact sheet",
    ),
    # --- asynchronous invocation (§5)
    "async_default_retries": _fact(
        2, "retries", "retries after a failed asynchronous attempt", "lambda-facts.md §5: default 2 retries"
    ),
    "async_max_event_age_s": _fact(
        21600, "s", "how long an asynchronous event may wait", "lambda-facts.md §5: up to 6 h"
    ),
    "async_first_retry_s": _fact(
        60,
        "s",
        "wait before the first retry of a failed asynchronous event",
        "model assumption: AWS documents about a minute; not on the fact sheet",
    ),
    "async_second_retry_s": _fact(
        120, "s", "wait before the second retry", "model assumption: about two minutes; not on the fact sheet"
    ),
    # --- environments and cold starts (§4)
    "idle_reclaim_s": _fact(
        600,
        "s",
        "how long an idle environment is kept warm",
        "model assumption: AWS publishes no value; observed lifetimes vary from minutes to hours",
    ),
    "snapstart_speedup": _fact(
        10,
        "×",
        "how much faster a SnapStart restore is than Init",
        "lambda-facts.md §4: SnapStart 'up to 10x' (taking the upper figure is a model assumption)",
    ),
    "db_connect_fail_s": _fact(
        0.05,
        "s",
        "time an invocation spends before a refused database connection fails it",
        "model assumption",
    ),
    "boto_retry_wait_s": _fact(
        1.0,
        "s",
        "average back-off before boto3 retries a throttled synchronous invoke",
        "model assumption: boto3 retries throttles with exponential back-off; its exact schedule is not modelled",
    ),
    "boto_max_attempts": _fact(
        3, "attempts", "attempts boto3 makes at a throttled invoke", "model assumption: boto3's 'standard' mode"
    ),
    # --- CPU (§2)
    "mb_per_vcpu": _fact(1769, "MB", "memory that buys one full vCPU", "lambda-facts.md §2: 1,769 MB = 1 vCPU"),
    "default_memory_mb": _fact(128, "MB", "memory when none is set", "lambda-facts.md §2: default 128 MB"),
    # --- databases (§6)
    "pg_bytes_per_connection": _fact(
        9531392,
        "bytes",
        "PostgreSQL default max_connections = instance memory / this",
        "lambda-facts.md §6: LEAST({DBInstanceClassMemory/9531392}, 5000)",
    ),
    "pg_max_connections_cap": _fact(5000, "connections", "cap on the PostgreSQL default", "lambda-facts.md §6"),
    "mysql_bytes_per_connection": _fact(
        12582880,
        "bytes",
        "MySQL/MariaDB default max_connections = instance memory / this",
        "lambda-facts.md §6 (second-hand source only)",
    ),
    "proxy_max_connections_percent": _fact(
        100, "%", "share of max_connections RDS Proxy may use", "lambda-facts.md §6: MaxConnectionsPercent default 100"
    ),
    "default_connections_per_environment": _fact(
        1,
        "connections",
        "database connections an environment holds when neither code nor scenario says",
        "lambda-facts.md §6: one environment serves one request at a time, so one connection is used",
    ),
    # --- pricing, US East (§9)
    "price_gb_s_x86": _fact(0.0000166667, "$ per GB-s", "on-demand duration, x86", "lambda-facts.md §9"),
    "price_gb_s_arm": _fact(0.0000133334, "$ per GB-s", "on-demand duration, Arm", "lambda-facts.md §9 (second-hand)"),
    "price_per_request": _fact(0.0000002, "$ per request", "$0.20 per million requests", "lambda-facts.md §9"),
    "price_pc_gb_s": _fact(
        0.0000041667,
        "$ per GB-s",
        "provisioned concurrency, per GB-s configured",
        "lambda-facts.md §9 (second-hand; AWS renders prices client-side)",
    ),
    "price_pc_duration_gb_s": _fact(
        0.0000097222, "$ per GB-s", "duration on provisioned environments", "lambda-facts.md §9 (second-hand)"
    ),
}

# Hello-world Init by runtime family, in seconds (lambda-facts.md §4, maxday/lambda-perf, 2025-12-21). An
# application's own Init (libraries, frameworks) comes from the scenario, which measured it.
RUNTIME_INIT_S: dict[str, float] = {
    "python": 0.1,
    "nodejs": 0.15,
    "java": 0.25,
    "dotnet": 0.26,
    "ruby": 0.22,
    "provided": 0.05,
    "go": 0.05,
}
RUNTIME_INIT_SOURCE = "lambda-facts.md §4: hello-world Init by runtime (maxday/lambda-perf, 2025-12-21)"

# Memory of RDS instance classes in GiB, for the max_connections formula. AWS's class pages list them; the fact
# sheet does not, so this table is a model assumption (and DBInstanceClassMemory is a little below it).
INSTANCE_MEMORY_GIB: dict[str, float] = {
    "db.t3.micro": 1, "db.t3.small": 2, "db.t3.medium": 4, "db.t3.large": 8,
    "db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.t4g.large": 8,
    "db.m5.large": 8, "db.m5.xlarge": 16, "db.m5.2xlarge": 32, "db.m6g.large": 8, "db.m6g.xlarge": 16,
    "db.m7g.large": 8, "db.m7g.xlarge": 16, "db.r5.large": 16, "db.r5.xlarge": 32, "db.r6g.large": 16,
    "db.r6g.xlarge": 32, "db.r7g.large": 16, "db.r7g.xlarge": 32,
}  # fmt: skip
INSTANCE_MEMORY_SOURCE = "model assumption: instance class memory as AWS lists it; not on the fact sheet"
AURORA_SOURCE = "model assumption: Aurora uses its engine family's formula here; the fact sheet has no Aurora table"


def value(key: str) -> float:
    return FACTS[key].value


def runtime_init_s(runtime: str | None) -> float:
    name = (runtime or "").lower()
    for family, seconds in RUNTIME_INIT_S.items():
        if name.startswith(family):
            return seconds
    return RUNTIME_INIT_S["python"]


def max_connections(engine: str, instance_class: str) -> int | None:
    """The default max_connections for an engine and instance class, or None when the class is unknown."""
    gib = INSTANCE_MEMORY_GIB.get(instance_class)
    if gib is None:
        return None
    memory = gib * 1024**3
    if "mysql" in engine or "maria" in engine:
        return int(memory // value("mysql_bytes_per_connection"))
    return int(min(memory // value("pg_bytes_per_connection"), value("pg_max_connections_cap")))


def cpu_share(memory_mb: float) -> float:
    """The share of one vCPU a single thread gets at this memory (a single thread never uses more than one)."""
    return min(memory_mb, value("mb_per_vcpu")) / value("mb_per_vcpu")


def facts_markdown() -> str:
    """The facts as docs/simulator.md lists them (a test keeps the page and this module in step)."""
    lines = ["| key | value | what | source |", "|---|---|---|---|"]
    for key, fact in FACTS.items():
        shown = f"{fact.value:g}" if fact.value < 1e-3 or fact.value != int(fact.value) else f"{int(fact.value):,}"
        lines.append(f"| `{key}` | {shown} {fact.unit} | {fact.what} | {fact.source} |")
    lines += ["", f"Hello-world Init by runtime family ({RUNTIME_INIT_SOURCE}):", "", "| runtime family | Init |"]
    lines.append("|---|---|")
    lines += [f"| `{family}` | {seconds:g} s |" for family, seconds in RUNTIME_INIT_S.items()]
    lines += ["", f"RDS instance class memory for the `max_connections` formula ({INSTANCE_MEMORY_SOURCE}); "
              f"{AURORA_SOURCE}.", ""]  # fmt: skip
    lines.append(", ".join(f"`{name}` {gib:g} GiB" for name, gib in INSTANCE_MEMORY_GIB.items()) + ".")
    return "\n".join(lines) + "\n"
