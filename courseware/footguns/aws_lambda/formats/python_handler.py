"""Static facts about a Python handler file (parsed with `ast`; never imported or run)."""

from __future__ import annotations

import ast
import functools
import posixpath
import re

from courseware.footguns.aws_lambda.model import Application, BatchResponse, Function, HandlerFacts, Invocation

_DB_CONNECTS = {
    ("psycopg2", "connect"),
    ("psycopg", "connect"),
    ("pymysql", "connect"),
    ("pg8000", "connect"),
    ("mysql.connector", "connect"),
    ("MySQLdb", "connect"),
    ("sqlalchemy", "create_engine"),
    ("asyncpg", "connect"),
}


_POWERTOOLS_CALLS = {
    "parameters.get_secret": "secretsmanager:GetSecretValue",
    "parameters.get_secrets_by_name": "secretsmanager:GetSecretValue",
    "parameters.get_parameter": "ssm:GetParameter",
    "parameters.get_parameters": "ssm:GetParametersByPath",
}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _action(method: str) -> str:
    """boto3's snake_case method as the API action: send_message -> SendMessage."""
    return "".join(part[:1].upper() + part[1:] for part in method.split("_"))


class _Visitor(ast.NodeVisitor):
    def __init__(self, facts: HandlerFacts) -> None:
        self.facts = facts
        self.function_stack: list[str] = []
        self.lambda_clients: set[str] = set()
        self.clients: dict[str, str] = {}  # variable -> AWS service
        self.invoke_results: dict[str, Invocation] = {}  # variable holding an invoke's response
        self.strings: set[str] = set()
        # Calls that look like AWS API calls on a receiver the visitor cannot follow (a client passed as an
        # argument and kept on self): attributed afterwards when the module made clients of one service only.
        self.unresolved: list[tuple[str, int]] = []
        self.created_services: set[str] = set()  # clients made anywhere, assigned or not (dataclass factories)

    def attribute_unresolved(self) -> None:
        services = set(self.clients.values()) | self.created_services
        if len(services) != 1:
            return
        (service,) = services
        for method, line in self.unresolved:
            self.facts.calls.setdefault(f"{service}:{_action(method)}", []).append(line)

    def visit_Constant(self, node: ast.Constant) -> None:  # noqa: N802
        if isinstance(node.value, str) and len(node.value) <= 200 and len(self.strings) < 2000:
            self.strings.add(node.value)

    def visit_keyword(self, node: ast.keyword) -> None:
        # dict(deliver="email") writes the key "deliver" as a keyword
        if node.arg is not None and len(self.strings) < 2000:
            self.strings.add(node.arg)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802
        # A dataclass's field names are the keys of the dict it becomes (dataclasses.asdict).
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if len(self.strings) < 2000:
                    self.strings.add(statement.target.id)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:  # noqa: N802
        key = node.slice
        if isinstance(key, ast.Constant) and key.value == "Payload":
            self._payload_read(node.value, node.lineno)
        self.generic_visit(node)

    def _payload_read(self, receiver: ast.AST, line: int) -> None:
        invocation = None
        if isinstance(receiver, ast.Name):
            invocation = self.invoke_results.get(receiver.id)
        elif isinstance(receiver, ast.Call):
            invocation = next((i for i in self.facts.invocations if i.line == receiver.lineno), None)
        if invocation is not None and invocation.payload_read_line is None:
            invocation.payload_read_line = line

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802
        if not self.function_stack:
            self.facts.handler_names.add(node.name)
        self.function_stack.append(node.name)
        self.generic_visit(node)
        self.function_stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        value = node.value
        service = _client_service(value) if isinstance(value, ast.Call) else None
        if service is None and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            # queue = sqs.Queue(url), table = dynamodb.Table(name): a resource's sub-resource, same service
            owner = value.func.value
            service = self.clients.get(_dotted(owner) or "") or (
                _client_service(owner) if isinstance(owner, ast.Call) else None
            )
        for target in node.targets:
            name = _dotted(target)
            if name and service:
                self.clients[name] = service
                if service == "lambda":
                    self.lambda_clients.add(name)
        self.generic_visit(node)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "invoke":
            invocation = next((i for i in self.facts.invocations if i.line == value.lineno), None)
            for target in node.targets:
                if isinstance(target, ast.Name) and invocation is not None:
                    self.invoke_results[target.id] = invocation

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        name = _dotted(node.func) or ""
        inside = bool(self.function_stack)
        if name and len(self.facts.python_calls) < _MAX_CALL_NAMES:
            self.facts.python_calls.setdefault(name, []).append(node.lineno)
        created = _client_service(node)
        if created is not None:
            self.created_services.add(created)
        if name.endswith(("boto3.client", "boto3.resource")) or name in ("client", "resource"):
            if inside:
                self.facts.clients_in_handler.append(node.lineno)
        module, _, function = name.rpartition(".")
        if (module, function) in _DB_CONNECTS:
            target = self.facts.db_connects_in_handler if inside else self.facts.db_connects_outside
            target.append(node.lineno)
            self.facts.db_connection_bounds.append((node.lineno, _connections(node, function)))
        if name in _POWERTOOLS_CALLS:  # Powertools' parameters utility makes the AWS call itself
            self.facts.calls.setdefault(_POWERTOOLS_CALLS[name], []).append(node.lineno)
        if isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            service = self.clients.get(_dotted(receiver) or "")
            if service is None and isinstance(receiver, ast.Call):
                service = _client_service(receiver)
                if service is None and isinstance(receiver.func, ast.Attribute):
                    # sqs.Queue(url).send_message(...), boto3.resource("sqs").Queue(url).send_message(...)
                    inner = receiver.func.value
                    service = self.clients.get(_dotted(inner) or "") or (
                        _client_service(inner) if isinstance(inner, ast.Call) else None
                    )
            if service is None and _looks_like_api_call(node.func.attr):
                self.unresolved.append((node.func.attr, node.lineno))
            if service is not None and not node.func.attr[:1].isupper():  # Table(...), Queue(...) call no API
                self.facts.calls.setdefault(f"{service}:{_action(node.func.attr)}", []).append(node.lineno)
            if node.func.attr == "get" and node.args and isinstance(node.args[0], ast.Constant):
                if node.args[0].value == "Payload":
                    self._payload_read(receiver, node.lineno)
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("invoke", "invoke_async"):
            receiver = node.func.value
            receiver_name = _dotted(receiver)
            is_lambda = (
                receiver_name in self.lambda_clients
                or (isinstance(receiver, ast.Call) and _is_lambda_client(receiver))
                or any(k.arg == "FunctionName" for k in node.keywords)
            )
            if is_lambda:
                self.facts.invocations.append(_invocation(node, self.facts.path))
        self.generic_visit(node)


