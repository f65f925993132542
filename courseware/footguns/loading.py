"""Turn raw bytes into a parsed document of a known format, or a clear error.

The topic packages' readers (courseware.footguns.registry) decide: by suffix, then, where topics share a
suffix, by a cheap look at the text. A data file no reader claims is still read as YAML or JSON, so a syntax
error is reported with its line; it is then `unknown`, never parsed as some topic's format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from courseware.footguns.errors import ParseError, Rejected
from courseware.footguns.limits import ACTIVE_LIMITS, ScanLimits
from courseware.footguns.prescan import prescan
from courseware.footguns.registry import READERS, SUFFIXES

_DATA_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Loaded:
    """One input file after reading: its format and parsed document, or why it could not be read."""

    path: str
    format: str  # a registered format's name, or "unknown"
    status: str = "ok"
    error_message: str | None = None
    error_line: int | None = None
    document: Any = None
    text: str = ""


def is_recognised(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


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
    loaded = Loaded(path, "unknown")
    rejection = prescan(path, data, limits, defer_yaml=True)
    if rejection is not None:
        loaded.status = "rejected"
        loaded.error_message = rejection
        return loaded
    active = ACTIVE_LIMITS.set(limits)
    try:
        loaded.text = decode(data)
        parse(loaded)
    except Rejected as rejected:  # the YAML loader measured what it composed (prescan's defer_yaml)
        loaded.format, loaded.text, loaded.document = "unknown", "", None
        loaded.status = "rejected"
        loaded.error_message = rejected.message
    except ParseError as error:
        loaded.status = "parse_error"
        loaded.error_message = error.message
        loaded.error_line = error.line
    finally:
        ACTIVE_LIMITS.reset(active)
    return loaded


def parse(loaded: Loaded) -> None:
    name = loaded.path.lower()
    first_error: ParseError | None = None
    for _topic, reader in READERS:
        if not (name.endswith(reader.suffixes) and reader.claims(name, loaded.text)):
            continue
        try:
            fmt, document = reader.parse(loaded.path, loaded.text)
        except ParseError as error:
            # Another topic may claim the file too (a manifest with an indented `service:` key looks like a
            # serverless.yml to a cheap test): its error is the file's only if no reader can read it.
            first_error = first_error or error
            continue
        if fmt is not None:
            loaded.format, loaded.document = fmt, document
            return
    if first_error is not None:
        raise first_error
    if name.endswith(_DATA_SUFFIXES):
        _syntax_check(name, loaded.text)
    loaded.format = "unknown"


def _syntax_check(name: str, text: str) -> None:
    if name.endswith(".json"):
        from courseware.footguns.parsers.json_lines import load_json

        load_json(text)
    else:
        from courseware.footguns.parsers.yaml_lines import load_yaml_documents

        load_yaml_documents(text)
