"""Acceptance checks: an exercise's `accept:` requirements, evaluated on the model next to the rules.

Rules say what is dangerous anywhere; requirements say what one prompt asked for. A requirement is a
plain mapping from content (validated by the topic's vocabulary when the content loads) and its result a
`RequirementResult`. The core knows no vocabulary: each topic package brings its own
(`courseware.footguns.<topic>.requirements`, declared by the topic's `ENGINE`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Outcome:
    """What one requirement found: met or not, and what the checker saw, where."""

    ok: bool
    detail: str = ""
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class RequirementResult:
    index: int
    ok: bool
    message: str  # the author's words, in the prompt's terms
    detail: str  # what the checker saw
    file: str | None
    line: int | None
    learn: str | None  # a primer anchor of the exercise's topic

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "ok": self.ok,
            "message": self.message,
            "detail": self.detail,
            "file": self.file,
            "line": self.line,
            "learn": self.learn,
        }


class Vocabulary(Protocol):
    def validate(self, spec: Mapping[str, Any]) -> list[tuple[str | None, str]]: ...

    def subjects(self, spec: Mapping[str, Any]) -> list[tuple[str, str]]: ...

    def evaluate(self, spec: Mapping[str, Any], apps: Sequence[Any]) -> Outcome: ...


COMMON_KEYS = frozenset({"message", "learn"})
Problems = list[tuple[str | None, str]]


def validate_requirement(
    spec: Mapping[str, Any],
    *,
    subjects: Mapping[str, frozenset[str]],
    subject_help: str,
    check_name: Callable[[str, Any], str | None],
    check_property: Callable[[str, Any], list[str]],
    qualifiers: frozenset[str] = frozenset(),
) -> Problems:
    """The shape every topic's requirements share: exactly one subject (a key of `subjects`) with a valid name,
    at least one known property of it (`qualifiers` only narrow, they check nothing), each property validated by
    the topic, and the author's message. Problems are (key, message), the key locating the line."""
    named = [key for key in subjects if key in spec]
    if len(named) != 1:
        return [(None, f"a requirement names exactly one subject: {subject_help}")]
    subject = named[0]
    problems: Problems = []
    name_problem = check_name(subject, spec[subject])
    if name_problem:
        problems.append((subject, name_problem))
    allowed = subjects[subject]
    properties = [key for key in spec if key not in COMMON_KEYS and key != subject]
    if not [key for key in properties if key not in qualifiers]:
        problems.append((subject, "a requirement needs at least one property to check"))
    for key in properties:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            problems.append((key, f"unknown key '{key}' for a {subject} requirement (known: {known})"))
            continue
        problems.extend((key, message) for message in check_property(key, spec[key]))
    if not isinstance(spec.get("message"), str) or not spec.get("message", "").strip():
        problems.append(("message", "'message' is required: what the prompt asked for, in its terms"))
    return problems


def validate_range(value: Any, *, read: Callable[[Any], Any] | None = None, unit: str = "") -> list[str]:
    """`{min: N, max: N}` (either may be left out): whole numbers, or values `read` turns into numbers."""
    if not isinstance(value, Mapping) or not value or set(value) - {"min", "max"}:
        return ["a range is a mapping with 'min' and/or 'max'"]
    if read is None:
        bounds = [value.get("min"), value.get("max")]
        if any(b is not None and (not isinstance(b, int) or isinstance(b, bool)) for b in bounds):
            return ["'min' and 'max' are whole numbers"]
    else:
        bounds = [read(value[key]) if key in value else None for key in ("min", "max")]
        if any(key in value and bound is None for key, bound in zip(("min", "max"), bounds, strict=True)):
            return [f"'min' and 'max' are {unit}"]
    if None not in bounds and bounds[0] > bounds[1]:
        return ["'min' is above 'max'"]
    return []


def vocabulary(topic: str) -> Vocabulary | None:
    from courseware.footguns.registry import requirement_vocabulary

    return requirement_vocabulary(topic)  # type: ignore[return-value]


def evaluate(topic: str, requirements: Sequence[Mapping[str, Any]], apps: Sequence[Any]) -> list[RequirementResult]:
    words = vocabulary(topic)
    results = []
    for index, spec in enumerate(requirements):
        if words is None:
            outcome = Outcome(False, f"This checker has no requirement vocabulary for the topic {topic}.")
        else:
            try:
                outcome = words.evaluate(spec, apps)
            except Exception as error:  # noqa: BLE001 - a checker bug fails the requirement, never the check
                outcome = Outcome(False, f"The checker could not evaluate this requirement ({type(error).__name__}).")
        learn = spec.get("learn")
        results.append(
            RequirementResult(
                index=index,
                ok=outcome.ok,
                message=str(spec.get("message", "")),
                detail=outcome.detail,
                file=outcome.file,
                line=outcome.line,
                learn=learn if isinstance(learn, str) and learn else None,
            )
        )
    return results