_MAX_CALL_NAMES = 2000
# SQLAlchemy's QueuePool defaults: pool_size 5 plus max_overflow 10
# (https://docs.sqlalchemy.org/en/20/core/engines.html#sqlalchemy.create_engine).
_SQLALCHEMY_POOL = {"pool_size": 5, "max_overflow": 10}
_SINGLE_CONNECTION_POOLS = ("NullPool", "StaticPool", "SingletonThreadPool")


def _connections(call: ast.Call, function: str) -> int | None:
    """How many connections one call site can hold at once: 1 for a connect, the pool's bound for an engine."""
    if function != "create_engine":
        return 1
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    pool = keywords.get("poolclass")
    if pool is not None:
        return 1 if (_dotted(pool) or "").rsplit(".", 1)[-1] in _SINGLE_CONNECTION_POOLS else None
    total = 0
    for key, default in _SQLALCHEMY_POOL.items():
        value = keywords.get(key)
        if value is None:
            total += default
        elif isinstance(value, ast.Constant) and isinstance(value.value, int) and not isinstance(value.value, bool):
            total += max(value.value, 0)
        else:
            return None
    return total


_CLOCKS = ("time.time", "time.monotonic", "time.perf_counter", "monotonic", "datetime.now", "datetime.datetime.now",
           "datetime.utcnow", "datetime.datetime.utcnow", "datetime.datetime.now", "time.time_ns")  # fmt: skip


