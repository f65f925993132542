"""What a topic package gives the engine: its formats, how to read them, how to model them, its rules.

The engine core names no topic, service or format. A topic package (`courseware.footguns.<topic>`) exposes
one `ENGINE = TopicEngine(...)` in its `__init__`, built from plain data and small functions that import the
heavy parts (parsers, model builders, rules) only when called, so a run pays only for what its files need.
`courseware.footguns.registry` lists the topic packages; docs/engine.md walks through adding one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from courseware.footguns.loading import Loaded
    from courseware.footguns.rule import Rule


@dataclass(frozen=True)
class Format:
    """A config format as people see it: its name in reports, content and fixtures, and how it is highlighted."""

    name: str  # in reports ("format") and in content snippets (`format:`)
    label: str  # for people: "SAM YAML"
    fixture_extension: str  # rule fixtures `<rule>.<pass|fail>.<ext>` of this format
    lexer: str  # the Pygments lexer that highlights it


@dataclass(frozen=True)
class Reader:
    """How one kind of file is recognised and parsed.

    `claims(name, text)` is cheap (a name test or a regular expression, no parsing): it decides between
    topics that share a suffix (`.yaml` may be a SAM template or a Kubernetes manifest). `parse(path, text)`
    returns `(format name, document)`, the format being one of the topic's `formats` (a YAML template may turn
    out SAM or CloudFormation) or None when the file is not one after all; it raises `ParseError` with a line.
    """

    suffixes: tuple[str, ...]
    claims: Callable[[str, str], bool]
    parse: Callable[[str, str], tuple[str | None, Any]]


@dataclass
class Unit:
    """Files that describe one whole thing (a template, a Terraform folder, a set of manifests) and its model."""

    model: Any
    paths: list[str] = field(default_factory=list)
    # What the files define that rules report on (functions, workloads), by the name findings use.
    resources: set[str] = field(default_factory=set)
    # Values the model could not read (a timeout of "²", replicas of "three"): each becomes an `invalid-value`
    # finding at its line, so no learner input is silently taken as "not set".
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A value a unit's files hold that the platform would refuse (reported as `invalid-value`)."""

    file: str
    line: int | None
    resource: str | None
    message: str
    fix: str = "Write the value the platform expects, then check again."


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per topic
class TopicEngine:
    """What a topic package gives the engine: its formats, readers, units, rules and requirements."""

    slug: str  # the content topic it checks: content/<slug>/, rule ids `<slug>/<rule>`
    formats: tuple[Format, ...]
    readers: tuple[Reader, ...]
    # The topic's parsed files (`Loaded`, status ok, format of this topic) → the units its rules run on.
    build_units: Callable[[Sequence[Loaded]], list[Unit]]
    # Every rule of the topic, imported when first asked for.
    rules: Callable[[], tuple[Rule, ...]]
    # The `accept:` vocabulary of its exercises (see courseware.footguns.acceptance), or None.
    requirements: Callable[[], ModuleType] | None = None
    # Every module the functions above import lazily: a warm process that must not read files later (the
    # sandbox's zygote) imports them all up front.
    preload: tuple[str, ...] = ()
    # Small valid files of every format (path → text) and requirements over them: a warm process checks them
    # once so every parser and rule has run before the first real check (and the sandbox's self-test).
    sample_files: Mapping[str, str] = field(default_factory=dict)
    sample_requirements: tuple[Mapping[str, Any], ...] = ()
    # What its configs do under traffic (courseware.footguns.simulation): a module with KEYS, validate(scenario)
    # and simulate(models, scenario), imported when first asked for; None when the topic has no simulator.
    simulator: Callable[[], ModuleType] | None = None


def on_call(module: str, name: str | None = None) -> Callable[..., Any]:
    """What a topic hands the engine instead of importing its heavy parts: a function that imports `module` when
    it is called and then returns the module, returns its attribute `name`, or, when that attribute is a function,
    calls it with the arguments given."""

    def load(*args: Any) -> Any:
        loaded: Any = importlib.import_module(module)
        if name is None:
            return loaded
        found = getattr(loaded, name)
        return found(*args) if callable(found) else found

    return load
