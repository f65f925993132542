from __future__ import annotations


class ParseError(Exception):
    """Input that cannot be read as the format it claims to be; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