_SECRET_ACTION = "secretsmanager:GetSecretValue"  # noqa: S105 (an IAM action name)
_TTL_NAME = re.compile(r"(?i)ttl|max_?age|cache|expir|refresh|lifetime")


def _cache_seconds(module: ast.Module) -> int | None:
    """The longest cache lifetime written in the module: TTL-named constants, max_age= arguments, TTL decorator
    arguments and numbers compared with a clock reading. None when none is written."""
    constants: dict[str, float] = {}
    found: list[float] = []
    for node in module.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            value = node.value.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = float(value)
                        if _TTL_NAME.search(target.id):
                            found.append(float(value))

    def number(node: ast.AST) -> float | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name):
            return constants.get(node.id)
        return None

    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            name = _dotted(node.func) or ""
            for keyword in node.keywords:
                if keyword.arg in ("max_age", "ttl", "secret_refresh_interval") and number(keyword.value) is not None:
                    found.append(number(keyword.value))  # type: ignore[arg-type]
            if "ttl" in name.lower() and node.args and number(node.args[-1]) is not None:
                found.append(number(node.args[-1]))  # type: ignore[arg-type]
        elif isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if any(isinstance(n, ast.Call) and _dotted(n.func) in _CLOCKS for p in parts for n in ast.walk(p)):
                found.extend(v for p in parts if (v := number(p)) is not None)
    library = [
        n
        for n in ast.walk(module)
        if _uses_caching_library(module) and isinstance(n, ast.Call) and (_dotted(n.func) or "").endswith("SecretCache")
    ]
    configured = any(
        isinstance(n, ast.keyword) and n.arg == "secret_refresh_interval" for c in library for n in ast.walk(c)
    )
    if library and not configured:
        found.append(float(SECRETS_LIBRARY_DEFAULT_REFRESH_S))
    return int(max(found)) if found else None


def call_inputs(module: ast.Module, lines: list[int], depth: int = 3) -> set[str]:
    """The string constants and attribute names that can flow into the calls at `lines`: their arguments, the
    assignments of the names they use, and, for a parameter of the enclosing function, the arguments its callers
    pass (a few levels deep). A plain reading of data flow, enough to see `record["messageId"]` reach a body."""
    functions = [n for n in ast.walk(module) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    enclosing: dict[int, ast.AST] = {}
    for function in functions:
        for node in _own_nodes(function):
            if isinstance(node, ast.Call):
                enclosing.setdefault(id(node), function)
    targets = [n for n in ast.walk(module) if isinstance(n, ast.Call) and n.lineno in lines]
    pending: list[tuple[ast.AST, ast.AST | None, int]] = []
    for call in targets:
        owner = enclosing.get(id(call))
        pending.extend((arg, owner, 0) for arg in [*call.args, *(k.value for k in call.keywords)])
    found: set[str] = set()
    seen: set[int] = set()
    while pending:
        expression, owner, level = pending.pop()
        if id(expression) in seen or len(seen) > 2000:
            continue
        seen.add(id(expression))
        for node in ast.walk(expression):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, ast.Name) and owner is not None and level < depth:
                pending.extend(_sources_of(node.id, owner, functions, level))
    return found


def _sources_of(
    name: str, owner: ast.AST, functions: list[ast.AST], level: int
) -> list[tuple[ast.AST, ast.AST | None, int]]:
    sources: list[tuple[ast.AST, ast.AST | None, int]] = []
    for node in _own_nodes(owner):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            sources.append((node.value, owner, level + 1))
    parameters = [a.arg for a in owner.args.args] if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
    if name in parameters:
        position = parameters.index(name)
        for function in functions:
            for node in _own_nodes(function):
                if isinstance(node, ast.Call) and (_dotted(node.func) or "").rsplit(".", 1)[-1] == owner.name:
                    if position < len(node.args):
                        sources.append((node.args[position], function, level + 1))
                    sources.extend((k.value, function, level + 1) for k in node.keywords if k.arg == name)
    return sources


