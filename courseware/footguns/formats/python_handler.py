"""Static facts about a Python handler file (parsed with `ast`; never imported or run)."""

from __future__ import annotations

import ast
import posixpath

from courseware.footguns.model import Application, Function, HandlerFacts, Invocation

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


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, facts: HandlerFacts) -> None:
        self.facts = facts
        self.function_stack: list[str] = []
        self.lambda_clients: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802
        if not self.function_stack:
            self.facts.handler_names.add(node.name)
        self.function_stack.append(node.name)
        self.generic_visit(node)
        self.function_stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        if isinstance(node.value, ast.Call) and _is_lambda_client(node.value):
            for target in node.targets:
                name = _dotted(target)
                if name:
                    self.lambda_clients.add(name)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        name = _dotted(node.func) or ""
        inside = bool(self.function_stack)
        if name.endswith(("boto3.client", "boto3.resource")) or name in ("client", "resource"):
            if inside:
                self.facts.clients_in_handler.append(node.lineno)
        module, _, function = name.rpartition(".")
        if (module, function) in _DB_CONNECTS:
            target = self.facts.db_connects_in_handler if inside else self.facts.db_connects_outside
            target.append(node.lineno)
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


def _is_lambda_client(call: ast.Call) -> bool:
    name = _dotted(call.func) or ""
    if not (name.endswith("client") or name.endswith("Session.client")):
        return False
    if call.args and isinstance(call.args[0], ast.Constant):
        return call.args[0].value == "lambda"
    for keyword in call.keywords:
        if keyword.arg == "service_name" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value == "lambda"
    return False


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
    try:
        _Visitor(facts).visit(module)
    except RecursionError:
        pass  # a pathological tree: keep what was found
    return facts


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
