"""Turn raw bytes into a parsed document of a known format, or a clear error."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.formats.cloudformation import classify
from courseware.footguns.limits import ScanLimits
from courseware.footguns.parsers.json_lines import load_json
from courseware.footguns.parsers.yaml_cfn import load_yaml
from courseware.footguns.prescan import prescan

YAML_SUFFIXES = (".yaml", ".yml", ".template")
SERVERLESS_NAMES = ("serverless.yml", "serverless.yaml")
RECOGNISED_SUFFIXES = (*YAML_SUFFIXES, ".json", ".tf", ".py")


@dataclass
class Loaded:
    path: str
    format: str  # sam | cloudformation | terraform | serverless | python | unknown
    status: str = "ok"
    error_message: str | None = None
    error_line: int | None = None
    document: Any = None
    text: str = ""


def is_recognised(path: str) -> bool:
    return path.lower().endswith(RECOGNISED_SUFFIXES)


def guess_format(path: str) -> str:
    name = path.lower()
    if name.endswith(".py"):
        return "python"
    if name.endswith(".tf"):
        return "terraform"
    if posixpath.basename(name) in SERVERLESS_NAMES:
        return "serverless"
    if name.endswith(".json"):
        return "cloudformation"
    if name.endswith(YAML_SUFFIXES):
        return "sam"
    return "unknown"


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(f"The file is not valid UTF-8 text (byte {error.start}); save it as UTF-8.", line) from error
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ParseError("The file contains a NUL byte; it looks like binary data, not text.", line)
    return text.removeprefix("\ufeff")


def load_file(path: str, content: str | bytes, limits: ScanLimits) -> Loaded:
    data = content.encode("utf-8", errors="surrogatepass") if isinstance(content, str) else content
    loaded = Loaded(path, guess_format(path))
    rejection = prescan(path, data, limits)
    if rejection is not None:
        loaded.status = "rejected"
        loaded.error_message = rejection
        return loaded
    try:
        loaded.text = decode(data)
        parse(loaded)
    except ParseError as error:
        loaded.status = "parse_error"
        loaded.error_message = error.message
        loaded.error_line = error.line
    return loaded


def parse(loaded: Loaded) -> None:
    name = loaded.path.lower()
    if loaded.format == "python":
        loaded.document = parse_python(loaded.text)
        return
    if loaded.format == "terraform":
        from courseware.footguns.parsers.hcl import load_hcl

        loaded.document = load_hcl(loaded.text)
        return
    if name.endswith(".json"):
        document = load_json(loaded.text)
    elif name.endswith(YAML_SUFFIXES):
        document = load_yaml(loaded.text)
    else:
        loaded.format = "unknown"
        return
    loaded.document = document
    if loaded.format == "serverless" or _looks_like_serverless(document):
        loaded.format = "serverless"
        if not isinstance(document, dict):
            raise ParseError("A serverless.yml must be a mapping with 'service' and 'functions'.", 1)
        return
    kind = classify(document)
    if kind is None:
        loaded.format = "unknown"
        return
    loaded.format = kind


def _looks_like_serverless(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "service" in document
        and ("provider" in document or "functions" in document)
        and "Resources" not in document
    )


def parse_python(text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        raise ParseError(f"Python syntax error: {error.msg}.", error.lineno) from error
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError("The Python code is too complex or deeply nested to analyse.") from error