# Caches AWS maintains for a function's secrets: the aws-secretsmanager-caching library (refreshes every
# secret_refresh_interval seconds, 3,600 by default) and the AWS Parameters and Secrets Lambda Extension, served on
# localhost:2773 (its cache lives SECRETS_MANAGER_TTL seconds, 300 by default; set in the function's environment).
SECRETS_LIBRARY_METHODS = ("get_secret_string", "get_secret_binary")
SECRETS_LIBRARY_DEFAULT_REFRESH_S = 3600
_EXTENSION_PATH = "/secretsmanager/get"


def _uses_caching_library(module: ast.Module) -> bool:
    for node in module.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aws_secretsmanager_caching"):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("aws_secretsmanager_caching") for a in node.names):
            return True
    return False


def _managed_secret_cache(module: ast.Module, facts: HandlerFacts) -> list[int]:
    """Lines where the code reads a secret through a cache AWS maintains (the caching library or the extension)."""
    library = _uses_caching_library(module) and any(
        name.rsplit(".", 1)[-1] == "SecretCache" for name in facts.python_calls
    )
    lines = []
    for node in ast.walk(module):
        if library and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SECRETS_LIBRARY_METHODS:
                lines.append(node.lineno)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _EXTENSION_PATH in node.value:
            if (
                ":2773" in node.value
                or "2773" in facts.strings
                or "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT" in facts.strings
            ):
                lines.append(node.lineno)
    return lines


def _expiring_cache(module: ast.Module, facts: HandlerFacts) -> frozenset[str]:
    """AWS actions every call of which sits in a function that checks a clock or a TTL cache (or its caller does).

    Powertools' parameters utility caches with an expiry of its own (max_age, five seconds by default).
    """
    functions = [n for n in ast.walk(module) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    timed: set[str] = set()
    owner: dict[int, str] = {}  # call line -> the function it is in
    callers: dict[str, set[str]] = {}
    # A function whose body (nested functions included) reads a clock: a hand-written TTL decorator is one.
    clock_readers = {
        f.name for f in functions if any(isinstance(n, ast.Call) and _dotted(n.func) in _CLOCKS for n in ast.walk(f))
    }
    # A cache that compares against a clock must also remember when it fetched; one that never stores a clock
    # reading (or bypasses the check with `if True:`) fetches every time.
    stores_clock = any(
        isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign))
        and n.value is not None
        and any(isinstance(c, ast.Call) and _dotted(c.func) in _CLOCKS for c in ast.walk(n.value))
        for n in ast.walk(module)
    )
    if not stores_clock:
        clock_readers = set()
    for function in functions:
        nodes = _own_nodes(function)
        calls = [n for n in nodes if isinstance(n, ast.Call)]
        names = {_dotted(c.func) or "" for c in calls}
        decorators = {_dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in function.decorator_list}
        bypassed = any(isinstance(n, ast.If) and isinstance(n.test, ast.Constant) and n.test.value for n in nodes)
        if not bypassed and (
            (names & set(_CLOCKS) and stores_clock)
            or any("ttl" in n.lower() for n in names | decorators)
            or decorators & clock_readers
        ):
            timed.add(function.name)
        for call in calls:
            owner.setdefault(call.lineno, function.name)
            callee = (_dotted(call.func) or "").rsplit(".", 1)[-1]
            callers.setdefault(callee, set()).add(function.name)
    for _ in range(3):  # a helper called only from a timed function is timed too
        for name, by in callers.items():
            if by and by <= timed:
                timed.add(name)
    powertools = {_POWERTOOLS_CALLS[name] for name in facts.python_calls if name in _POWERTOOLS_CALLS}
    if facts.calls.get(_SECRET_ACTION) and set(facts.calls[_SECRET_ACTION]) <= set(facts.managed_secret_lines):
        powertools.add(_SECRET_ACTION)
    cached = set()
    for action, lines in facts.calls.items():
        if action in powertools or all(owner.get(line) in timed for line in lines):
            cached.add(action)
    return frozenset(cached)


