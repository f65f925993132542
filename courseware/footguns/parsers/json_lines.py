"""A small JSON parser that keeps the line of every value and rejects duplicate keys.

The standard library neither reports positions nor refuses duplicates (it keeps the last,
reference/security.md §2.7). Depth is bounded by `prescan` before this runs.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, LineList
from courseware.footguns.parsers.yaml_lines import MAX_ABS_INT

_TOKEN = re.compile(
    r"""[ \t\r\n]*(?:
        (?P<punct>[{}\[\]:,])
      | (?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")
      | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
      | (?P<word>true|false|null)
    )""",
    re.VERBOSE,
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORDS = {"true": True, "false": False, "null": None}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def next(self) -> tuple[str, str, int]:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            start = self.pos
            while start < len(self.text) and self.text[start] in " \t\r\n":
                start += 1
            if start >= len(self.text):
                raise ParseError("Invalid JSON: unexpected end of file.", self.line(start))
            snippet = self.text[start : start + 12]
            raise ParseError(f"Invalid JSON: unexpected text {snippet!r}.", self.line(start))
        self.pos = match.end()
        kind = match.lastgroup or ""
        return kind, match.group(kind), match.start(kind)

    def value(self, token: tuple[str, str, int]) -> Any:
        kind, text, start = token
        if kind == "punct":
            if text == "{":
                return self.obj(start)
            if text == "[":
                return self.array(start)
            raise ParseError(f"Invalid JSON: unexpected '{text}'.", self.line(start))
        if kind == "string":
            return self.string(text, start)
        if kind == "number":
            return self.number(text, start)
        return _WORDS[text]

    def string(self, text: str, start: int) -> str:
        value = json.loads(text)
        if _SURROGATE.search(value):
            raise ParseError(
                "The text contains a lone surrogate escape, which is not valid Unicode.",
                self.line(start),
            )
        return value

    def number(self, text: str, start: int) -> int | float:
        if len(text) > 40:
            raise ParseError("A number is too large.", self.line(start))
        if "." in text or "e" in text or "E" in text:
            return float(text)
        value = int(text)
        if abs(value) >= MAX_ABS_INT:
            raise ParseError("A number is too large (beyond 64 bits).", self.line(start))
        return value

    def obj(self, start: int) -> LineDict:
        result = LineDict(self.line(start))
        token = self.next()
        if token[:2] == ("punct", "}"):
            return result
        while True:
            kind, text, key_start = token
            if kind != "string":
                raise ParseError("Invalid JSON: expected a quoted key.", self.line(key_start))
            key = self.string(text, key_start)
            key_line = self.line(key_start)
            if key in result:
                raise ParseError(
                    f"Duplicate key '{key}' (first at line {result.key_lines[key]}). Tools disagree "
                    "on which one wins; keep one.",
                    key_line,
                )
            colon = self.next()
            if colon[:2] != ("punct", ":"):
                raise ParseError("Invalid JSON: expected ':' after a key.", self.line(colon[2]))
            result[key] = self.value(self.next())
            result.key_lines[key] = key_line
            kind, text, pos = self.next()
            if (kind, text) == ("punct", "}"):
                return result
            if (kind, text) != ("punct", ","):
                raise ParseError("Invalid JSON: expected ',' or '}'.", self.line(pos))
            token = self.next()

    def array(self, start: int) -> LineList:
        result = LineList(self.line(start))
        token = self.next()
        if token[:2] == ("punct", "]"):
            return result
        while True:
            result.append(self.value(token))
            result.item_lines.append(self.line(token[2]))
            kind, text, pos = self.next()
            if (kind, text) == ("punct", "]"):
                return result
            if (kind, text) != ("punct", ","):
                raise ParseError("Invalid JSON: expected ',' or ']'.", self.line(pos))
            token = self.next()


def load_json(text: str) -> Any:
    parser = _Parser(text)
    try:
        value = parser.value(parser.next())
    except RecursionError as error:
        raise ParseError("The file is nested too deeply.") from error
    if text[parser.pos :].strip(" \t\r\n"):
        raise ParseError("Invalid JSON: extra text after the end of the document.", parser.line(parser.pos))
    return value
