"""Grading quiz answers: pure functions over content objects and plain data. No Django, no database.

Two steps, so other apps (live sessions, the dashboard) can reuse both:

- `parse_answer(question, form)` turns submitted form fields (a mapping of name → list of values, e.g.
  `{k: request.POST.getlist(k) for k in request.POST}`) into a canonical response (a JSON-able dict) or
  raises `InvalidAnswer` with a learner-facing message (empty answer, unknown choice id, tampered field,
  text that is not a number). Invalid input is never stored or graded.
- `grade(question, response)` scores a canonical response. It is total: any response, even a stored one
  that no longer matches the content, gets a score in [0, 1] and never raises.

Scores (also in docs/authoring.md): single / true_false / numeric are 1 or 0; multiple and
spot_the_footgun score max(0, (right picks − wrong picks) / number of right ones); ordering scores the
share of items in the right position. An answer counts as right only with score 1.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .content import Question

MAX_VALUE_CHARS = 100
MAX_NUMBER_CHARS = 40
MAX_VALUES = 200
# "1769", "-2.5", "1,769", "1.769e3", "1769 MB", "1769MB": the number, then an optional unit.
NUMBER = re.compile(
    r"^\s*(?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d{1,3})?|[-+]?\.\d+(?:[eE][-+]?\d{1,3})?)"
    r"\s*(?P<unit>%|[^\W\d_][^\W\d]{0,9}(?:[-/·][^\W\d]{1,9})?)?\s*$"
)


class InvalidAnswer(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Grade:
    correct: bool
    score: float
    feedback: tuple[str, ...] = ()


Form = Mapping[str, Sequence[str]]


def _values(form: Form, name: str) -> list[str]:
    values = form.get(name) or []
    if isinstance(values, str):
        values = [values]
    if len(values) > MAX_VALUES:
        raise InvalidAnswer("Too many values in the form.")
    for value in values:
        if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
            raise InvalidAnswer("A form field is too long.")
    return [v.strip() for v in values if v.strip()]


def _one(form: Form, name: str, empty_message: str) -> str:
    values = _values(form, name)
    if not values:
        raise InvalidAnswer(empty_message)
    if len(values) > 1:
        raise InvalidAnswer("Only one answer may be sent for this question.")
    return values[0]


def parse_number(text: str) -> tuple[Decimal, str]:
    """A number and the unit typed after it ('' if none). Raises InvalidAnswer."""
    if len(text) > MAX_NUMBER_CHARS:
        raise InvalidAnswer(f"Enter a number of at most {MAX_NUMBER_CHARS} characters.")
    match = NUMBER.match(text)
    if not match:
        if re.match(r"^\s*[-+]?\d+,\d{1,2}(?!\d)", text):
            raise InvalidAnswer("Enter a number such as 1769 or 1,769 (use a dot for decimals).")
        raise InvalidAnswer("Enter a number such as 1769, 1,769 or 1.769e3.")
    try:
        value = Decimal(match.group("num").replace(",", ""))
    except InvalidOperation:
        raise InvalidAnswer("Enter a number such as 1769.") from None
    if not value.is_finite():
        raise InvalidAnswer("Enter a finite number.")
    return value, (match.group("unit") or "").strip()


def parse_answer(question: Question, form: Form) -> dict[str, Any]:
    kind = question.kind
    if kind == "single":
        choice = _one(form, "choice", "Choose an answer.")
        if question.choice(choice) is None:
            raise InvalidAnswer("That choice is not part of this question.")
        return {"choice": choice}
    if kind == "multiple":
        picked = sorted(set(_values(form, "choice")))
        if not picked:
            raise InvalidAnswer("Select at least one answer.")
        if any(question.choice(c) is None for c in picked):
            raise InvalidAnswer("One of the choices is not part of this question.")
        return {"choices": picked}
    if kind == "true_false":
        value = _one(form, "value", "Choose true or false.")
        if value not in ("true", "false"):
            raise InvalidAnswer("The answer must be true or false.")
        return {"value": value == "true"}
    if kind == "numeric":
        text = _one(form, "value", "Enter a number.")
        number, unit = parse_number(text)
        return {"text": text, "value": str(number), "unit": unit}
    if kind == "ordering":
        order = _values(form, "order")
        if order:  # the move-up / move-down form sends the items in the order shown
            if sorted(order) != sorted(item.id for item in question.items):
                raise InvalidAnswer("The steps sent do not match this question: reload the page.")
            return {"order": order}
        positions: dict[str, int] = {}
        for item in question.items:
            raw = _one(form, f"pos-{item.id}", "Give every step a position.")
            if not small_number(raw) or not 1 <= int(raw) <= len(question.items):
                raise InvalidAnswer(f"Positions go from 1 to {len(question.items)}.")
            positions[item.id] = int(raw)
        if sorted(positions.values()) != list(range(1, len(question.items) + 1)):
            raise InvalidAnswer("Give each step a different position.")
        return {"order": sorted(positions, key=positions.__getitem__)}
    if kind == "spot_the_footgun":
        raw_lines = _values(form, "line")
        if not raw_lines:
            raise InvalidAnswer("Select at least one line.")
        count = len(question.snippet_lines)
        if not all(small_number(v) and 1 <= int(v) <= count for v in raw_lines):
            raise InvalidAnswer(f"Lines go from 1 to {count}.")
        return {"lines": sorted({int(v) for v in raw_lines})}
    raise InvalidAnswer("This question cannot be answered.")


def _picks_score(right: int, wrong: int, total: int) -> float:
    if total <= 0:
        return 0.0
    return max(0.0, (right - wrong) / total)


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def grade(question: Question, response: Mapping[str, Any]) -> Grade:
    if not isinstance(response, Mapping):
        return Grade(False, 0.0)
    kind = question.kind
    if kind == "single":
        choice = question.choice(response.get("choice")) if isinstance(response.get("choice"), str) else None
        if choice is not None and choice.correct:
            return Grade(True, 1.0)
        return Grade(False, 0.0, (choice.feedback_html,) if choice and choice.feedback_html else ())
    if kind == "multiple":
        picked = set(_strings(response.get("choices")))
        correct_ids = {c.id for c in question.choices if c.correct}
        right = len(picked & correct_ids)
        wrong = len(picked - correct_ids)
        score = _picks_score(right, wrong, len(correct_ids))
        feedback = tuple(
            c.feedback_html for c in question.choices if c.id in picked and not c.correct and c.feedback_html
        )
        return Grade(score == 1.0, score, feedback)
    if kind == "true_false":
        value = response.get("value")
        if isinstance(value, bool) and value == question.answer:
            return Grade(True, 1.0)
        return _wrong(question)
    if kind == "numeric":
        key = question.numeric
        value = _decimal(response.get("value"))
        if key is None or value is None:
            return _wrong(question)
        unit = response.get("unit") or ""
        if unit and unit.casefold() != key.unit.casefold():
            expected = f"in {key.unit}" if key.unit else "without a unit"
            return Grade(False, 0.0, (f"The answer is asked for {expected}, not in {_escape(unit)}.",))
        allowed = key.tolerance * abs(key.value) / 100 if key.relative else key.tolerance
        if abs(value - key.value) <= allowed:
            return Grade(True, 1.0)
        return _wrong(question)
    if kind == "ordering":
        order = _strings(response.get("order"))
        expected = [item.id for item in question.items]
        if not expected:
            return Grade(False, 0.0)
        in_place = sum(1 for index, item_id in enumerate(order[: len(expected)]) if expected[index] == item_id)
        score = in_place / len(expected)
        if score == 1.0 and len(order) == len(expected):
            return Grade(True, 1.0)
        return Grade(False, min(score, 1.0), (question.feedback_html,) if question.feedback_html else ())
    if kind == "spot_the_footgun":
        raw = response.get("lines")
        picked = {v for v in raw if isinstance(v, int) and not isinstance(v, bool)} if isinstance(raw, list) else set()
        right = len(picked & question.lines)
        wrong = len(picked - question.lines)
        score = _picks_score(right, wrong, len(question.lines))
        if score == 1.0:
            return Grade(True, 1.0)
        return Grade(False, score, (question.feedback_html,) if question.feedback_html else ())
    return Grade(False, 0.0)


def _wrong(question: Question) -> Grade:
    return Grade(False, 0.0, (question.feedback_html,) if question.feedback_html else ())


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def ordering_move(question: Question, form: Form) -> tuple[tuple[str, ...], str]:
    """One press of a move-up or move-down button: the new order of the items, and the button to focus next.

    `form` carries the order shown (`order`, one value per item) and the button pressed (`move`, "up:<id>" or
    "down:<id>"). The button to focus is the one pressed, or its opposite when the item reached an end.
    """
    ids = [item.id for item in question.items]
    order = _values(form, "order")
    if sorted(order) != sorted(ids):
        raise InvalidAnswer("The steps sent do not match this question: reload the page.")
    direction, _, item_id = _one(form, "move", "Choose a step to move.").partition(":")
    if direction not in ("up", "down") or item_id not in order:
        raise InvalidAnswer("That move is not possible.")
    index = order.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    else:
        target = index
    at_end = (direction == "up" and target == 0) or (direction == "down" and target == len(order) - 1)
    focus = ("down" if direction == "up" else "up") if at_end else direction
    return tuple(order), f"{focus}:{item_id}"


def display_order(question: Question, seed: int, *, shuffle: bool = True) -> tuple[str, ...]:
    """The order choices (or ordering items) are shown in for one attempt: stable for a given seed.

    Ordering items are always shuffled (shown in the right order they would give the answer away) and
    never shown already in the right order.
    """
    if question.kind == "ordering":
        ids = [item.id for item in question.items]
        rng = random.Random(f"{seed}:{question.id}")
        shuffled = ids[:]
        rng.shuffle(shuffled)
        if shuffled == ids and len(ids) > 1:
            shuffled = shuffled[1:] + shuffled[:1]
        return tuple(shuffled)
    ids = [choice.id for choice in question.choices]
    if shuffle and question.kind in ("single", "multiple"):
        random.Random(f"{seed}:{question.id}").shuffle(ids)
    return tuple(ids)


def describe_response(question: Question, response: Mapping[str, Any]) -> list[str]:
    """The learner's answer as short HTML fragments, for results pages."""
    if not isinstance(response, Mapping):
        return []
    kind = question.kind
    if kind == "single":
        choice = question.choice(str(response.get("choice")))
        return [choice.html] if choice else []
    if kind == "multiple":
        picked = set(_strings(response.get("choices")))
        return [c.html for c in question.choices if c.id in picked]
    if kind == "true_false":
        value = response.get("value")
        return ["True" if value else "False"] if isinstance(value, bool) else []
    if kind == "numeric":
        return [_escape(str(response.get("text", "")))]
    if kind == "ordering":
        return [item.html for item_id in _strings(response.get("order")) if (item := question.item(item_id))]
    if kind == "spot_the_footgun":
        raw = response.get("lines")
        return [f"Line {n}" for n in raw if isinstance(n, int)] if isinstance(raw, list) else []
    return []


def describe_key(question: Question) -> list[str]:
    """The right answer as short HTML fragments (only ever shown after answering)."""
    kind = question.kind
    if kind in ("single", "multiple"):
        return [c.html for c in question.choices if c.correct]
    if kind == "true_false":
        return ["True" if question.answer else "False"]
    if kind == "numeric" and question.numeric is not None:
        key = question.numeric
        text = key.display
        if key.tolerance:
            text += f" (± {key.tolerance.normalize():f}{'%' if key.relative else ''})"
        return [_escape(text)]
    if kind == "ordering":
        return [item.html for item in question.items]
    if kind == "spot_the_footgun":
        return [f"Line {n}" for n in sorted(question.lines)]
    return []


def small_number(text: str) -> bool:
    """ASCII digits, short enough for int(): "²" and "①" pass str.isdigit() but make int() raise."""
    return 0 < len(text) <= 9 and text.isascii() and text.isdigit()
