"""The one list of topic packages, and of the formats they read: the CLI, rule fixtures, content validation,
rendering and exercise feedback all read it.

Importing this module imports each topic package's `__init__` only (plain data and small functions); parsers,
models and rules load when a file of theirs is checked. Add a topic by adding its package to `TOPICS`
(docs/engine.md).
"""

from __future__ import annotations

import posixpath
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from courseware.footguns import aws_lambda, kubernetes
from courseware.footguns.topic import Format, Reader, TopicEngine

if TYPE_CHECKING:
    from courseware.footguns.rule import Rule

TOPICS: tuple[TopicEngine, ...] = (aws_lambda.ENGINE, kubernetes.ENGINE)

FORMATS: tuple[Format, ...] = tuple(f for topic in TOPICS for f in topic.formats)
BY_NAME = {f.name: f for f in FORMATS}
NAMES = tuple(BY_NAME)
TOPIC_OF_FORMAT = {f.name: topic for topic in TOPICS for f in topic.formats}
READERS: tuple[tuple[TopicEngine, Reader], ...] = tuple((topic, r) for topic in TOPICS for r in topic.readers)
SUFFIXES = tuple(sorted({suffix for _, reader in READERS for suffix in reader.suffixes}))
# Course snippets may also show plain JSON (an IAM policy, an event), which no rule reads.
SNIPPET_LEXERS = {**{f.name: f.lexer for f in FORMATS}, "json": "json", "hcl": "terraform"}
_SUFFIX_LEXERS = {".json": "json", ".tf": "terraform", ".py": "python", ".yaml": "yaml", ".yml": "yaml"}


def lexer_for_path(path: str) -> str:
    """The lexer for a learner's file by its name (YAML where the suffix says nothing)."""
    return _SUFFIX_LEXERS.get(posixpath.splitext(path)[1].lower(), "yaml")


def engine(slug: str) -> TopicEngine | None:
    return next((topic for topic in TOPICS if topic.slug == slug), None)


def rules_of(slug: str) -> tuple[Rule, ...]:
    topic = engine(slug)
    return topic.rules() if topic is not None else ()


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every topic (imports them all: for documentation, content checks and dashboards)."""
    return tuple(rule for topic in TOPICS for rule in topic.rules())


def requirement_vocabulary(slug: str) -> ModuleType | None:
    topic = engine(slug)
    return topic.requirements() if topic is not None and topic.requirements is not None else None
