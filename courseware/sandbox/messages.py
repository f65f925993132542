"""What the learner reads for each ending. Plain words, the limit, and what to try."""

from __future__ import annotations

import math

from courseware.sandbox.limits import Limits

_NOT_COUNTED = "This did not count as an attempt."
_KIB = 1024


def timeout(limits: Limits) -> str:
    return (
        f"Checking your files took longer than {limits.wall_s:g} seconds, so it was stopped. "
        f"Very large or deeply nested files are the usual cause. {_NOT_COUNTED}"
    )


def cpu_limit(limits: Limits) -> str:
    return (
        f"Your files needed more than {limits.cpu_s} seconds of computing to check, so the "
        "check was stopped. Look for structures that expand into each other, such as YAML "
        f"anchors whose aliases refer to more aliases. {_NOT_COUNTED}"
    )


def memory_limit(limits: Limits) -> str:
    return (
        f"Checking your files needed more than {limits.memory_bytes // 2**20} MiB of memory, so "
        "it was stopped. Look for a small piece of text that expands into something huge, such "
        f"as aliases of aliases. {_NOT_COUNTED}"
    )


def output_limit(limits: Limits) -> str:
    return (
        "Your files produced more feedback than can be shown at once (over "
        f"{limits.max_output_bytes // _KIB} KiB). Fix the first problems and check again. "
        f"{_NOT_COUNTED}"
    )


def crashed() -> str:
    return (
        "The checker failed while reading your files. That is a fault on our side, not yours; "
        f"extremely deep nesting is a common trigger. {_NOT_COUNTED}"
    )


def unavailable() -> str:
    return f"The checker is not available right now. Try again in a minute. {_NOT_COUNTED}"


def busy(retry_after_s: int) -> str:
    return (
        "The checker is busy with other learners' files. Try again in "
        f"{retry_after_s} second{'s' if retry_after_s != 1 else ''}. {_NOT_COUNTED}"
    )


def learner_busy() -> str:
    return f"Your previous check is still running. Wait for its result, then try again. {_NOT_COUNTED}"


def too_complex() -> str:
    return (
        "Your files are nested too deeply or are too complex to check. Real templates are far "
        "flatter: simplify the structure and try again."
    )


def no_files() -> str:
    return "There is nothing to check: add at least one file."


def too_many_files(count: int, limit: int) -> str:
    return f"You sent {count} files; at most {limit} can be checked at once."


def bad_path(path: str) -> str:
    shown = path[:80].encode("unicode_escape").decode("ascii")
    return f"“{shown}” is not a usable file name. Use a relative path such as template.yaml or src/app.py."


def not_text(path: str) -> str:
    return f"{path} is not valid UTF-8 text (it may be binary or contain a stray surrogate)."


def file_too_big(path: str, size: int, limit: int) -> str:
    return f"{path} is {math.ceil(size / _KIB)} KiB; the limit is {limit // _KIB} KiB per file. Check a smaller file."


def total_too_big(size: int, limit: int) -> str:
    return (
        f"Your files add up to {math.ceil(size / _KIB)} KiB; the limit is {limit // _KIB} KiB "
        "in total. Check fewer or smaller files."
    )


def checked(report: dict) -> str:
    total = report.get("findings_total", 0)
    if report.get("truncated"):
        return f"Checked: {total} findings; the first {_shown(report)} are shown."
    if total == 0:
        return "Checked: no footguns found."
    return f"Checked: {total} finding{'s' if total != 1 else ''}."


def _shown(report: dict) -> int:
    return sum(len(result.get("findings") or []) for result in report.get("files", []))
