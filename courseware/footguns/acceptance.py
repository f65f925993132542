"""Acceptance checks: an exercise's `accept:` requirements, evaluated on the model next to the rules.

Rules say what is dangerous anywhere; requirements say what one prompt asked for. A requirement is a
plain mapping from content (validated by the topic's vocabulary when the content loads) and its result a
`RequirementResult`. The core knows no vocabulary: each topic package brings its own
(`courseware.footguns.<topic>.requirements`, declared by the topic's `ENGINE`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
