"""The workspace form: one text field per starter file, named by position, with the sandbox's size caps."""

from __future__ import annotations

from django.http import QueryDict

from courseware.footguns.limits import ScanLimits

from .content import Exercise

LIMITS = ScanLimits()


def field_name(index: int) -> str:
    return f"file-{index}"


def files_from_post(exercise: Exercise, data: QueryDict) -> dict[str, str]:
    """The learner edits the starter files: they cannot add, remove or rename one."""
    files = {}
    for index, path in enumerate(exercise.paths):
        # Browsers send textarea line breaks as CRLF; the engine's lines are counted on LF.
        files[path] = data.get(field_name(index), "").replace("\r\n", "\n")
    return files


def size_problem(files: dict[str, str], limits: ScanLimits = LIMITS) -> str | None:
    total = 0
    for path, text in files.items():
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > limits.max_file_bytes:
            return (
                f"{path} is {size // 1024} KiB; a file may be at most {limits.max_file_bytes // 1024} KiB. "
                "Your text is kept below: shorten it and check again."
            )
        total += size
    if total > limits.max_total_bytes:
        return (
            f"Your files are {total // 1024} KiB together; at most {limits.max_total_bytes // 1024} KiB are checked. "
            "Your text is kept below: shorten it and check again."
        )
    return None
