from __future__ import annotations


class ParseError(Exception):
    """Input that cannot be read as the format it claims to be; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Rejected(Exception):
    """Input the engine refuses to read at all (an alias bomb, nesting or keys past the limits): a `rejected` file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
