"""What a rule is: metadata plus a check over the model. Rules report model locations."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from courseware.footguns.registry import FORMATS

# Formats a rule can support, and the fixture extension that stands for each.
FORMAT_EXTENSIONS = {f.name: f.fixture_extension for f in FORMATS}


@dataclass(frozen=True)
class Hit:
    """What a rule's check yields for one place; the engine turns it into a Finding."""

    file: str
    line: int | None
    resource: str | None
    message: str
    fix: str
    severity: str | None = None  # overrides the rule's severity for a weaker signal


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the model: today's date (for deprecated runtimes)."""

    today: datetime.date


@dataclass(frozen=True)
class Rule:
    """One named footgun check of a topic, run over that topic's model."""

    id: str
    footgun: str  # "<topic>/<footgun-slug>"
    severity: str
    summary: str
    formats: tuple[str, ...]
    check: Callable[[Any, Context], Iterable[Hit]]  # over the model of its topic

    @property
    def topic(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def footgun_slug(self) -> str:
        return self.footgun.split("/", 1)[1]

    @property
    def learn(self) -> str:
        return f"/topics/{self.topic}/footguns/#{self.footgun_slug}"
