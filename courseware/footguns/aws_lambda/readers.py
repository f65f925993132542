"""How the Lambda topic recognises and parses its files. Cheap to import: parsers load inside `parse_*`."""

from __future__ import annotations

import ast
import posixpath
import re
from typing import Any

from courseware.footguns.errors import ParseError

SERVERLESS_NAMES = ("serverless.yml", "serverless.yaml")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".template", ".json")
# A template or serverless.yml names one of these at the top level (YAML: at the start of a line).
# A template or serverless.yml names one of these at the top level: at the start of a line, or at the indentation
# of the document's first key when the whole document is indented (legal YAML; cfn-lint's own fixtures do it).
_TOP_KEYS = r"[\"']?(?:AWSTemplateFormatVersion|Resources|Transform)[\"']?[ \t]*:"
_YAML_KEYS = re.compile(rf"^{_TOP_KEYS}|^service[ \t]*:", re.M)
_FIRST_KEY = re.compile(r"^([ \t]*)[^\s#-]", re.M)
_JSON_KEYS = re.compile(r"\"(?:AWSTemplateFormatVersion|Resources|service)\"\s*:")


# Every pattern above needs one of these words: text without them is no template (a quick test before the scans).
_MARKERS = ("AWSTemplateFormatVersion", "Resources", "Transform", "service")


def claims_template(name: str, text: str) -> bool:
    if posixpath.basename(name) in SERVERLESS_NAMES:
        return True
    if not any(marker in text for marker in _MARKERS):
        return False
    # JSON is YAML too: a template.yaml may hold JSON, with its keys indented.
    if _YAML_KEYS.search(text) is not None or _JSON_KEYS.search(text) is not None:
        return True
    first = _FIRST_KEY.search(text)
    indent = first.group(1) if first is not None else ""
    return bool(indent) and re.search(rf"^{indent}{_TOP_KEYS}", text, re.M) is not None


def parse_template(path: str, text: str) -> tuple[str | None, Any]:
    """A SAM or CloudFormation template (YAML or JSON) or a serverless.yml; None when it is none of them."""
    if path.lower().endswith(".json"):
        from courseware.footguns.parsers.json_lines import load_json

        document = load_json(text)
    else:
        from courseware.footguns.aws_lambda.formats.cfn_yaml import load_cfn_yaml

        document = load_cfn_yaml(text)
    if posixpath.basename(path.lower()) in SERVERLESS_NAMES or _looks_like_serverless(document):
        if not isinstance(document, dict):
            raise ParseError("A serverless.yml must be a mapping with 'service' and 'functions'.", 1)
        return "serverless", document
    from courseware.footguns.aws_lambda.formats.cloudformation import classify

    return classify(document), document


def _looks_like_serverless(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "service" in document
        and ("provider" in document or "functions" in document)
        and "Resources" not in document
    )


def claims_always(name: str, text: str) -> bool:
    return True


def parse_terraform(path: str, text: str) -> tuple[str | None, Any]:
    from courseware.footguns.parsers.hcl import load_hcl

    return "terraform", load_hcl(text)


def parse_python(path: str, text: str) -> tuple[str | None, Any]:
    return "python", python_module(text)


def python_module(text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        raise ParseError(f"Python syntax error: {error.msg}.", error.lineno) from error
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError("The Python code is too complex or deeply nested to analyse.") from error
