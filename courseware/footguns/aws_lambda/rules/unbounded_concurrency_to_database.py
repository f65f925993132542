from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.aws_lambda.model import Application, DataStore, Function, Setting
from courseware.footguns.aws_lambda.rules._facts import as_int
from courseware.footguns.rule import Context, Hit, Rule

_GIB = 1024**3
# Nominal memory of common instance classes, in GiB.
_CLASS_MEMORY_GIB = {
    "db.t3.micro": 1, "db.t3.small": 2, "db.t3.medium": 4, "db.t3.large": 8,
    "db.t4g.micro": 1, "db.t4g.small": 2, "db.t4g.medium": 4, "db.t4g.large": 8,
    "db.m5.large": 8, "db.m5.xlarge": 16, "db.m6g.large": 8, "db.m6g.xlarge": 16,
    "db.m7g.large": 8, "db.r5.large": 16, "db.r6g.large": 16, "db.r7g.large": 16,
}  # fmt: skip
# Default max_connections formulas (reference/lambda-facts.md §6): PostgreSQL
# DBInstanceClassMemory/9531392, MySQL and MariaDB DBInstanceClassMemory/12582880.
# Aurora PostgreSQL uses the PostgreSQL formula (AuroraUserGuide/AuroraPostgreSQL.Managing.html).
_DIVISORS = {"postgres": 9_531_392, "mysql": 12_582_880}
# Aurora MySQL publishes a table by instance class instead of the RDS MySQL formula
# (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Performance.html).
_AURORA_MYSQL = {
    "db.t3.small": 45, "db.t3.medium": 90, "db.t3.large": 135, "db.t4g.medium": 90, "db.t4g.large": 135,
    "db.r5.large": 1000, "db.r5.xlarge": 2000, "db.r6g.large": 1000, "db.r6g.xlarge": 2000,
    "db.r7g.large": 1000, "db.r7g.xlarge": 2000,
}  # fmt: skip


def _family(engine: object) -> str | None:
    if not isinstance(engine, str):
        return None
    if "postgres" in engine:
        return "postgres"
    if engine in ("aurora", "aurora-mysql"):  # "aurora" is the MySQL 5.6-compatible engine name
        return "aurora-mysql"
    if "mysql" in engine or "mariadb" in engine:
        return "mysql"
    return None


def capacity(app: Application, database: DataStore) -> tuple[int, str] | None:
    group = database.settings.get("DBParameterGroupName")
    if group is not None:
        for name in database.refs:
            store = app.stores.get(name)
            if store is not None and store.kind == "rds_parameter_group":
                explicit = store.settings.get("max_connections")
                value = as_int(explicit.value) if explicit is not None else None
                if value is not None:
                    return value, "its parameter group sets max_connections"
    instance_class = database.settings.get("DBInstanceClass")
    engine = database.settings.get("Engine")
    family = _family(engine.value if engine else None)
    class_name = instance_class.value if instance_class else None
    if family == "aurora-mysql":
        listed = _AURORA_MYSQL.get(class_name) if isinstance(class_name, str) else None
        if listed is None:
            return None
        return listed, f"an Aurora MySQL {class_name} allows {listed} connections by default"
    memory = _CLASS_MEMORY_GIB.get(class_name) if isinstance(class_name, str) else None
    if family is None or memory is None:
        return None
    estimate = min(memory * _GIB // _DIVISORS[family], 5000)
    return estimate, f"a {instance_class.value} allows about {estimate} connections by default"


def _queue_cap(function: Function) -> Setting | None:
    """Queue-only functions are bounded by their event sources' maximum concurrency."""
    triggers = function.triggers
    if not triggers or any(t.kind != "sqs" or t.max_concurrency is None for t in triggers):
        return None
    caps = [t.max_concurrency for t in triggers if t.max_concurrency is not None]
    total = sum(as_int(cap.value) or 0 for cap in caps)
    return Setting(total, caps[0].file, caps[0].line)


def check(app: Application, context: Context) -> Iterator[Hit]:
    for function in app.functions.values():
        targets = [app.stores[name] for name in function.refs if name in app.stores]
        # Only a connection endpoint counts: reading the database's secret or name does not connect.
        direct = [
            app.stores[name]
            for name in sorted(function.endpoint_refs)
            if name in app.stores and app.stores[name].kind in ("rds_instance", "rds_cluster")
        ]
        through_proxy = any(s.kind == "rds_proxy" for s in targets)
        facts = function.handler_facts
        code_connects = bool(facts and (facts.db_connects_in_handler or facts.db_connects_outside))
        if not direct and not (code_connects and not through_proxy):
            continue
        what = f"database {direct[0].name}" if direct else "a database (its handler opens a connection)"
        reserved = function.reserved_concurrency
        if reserved is None:
            reserved = _queue_cap(function)
        if reserved is None:
            # https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html (1,000 environments every 10 s
            # per function) and services-sqs-scaling.html (an SQS mapping adds up to 300 concurrent batches a
            # minute, up to 1,000).
            queue_only = bool(function.triggers) and all(t.kind == "sqs" for t in function.triggers)
            pace = (
                "an SQS event source adds up to 300 concurrent batches a minute, up to 1,000 per mapping, so a "
                "backlog reaches hundreds of environments within minutes"
                if queue_only
                else "Lambda can add up to 1,000 environments every 10 seconds, so a traffic spike reaches "
                "hundreds of environments in seconds"
            )
            yield Hit(
                file=function.file,
                line=function.line,
                resource=function.name,
                message=(
                    f"Function {function.name} connects to {what} directly, without RDS Proxy, "
                    "and has no reserved concurrency. Every concurrent execution environment "
                    f"holds its own connection, and {pace}: max_connections runs out and the "
                    "database refuses everyone."
                ),
                fix=(
                    "Put RDS Proxy between the function and the database, and cap the function "
                    "with reserved concurrency (ReservedConcurrentExecutions / "
                    "reserved_concurrent_executions / reservedConcurrency), or for a queue "
                    "consumer the event source's maximum concurrency, below what the database "
                    "can accept."
                ),
            )
            continue
        cap = as_int(reserved.value)
        for database in direct:
            known = capacity(app, database)
            if cap is None or known is None or cap <= known[0]:
                continue
            yield Hit(
                file=reserved.file,
                line=reserved.line,
                resource=function.name,
                message=(
                    f"Function {function.name} may run {cap} copies at once, each with its own "
                    f"connection to {database.name}, but {known[1]} ({known[0]}). At peak the "
                    "database refuses connections and every request fails."
                ),
                fix=(
                    f"Lower the concurrency cap below {known[0]} (leaving room for other "
                    "clients), or put RDS Proxy in front of the database to pool connections."
                ),
            )


RULE = Rule(
    id="aws-lambda/unbounded-concurrency-to-database",
    footgun="aws-lambda/unbounded-concurrency",
    severity="error",
    summary="A function reaching RDS directly with no (or too large a) concurrency cap.",
    formats=("sam", "cloudformation", "terraform", "serverless"),
    check=check,
)
