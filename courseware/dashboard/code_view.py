"""Learner-written code shown to instructors: escaped, highlighted, with hidden characters made visible."""

from __future__ import annotations

import re

from courseware.topics.rendering import highlight

# Bidi controls (Trojan Source, CVE-2021-42574) and zero-width characters are shown as escapes.
HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def reveal_hidden(text: str) -> str:
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def highlighted_file(path: str, text: str, marked_lines: set[int]) -> str:
    return highlight(reveal_hidden(text), path=path, marked=marked_lines, line_numbers=True)