# Verbs that begin boto3 client methods (send_message, get_secret_value, put_object, ...). A method of another
# object named like one is attributed to a client only when the module made clients of a single service.
_API_VERBS = ("send_", "get_", "put_", "invoke", "update_", "delete_", "query", "scan", "publish", "start_",
              "receive_", "batch_", "upload_", "download_", "copy_", "change_message", "purge_")  # fmt: skip


def _looks_like_api_call(method: str) -> bool:
    return method.startswith(_API_VERBS) and method not in ("get", "update", "query")


def _client_service(call: ast.Call) -> str | None:
    """The service of `boto3.client("sqs")` or `boto3.resource("sqs")` (or a session's), else None."""
    name = _dotted(call.func) or ""
    if isinstance(call.func, ast.Attribute) and call.func.attr in ("client", "resource"):
        name = call.func.attr  # boto3.session.Session().client(...): the chain holds a call
    if not name.endswith(("client", "resource")):
        return None
    argument = call.args[0] if call.args else None
    for keyword in call.keywords:
        if keyword.arg == "service_name":
            argument = keyword.value
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and len(argument.value) < 64:
        return argument.value
    return None


def _is_lambda_client(call: ast.Call) -> bool:
    return _client_service(call) == "lambda"


def _invocation(node: ast.Call, path: str) -> Invocation:
    assert isinstance(node.func, ast.Attribute)
    if node.func.attr == "invoke_async":
        mode = "Event"
    else:
        mode = "RequestResponse"  # the API default when InvocationType is left out
        for keyword in node.keywords:
            if keyword.arg == "InvocationType":
                value = keyword.value
                mode = value.value if isinstance(value, ast.Constant) else "unknown"
            if keyword.arg is None:  # **kwargs: cannot tell statically
                mode = "unknown"
    target = None
    for keyword in node.keywords:
        if keyword.arg == "FunctionName":
            target = ast.unparse(keyword.value)[:200]
    return Invocation(file=path, line=node.lineno, mode=str(mode), target=target)


def analyse(module: ast.Module, path: str) -> HandlerFacts:
    facts = HandlerFacts(path=path)
    visitor = _Visitor(facts)
    try:
        visitor.visit(module)
        visitor.attribute_unresolved()
        facts.managed_secret_lines = _managed_secret_cache(module, facts)
        facts.inputs_reader = functools.partial(call_inputs, module)
        for line in facts.managed_secret_lines:
            facts.calls.setdefault(_SECRET_ACTION, []).append(line)
        facts.batch_reader = _BatchResponses(module).response
        facts.cache_reader = functools.partial(_expiring_cache, module, facts)
        facts.cache_seconds_reader = functools.partial(_cache_seconds, module)
    except RecursionError:
        pass  # a pathological tree: keep what was found
    facts.strings = frozenset(visitor.strings)
    return facts


# -- how a handler answers a batch (SQS/stream partial batch responses) -------------------------

