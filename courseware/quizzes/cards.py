"""What the question templates need for one question: the shown order, the learner's answer, the result.

Pure. Other apps (live sessions) build a Card with their own `action` URL and include
`quizzes/question.html#card`. Before answering a card carries nothing from the answer key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .content import Choice, Item, Question
from .grading import Grade, describe_key, describe_response, display_order, grade


@dataclass(frozen=True)
class Card:
    question: Question
    action: str
    choices: tuple[Choice, ...] = ()
    items: tuple[Item, ...] = ()
    answered: bool = False
    grade: Grade | None = None
    picked: frozenset[str] = frozenset()
    picked_lines: frozenset[int] = frozenset()
    value: str = ""
    your_answer: tuple[str, ...] = ()
    right_answer: tuple[str, ...] = ()
    error: str = ""
    message: str = ""
    focus_move: str = ""  # "up:<item id>" or "down:<item id>": the ordering button to focus after a move
    moved: str = ""  # what the last move did, for the live region

    @property
    def positions(self) -> range:
        return range(1, len(self.items) + 1)

    @property
    def percent(self) -> int:
        return round(100 * self.grade.score) if self.grade else 0

    @property
    def partly_right(self) -> bool:
        return self.grade is not None and not self.grade.correct and self.grade.score > 0


def build_card(
    question: Question,
    *,
    seed: int,
    action: str,
    shuffle: bool = True,
    response: Mapping[str, Any] | None = None,
    error: str = "",
    message: str = "",
    typed: str = "",
    order: tuple[str, ...] | None = None,
    focus_move: str = "",
) -> Card:
    order = order or display_order(question, seed, shuffle=shuffle)
    choices = tuple(c for cid in order if (c := question.choice(cid)) is not None)
    items = tuple(i for iid in order if (i := question.item(iid)) is not None) if question.kind == "ordering" else ()
    if response is None:
        moved = ""
        if focus_move:
            item_id = focus_move.partition(":")[2]
            position = next((n for n, item in enumerate(items, 1) if item.id == item_id), 0)
            moved = f"Now step {position} of {len(items)}."
        return Card(
            question=question,
            action=action,
            choices=choices,
            items=items,
            error=error,
            value=typed,
            focus_move=focus_move,
            moved=moved,
        )
    picked: set[str] = set()
    if isinstance(response.get("choice"), str):
        picked.add(response["choice"])
    if isinstance(response.get("choices"), list):
        picked.update(v for v in response["choices"] if isinstance(v, str))
    if isinstance(response.get("value"), bool):
        picked.add("true" if response["value"] else "false")
    lines = response.get("lines")
    picked_lines = frozenset(v for v in lines if isinstance(v, int)) if isinstance(lines, list) else frozenset()
    if question.kind == "ordering" and isinstance(response.get("order"), list):
        items = tuple(i for iid in response["order"] if isinstance(iid, str) and (i := question.item(iid)))
    return Card(
        question=question,
        action=action,
        choices=choices,
        items=items,
        answered=True,
        grade=grade(question, response),
        picked=frozenset(picked),
        picked_lines=picked_lines,
        value=str(response.get("text", "")) if question.kind == "numeric" else "",
        your_answer=tuple(describe_response(question, response)),
        right_answer=tuple(describe_key(question)),
        message=message,
    )
