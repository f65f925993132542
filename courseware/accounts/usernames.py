"""Look-alike usernames: `learnerА` (Cyrillic А) must not sit beside `learnerA`.

Two names are confusable when their skeletons match (Unicode TR39 §4: NFD, map each character to its prototype in
confusables.txt, NFD again). The mapping comes from the confusable-homoglyphs package's copy of confusables.txt;
names are also case-folded, so `Ana` and `ana` count as the same person too.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path


@cache
def _prototypes() -> dict[str, str]:
    import confusable_homoglyphs

    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text("utf-8"))
    glyphs = {char: [entry["c"] for entry in entries] for char, entries in data.items()}
    # The package lists each confusables.txt line both ways: a source lists its one prototype, a prototype lists
    # all its sources. A character with one single-character partner that itself has one partner is a pair: the
    # lower code point stands for both.
    mapping: dict[str, str] = {}
    for char, partners in glyphs.items():
        if len(partners) != 1:
            continue
        partner = partners[0]
        if len(partner) > 1 or len(glyphs.get(partner, ())) > 1:
            mapping[char] = partner
        elif partner < char:
            mapping[char] = partner
    return {char: target.replace("\u200e", "") for char, target in mapping.items()}


def skeleton(name: str) -> str:
    table = _prototypes()
    # NFKC first, as Django's username field does (fullwidth and compatibility forms are not in confusables.txt).
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name).casefold())
    mapped = "".join(table.get(char, char) for char in decomposed)
    return unicodedata.normalize("NFD", mapped).casefold()


def lookalike_taken(username: str) -> bool:
    from .models import UsernameSkeleton

    return UsernameSkeleton.objects.filter(skeleton=skeleton(username)).exclude(user__username=username).exists()
