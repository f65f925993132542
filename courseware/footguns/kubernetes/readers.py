"""How the Kubernetes topic recognises manifests: `apiVersion` and `kind` at the top of a document."""

from __future__ import annotations

import re
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import line_of

SUFFIXES = (".yaml", ".yml", ".json")
_YAML_KEYS = re.compile(r"^[ \t]*apiVersion[ \t]*:", re.M)
_YAML_KIND = re.compile(r"^[ \t]*kind[ \t]*:", re.M)
_JSON_KEYS = re.compile(r"\"apiVersion\"\s*:")


def claims_manifest(name: str, text: str) -> bool:
    if "apiVersion" not in text:  # every pattern below needs it
        return False
    if _YAML_KEYS.search(text) is not None and _YAML_KIND.search(text) is not None:
        return True
    return _JSON_KEYS.search(text) is not None and '"kind"' in text


def parse_manifests(path: str, text: str) -> tuple[str | None, Any]:
    """Every object of the file as (line, mapping); `kind: List` is unwrapped. None when no document is one."""
    if path.lower().endswith(".json"):
        from courseware.footguns.parsers.json_lines import load_json

        documents = [(1, load_json(text))]
    else:
        from courseware.footguns.parsers.yaml_lines import load_yaml_documents

        documents = load_yaml_documents(text)
    objects: list[tuple[int, Any]] = []
    for line, document in documents:
        if document is None:
            continue
        if not isinstance(document, dict):
            raise ParseError("Each document of a manifest must be a mapping (apiVersion, kind, metadata ...).", line)
        if document.get("kind") == "List" and isinstance(document.get("items"), list):
            items = document["items"]
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    objects.append((line_of(items, index, line) or line, item))
            continue
        objects.append((line, document))
    if not any(isinstance(obj.get("kind"), str) and "apiVersion" in obj for _, obj in objects):
        return None, None
    return "kubernetes", objects