_BATCH_KEY = "batchItemFailures"
_HELPER_DEPTH = 3
# AWS Lambda Powertools builds the partial batch response itself and catches each record's failure.
_POWERTOOLS_RESPONSES = ("process_partial_response", "async_process_partial_response")


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """Nodes of a function body, not descending into nested functions or classes."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _always_exits(body: list[ast.stmt]) -> bool:
    """Whether control can never fall off the end of `body`."""
    for statement in body:
        if isinstance(statement, (ast.Return, ast.Raise)):
            return True
        if isinstance(statement, ast.If) and _always_exits(statement.body) and _always_exits(statement.orelse):
            return True
        if isinstance(statement, (ast.With, ast.AsyncWith)) and _always_exits(statement.body):
            return True
        if isinstance(statement, ast.Try):
            if statement.finalbody and _always_exits(statement.finalbody):
                return True
            main = statement.body + statement.orelse
            if _always_exits(main) and all(_always_exits(h.body) for h in statement.handlers):
                return True
        if isinstance(statement, ast.Match) and statement.cases:
            wildcard = any(isinstance(c.pattern, ast.MatchAs) and c.pattern.pattern is None for c in statement.cases)
            if wildcard and all(_always_exits(c.body) for c in statement.cases):
                return True
    return False


def _is_batch_dict(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Dict) and any(
        isinstance(key, ast.Constant) and key.value == _BATCH_KEY for key in node.keys
    )


class _BatchReader:
    def __init__(self, module: ast.Module) -> None:
        self.functions = {
            node.name: node for node in module.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }

    def returns_failures(self, function: ast.AST, depth: int = 0) -> bool:
        nodes = _own_nodes(function)
        assigned: dict[str, list[ast.AST]] = {}
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                assigned.setdefault(node.target.id, []).append(node.value)
        returns = [node for node in nodes if isinstance(node, ast.Return)]
        if not returns or not _always_exits(function.body):  # type: ignore[attr-defined]
            return False
        if _raises_out(function.body):  # type: ignore[attr-defined]
            return False  # a raise fails the invocation, and with it the whole batch
        if all(_is_batch_dict(r.value) and _empty_failures(r.value) for r in returns):
            return False  # always reports no failures: a failed record is deleted as done
        return all(self.is_batch_value(r.value, assigned, depth) for r in returns)

    def is_batch_value(self, value: ast.AST | None, assigned: dict[str, list[ast.AST]], depth: int) -> bool:
        if _is_batch_dict(value):
            return True
        if isinstance(value, ast.Name):
            values = assigned.get(value.id, [])
            return bool(values) and all(_is_batch_dict(v) for v in values)
        if isinstance(value, (ast.Await,)):
            return self.is_batch_value(value.value, assigned, depth)
        if isinstance(value, ast.Call):
            name = _dotted(value.func) or ""
            if name.rsplit(".", 1)[-1] in _POWERTOOLS_RESPONSES:
                return True
            helper = self.functions.get(name)
            if helper is not None and depth < _HELPER_DEPTH:
                return self.returns_failures(helper, depth + 1)
        return False

    def per_record_errors(self, function: ast.AST, depth: int = 0) -> bool:
        nodes = _own_nodes(function)
        for node in nodes:
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
                name = _dotted(node.value.func) or ""
                if name.rsplit(".", 1)[-1] in _POWERTOOLS_RESPONSES:
                    return True
            if isinstance(node, (ast.For, ast.AsyncFor, *_COMPREHENSIONS)) and self.loop_catches(node, depth):
                return True
        for node in nodes:
            if isinstance(node, ast.Call) and depth < _HELPER_DEPTH:
                helper = self.functions.get(_dotted(node.func) or "")
                if helper is not None and helper is not function and self.per_record_errors(helper, depth + 1):
                    return True
        return False

    def loop_catches(self, loop: ast.AST, depth: int) -> bool:
        """A try inside the loop whose handler catches every Exception, and the loop body that can fail."""
        for node in _own_nodes(loop):
            if isinstance(node, ast.Try) and any(_catches_everything(h) for h in node.handlers):
                return True
            if isinstance(node, ast.Call) and depth < _HELPER_DEPTH:
                helper = self.functions.get(_dotted(node.func) or "")
                if helper is not None and any(
                    isinstance(n, ast.Try) and any(_catches_everything(h) for h in n.handlers)
                    for n in _own_nodes(helper)
                ):
                    return True
        return False


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def _raises_out(body: list[ast.stmt]) -> bool:
    """Whether a `raise` in `body` can leave the function (one inside a try that catches everything cannot)."""
    for statement in body:
        if isinstance(statement, ast.Raise):
            return True
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.Try):
            caught = any(_catches_everything(h) for h in statement.handlers)
            if not caught and _raises_out(statement.body):
                return True
            parts = [h.body for h in statement.handlers] + [statement.orelse, statement.finalbody]
            if any(_raises_out(part) for part in parts):
                return True
            continue
        for field_name in ("body", "orelse"):
            inner = getattr(statement, field_name, None)
            if isinstance(inner, list) and _raises_out([s for s in inner if isinstance(s, ast.stmt)]):
                return True
        if isinstance(statement, ast.Match) and any(_raises_out(c.body) for c in statement.cases):
            return True
    return False


def _failures_value(node: ast.AST | None) -> ast.AST | None:
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == _BATCH_KEY:
                return value
    return None


def _empty_failures(node: ast.AST | None) -> bool:
    value = _failures_value(node)
    return isinstance(value, (ast.List, ast.Tuple)) and not value.elts


def _item_problem(module: ast.Module) -> str:
    """What is wrong with the entries of batchItemFailures, if the code shows it ('' when nothing)."""
    listed: set[str] = set()
    for node in ast.walk(module):
        value = _failures_value(node)
        if isinstance(value, ast.Name):
            listed.add(value.id)
        elif isinstance(value, (ast.ListComp, ast.List)):
            entries = [value.elt] if isinstance(value, ast.ListComp) else value.elts
            if any(not isinstance(e, (ast.Dict, ast.Call, ast.Starred)) for e in entries):
                return "each entry of batchItemFailures must be {'itemIdentifier': <the record's messageId>}"
    for node in ast.walk(module):
        if isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value == "itemIdentifier" for k in node.keys
        ):
            text = ast.unparse(node)
            if "receiptHandle" in text or "receipt_handle" in text:
                return "itemIdentifier must be the record's messageId, not its receipt handle"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in listed
            and node.args
        ):
            entry = node.args[0]
            if not isinstance(entry, (ast.Dict, ast.Call)) or (
                isinstance(entry, ast.Dict)
                and not any(isinstance(k, ast.Constant) and k.value == "itemIdentifier" for k in entry.keys)
            ):
                return "each entry of batchItemFailures must be {'itemIdentifier': <the record's messageId>}"
    return ""


_LOGGERS = ("logger", "logging", "log", "LOGGER", "print")


def _swallowed_line(module: ast.Module) -> int | None:
    """The line of an `except Exception` that only logs (or passes) a failure, so nobody hears of it."""
    for node in ast.walk(module):
        if not isinstance(node, ast.Try):
            continue
        for handler in node.handlers:
            if not _catches_everything(handler):
                continue
            quiet = all(
                isinstance(s, (ast.Pass, ast.Continue))
                or (
                    isinstance(s, ast.Expr)
                    and isinstance(s.value, ast.Call)
                    and (_dotted(s.value.func) or "").split(".", 1)[0] in _LOGGERS
                )
                for s in handler.body
            )
            if quiet:
                return handler.lineno
    return None


def _reports_the_rest(function: ast.AST) -> bool:
    """Whether the code lists the records after a failure too (`records[i:]` in a comprehension or extend), as the
    stop-at-first-failure pattern for ordered queues does."""
    for node in ast.walk(function):
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)) or (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "extend"
        ):
            if any(isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Slice) for n in ast.walk(node)):
                return True
    return False


def _break_line(module: ast.Module) -> int | None:
    """The line of a `break` or `return` in an `except` inside a loop: the records after the failed one are never
    processed and, unless the code lists them too, are deleted as if they had succeeded."""
    for function in ast.walk(module):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _reports_the_rest(function):
            line = _stops_early(function)
            if line is not None:
                return line
    return None


def _stops_early(function: ast.AST) -> int | None:
    for loop in ast.walk(function):
        if not isinstance(loop, (ast.For, ast.AsyncFor)):
            continue
        for node in _own_nodes(loop):
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    for inner in _own_nodes(handler):
                        if isinstance(inner, (ast.Break, ast.Return)):
                            return inner.lineno
    return None


def _catches_everything(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    names = [kind] if not isinstance(kind, ast.Tuple) else list(kind.elts)
    if kind is None:
        return True
    reraises = any(isinstance(n, ast.Raise) for n in _own_nodes(handler))
    return not reraises and any((_dotted(n) or "") in ("Exception", "BaseException") for n in names)


class _BatchResponses:
    """Reads how one top-level function answers a batch, on demand; the module-wide checks run once."""

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        self.reader: _BatchReader | None = None
        self.item_problem: str | None = None

    def response(self, name: str) -> BatchResponse | None:
        try:
            return self._response(name)
        except RecursionError:
            return None  # a pathological tree: nothing can be said about it

    def _response(self, name: str) -> BatchResponse | None:
        if self.reader is None:
            self.reader = _BatchReader(self.module)
            self.item_problem = _item_problem(self.module)
            swallowed = _swallowed_line(self.module)
            if swallowed is not None and not self.item_problem:
                self.item_problem = (
                    f"the except at line {swallowed} only logs the failure, so that record is never listed in "
                    "batchItemFailures and is deleted as if it had succeeded"
                )
            stops = _break_line(self.module)
            if stops is not None and not self.item_problem:
                self.item_problem = (
                    f"the break or return at line {stops} stops at the first failure, so the records after it are "
                    "never "
                    "processed and, not being listed in batchItemFailures, are deleted as if they had succeeded"
                )
        function = self.reader.functions.get(name)
        if function is None:
            return None
        item_problem = self.item_problem
        returns = self.reader.returns_failures(function) and not item_problem
        per_record = self.reader.per_record_errors(function)
        missing = []
        if item_problem:
            missing.append(item_problem)
        elif not returns:
            missing.append(
                "not every path returns a {'batchItemFailures': [...]} response (a path that returns "
                "nothing or something else reports the whole batch as successful, one that always returns an "
                "empty list deletes the failed records, and a raise fails the whole batch)"
            )
        if not per_record:
            missing.append("no per-record try/except inside the loop over the records catches a failure")
        return BatchResponse(returns, per_record, function.lineno, "; ".join(missing))


def handler_candidates(function: Function, template_path: str) -> list[str]:
    """Paths the function's handler code would be at, relative to the checked files."""
    handler = function.handler.value if function.handler is not None else None
    if not isinstance(handler, str) or "." not in handler:
        return []
    module = handler.rsplit(".", 1)[0]
    relative = module.replace(".", "/") + ".py" if "/" not in module else module + ".py"
    base = posixpath.dirname(template_path)
    code = function.code_path.value if function.code_path is not None else None
    candidates = []
    if isinstance(code, str) and not code.startswith(("s3://", "${")) and not code.endswith(".zip"):
        candidates.append(posixpath.normpath(posixpath.join(base, code, relative)))
    candidates.append(posixpath.normpath(posixpath.join(base, relative)))
    return candidates


def attach(app: Application, facts: dict[str, HandlerFacts], unit_paths: list[str]) -> set[str]:
    """Match each function to its handler file; returns the paths matched."""
    matched: set[str] = set()
    base_path = unit_paths[0] if unit_paths else ""
    for function in app.functions.values():
        candidates = handler_candidates(function, function.file or base_path)
        path = next((c for c in candidates if c in facts), None)
        if path is None and candidates:
            # Fall back to a unique file of the same name anywhere in the check.
            name = posixpath.basename(candidates[-1])
            same = [p for p in facts if posixpath.basename(p) == name]
            path = same[0] if len(same) == 1 else None
        if path is not None:
            function.handler_facts = facts[path]
            app.handlers[path] = facts[path]
            matched.add(path)
    return matched
