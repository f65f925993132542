"""Exercises in a topic's content pack: `exercises/<slug>/` loaded into immutable objects.

Pure: reads files, never the database. Registered with the topic loader from AppConfig.ready(), so
`manage.py check` reports every problem with file and line (docs/authoring.md "Exercises").
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from courseware.footguns.limits import ScanLimits
from courseware.footguns.registry import NAMES, lexer_for_path
from courseware.topics.content import SLUG, ContentError, Problems, Resolver, Topic, hash_folder
from courseware.topics.rendering import render_inline, render_markdown
from courseware.topics.yamlsource import LineDict, LineList, YamlError, load_yaml

EXTRA_NAME = "exercises"
FORMATS = NAMES
# Graded hints go from a pointer to the whole answer, in this order.
HINT_KINDS = ("primer", "fix", "street_ops", "minimal_change")
HINT_LABELS = {
    "primer": "Where the primer covers it",
    "fix": "What the fix is",
    "street_ops": "How to see it in production",
    "minimal_change": "The smallest change that passes",
}
KNOWN_KEYS = {
    "title",
    "summary",
    "difficulty",
    "format",
    "prompt",
    "targets",
    "anti_primer_hour",
    "hints",
    "solution_after_failed_checks",
    "accept",
    "scenario",
}
CASE_KINDS = ("wrong", "right")
WHY_FILE = "why.txt"
DIFFICULTY_LABELS = {1: "warm-up", 2: "realistic", 3: "hard"}
LIMITS = ScanLimits()


@dataclass(frozen=True)
class Hint:
    level: int
    kind: str
    html: str

    @property
    def label(self) -> str:
        return HINT_LABELS[self.kind]


@dataclass(frozen=True)
class ExerciseFile:
    path: str
    text: str

    @property
    def language(self) -> str:
        return lexer_for_path(self.path)


@dataclass(frozen=True)
class Case:
    """A learner's file set that the exercise must refuse (wrong/) or accept (right/)."""

    kind: str  # wrong | right
    slug: str
    why: str
    files: tuple[ExerciseFile, ...]
    source: str  # the case folder, relative to the content root

    def file_map(self) -> dict[str, str]:
        return {f.path: f.text for f in self.files}


@dataclass(frozen=True)
class Exercise:
    topic: str
    slug: str
    title: str
    summary: str
    difficulty: int
    format: str
    prompt: str
    targets: tuple[str, ...]
    anti_primer_hour: int | None
    hints: tuple[Hint, ...]
    solution_after_failed_checks: int
    starter: tuple[ExerciseFile, ...]
    solution: tuple[ExerciseFile, ...]
    content_hash: str
    source: str
    # The `accept:` requirements as plain JSON values (they travel to the sandbox child), with their lines.
    accept: tuple[dict[str, Any], ...] = ()
    accept_lines: tuple[int, ...] = ()
    folder: str = ""  # the exercise's folder, where its wrong/ and right/ cases are read from on demand
    scenario: str | None = None  # the traffic its "In production" panel replays (scenarios/<name>.yaml)
    scenario_line: int = 1

    @functools.cached_property
    def cases(self) -> tuple[Case, ...]:
        return read_cases(self)[0] if self.folder else ()

    @property
    def url(self) -> str:
        return f"/topics/{self.topic}/exercises/{self.slug}/"

    @property
    def difficulty_label(self) -> str:
        return DIFFICULTY_LABELS.get(self.difficulty, "")

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.starter)

    def starter_files(self) -> dict[str, str]:
        return {f.path: f.text for f in self.starter}

    def solution_files(self) -> dict[str, str]:
        return {f.path: f.text for f in self.solution}

    @property
    def engine(self) -> str:
        """The engine topic whose rules and requirement vocabulary grade this exercise (its targets' topic)."""
        return self.targets[0].split("/", 1)[0] if self.targets else self.topic

    def cases_of(self, kind: str) -> tuple[Case, ...]:
        return tuple(case for case in self.cases if case.kind == kind)

    def hint(self, level: int) -> Hint | None:
        return self.hints[level - 1] if 1 <= level <= len(self.hints) else None


def read_cases(exercise: Exercise) -> tuple[tuple[Case, ...], list[ContentError]]:
    """The exercise's wrong/ and right/ cases, and what is wrong with them (read on demand, not at start-up)."""
    root = Path(exercise.folder)
    problems = Problems(root.parent.parent)  # the topic folder: paths read "<topic>/exercises/..."
    names = set(exercise.paths)
    cases: list[Case] = []
    for kind in CASE_KINDS:
        folder = root / kind
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if not entry.is_dir() or not SLUG.match(entry.name):
                problems.error(entry, 1, f"a {kind}/ case is a folder named as a slug ([a-z0-9-])")
                continue
            case = _read_case(kind, entry, names, problems)
            if case is not None:
                cases.append(case)
    return tuple(cases), problems.errors + problems.warnings


def _read_case(kind: str, folder: Path, starter_names: set[str], problems: Problems) -> Case | None:
    why_path = folder / WHY_FILE
    why = why_path.read_text(encoding="utf-8").strip() if why_path.is_file() else ""
    if not why or "\n" in why:
        problems.error(
            why_path if why_path.exists() else folder, 1, f"{WHY_FILE} must hold one line: why this case is {kind}"
        )
    files = _read_files(folder, problems)
    if files is None:
        return None
    files = tuple(f for f in files if f.path != WHY_FILE)
    names = {f.path for f in files}
    if starter_names and names != starter_names:
        differ = ", ".join(sorted(names ^ starter_names))
        problems.error(folder, 1, f"a case holds exactly the starter's files; differs in: {differ}")
        return None
    return Case(kind, folder.name, why, files, problems.rel(folder))


def exercises_of(topic: Topic) -> tuple[Exercise, ...]:
    return topic.extras.get(EXTRA_NAME, ())


def exercise_of(topic: Topic, slug: str) -> Exercise | None:
    return next((e for e in exercises_of(topic) if e.slug == slug), None)


def _known_rule_ids() -> frozenset[str]:
    from courseware.footguns.registry import all_rules

    return frozenset(rule.id for rule in all_rules())


def _read_files(folder: Path, problems: Problems) -> tuple[ExerciseFile, ...] | None:
    if not folder.is_dir():
        problems.error(folder, 1, f"the '{folder.name}' folder is missing")
        return None
    files = []
    total = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(relative).parts):
            problems.warning(path, 1, f"hidden file '{relative}' is ignored")
            continue
        data = path.read_bytes()
        if len(data) > LIMITS.max_file_bytes:
            problems.error(path, 1, f"file is {len(data)} bytes, over the sandbox cap of {LIMITS.max_file_bytes}")
            continue
        total += len(data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            problems.error(path, line, "not valid UTF-8")
            continue
        files.append(ExerciseFile(relative, text.replace("\r\n", "\n")))
    if not files:
        problems.error(folder, 1, f"the '{folder.name}' folder has no files")
        return None
    if len(files) > LIMITS.max_files:
        problems.error(folder, 1, f"{len(files)} files, over the sandbox cap of {LIMITS.max_files}")
    if total > LIMITS.max_total_bytes:
        problems.error(folder, 1, f"{total} bytes in all, over the sandbox cap of {LIMITS.max_total_bytes}")
    return tuple(files)


class _ExerciseReader:
    def __init__(self, root: Path, topic: Topic, problems: Problems, resolver: Resolver) -> None:
        self.root = root
        self.topic = topic
        self.problems = problems
        self.resolver = resolver
        self.path = root / "exercise.yaml"

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def markdown(self, data: LineDict, key: str, *, inline: bool = False) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(data.line_of(key), f"'{key}' is required and must be text")
            return ""
        self.resolver.check(self.topic.slug, value, self.path, self.problems, base_line=data.line_of(key) - 1)
        resolve = self.resolver.for_topic(self.topic.slug)
        return render_inline(value, resolve) if inline else render_markdown(value, resolve).html

    def read(self) -> Exercise | None:
        slug = self.root.name
        if not SLUG.match(slug):
            self.problems.error(self.root, 1, f"exercise folder name '{slug}' is not a slug ([a-z0-9-])")
            return None
        if not self.path.is_file():
            self.error(1, "exercise.yaml is missing")
            return None
        try:
            data = load_yaml(self.path)
        except YamlError as exc:
            self.error(exc.line, exc.message)
            return None
        if not isinstance(data, LineDict):
            self.error(1, "exercise.yaml must be a mapping")
            return None
        for key in data:
            if key not in KNOWN_KEYS:
                self.error(data.line_of(key), f"unknown key '{key}'")
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            self.error(data.line_of("title"), "'title' is required and must be text")
            title = slug
        difficulty = data.get("difficulty")
        if not isinstance(difficulty, int) or isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
            self.error(data.line_of("difficulty"), "'difficulty' must be 1, 2 or 3")
            difficulty = 1
        fmt = data.get("format")
        if fmt not in FORMATS:
            self.error(data.line_of("format"), f"'format' must be one of {', '.join(FORMATS)}")
            fmt = "sam"
        accept, accept_lines = self.accept(data)
        starter = _read_files(self.root / "starter", self.problems)
        solution = _read_files(self.root / "solution", self.problems)
        if starter is not None and solution is not None:
            starter_names = {f.path for f in starter}
            solution_names = {f.path for f in solution}
            if starter_names != solution_names:
                missing = sorted(starter_names ^ solution_names)
                self.error(1, f"starter/ and solution/ must hold the same file names; differ in: {', '.join(missing)}")
        return Exercise(
            topic=self.topic.slug,
            slug=slug,
            title=title,
            summary=self.markdown(data, "summary", inline=True),
            difficulty=difficulty,
            format=fmt,
            prompt=self.markdown(data, "prompt"),
            targets=self.targets(data),
            anti_primer_hour=self.anti_primer_hour(data),
            hints=self.hints(data),
            solution_after_failed_checks=self.solution_after(data),
            starter=starter or (),
            solution=solution or (),
            content_hash=hash_folder(self.root, skip=CASE_KINDS),
            source=self.problems.rel(self.path),
            accept=accept,
            accept_lines=accept_lines,
            folder=str(self.root),
            scenario=self.scenario(data),
            scenario_line=data.line_of("scenario"),
        )

    def scenario(self, data: LineDict) -> str | None:
        if "scenario" not in data:
            return None
        name = data["scenario"]
        if not isinstance(name, str) or name not in self.topic.scenarios:
            known = ", ".join(sorted(self.topic.scenarios)) or "none yet"
            self.error(
                data.line_of("scenario"), f"scenario '{name}' is not in this topic's scenarios/ (known: {known})"
            )
            return None
        return name

    def targets(self, data: LineDict) -> tuple[str, ...]:
        raw = data.get("targets")
        if not isinstance(raw, LineList) or not raw:
            self.error(data.line_of("targets"), "'targets' must be a non-empty list of rule ids")
            return ()
        known = _known_rule_ids()
        targets: list[str] = []
        for index, item in enumerate(raw):
            if not isinstance(item, str) or item not in known:
                self.error(raw.line_of(index), f"target '{item}' is not a rule id of the footgun engine")
            elif item in targets:
                self.error(raw.line_of(index), f"target '{item}' repeats")
            else:
                targets.append(item)
        return tuple(targets)

    def accept(self, data: LineDict) -> tuple[tuple[dict[str, Any], ...], tuple[int, ...]]:
        from courseware.footguns.acceptance import vocabulary

        raw = data.get("accept")
        if raw is None:
            return (), ()
        if not isinstance(raw, LineList):
            self.error(data.line_of("accept"), "'accept' must be a list of requirements")
            return (), ()
        targets = data.get("targets")
        first = targets[0] if isinstance(targets, list) and targets and isinstance(targets[0], str) else ""
        engine = first.split("/", 1)[0] or self.topic.slug
        words = vocabulary(engine)
        if words is None:
            self.error(data.line_of("accept"), f"the footgun engine has no requirement vocabulary for '{engine}'")
            return (), ()
        specs, lines = [], []
        for index, item in enumerate(raw):
            line = raw.line_of(index)
            if not isinstance(item, LineDict):
                self.error(line, "each requirement is a mapping (see docs/authoring.md, 'Acceptance checks')")
                continue
            problems = words.validate(item)
            for key, message in problems:
                self.error(item.line_of(key) if key in item else line, message)
            learn = item.get("learn")
            if isinstance(learn, str):
                self.resolver.check(
                    self.topic.slug,
                    f"[[primer:{learn}]]",
                    self.path,
                    self.problems,
                    base_line=item.line_of("learn") - 1,
                )
            if not problems:
                specs.append(json.loads(json.dumps(item)))  # plain values: they go to the sandbox as JSON
                lines.append(line)
        return tuple(specs), tuple(lines)

    def anti_primer_hour(self, data: LineDict) -> int | None:
        if "anti_primer_hour" not in data:
            return None
        value = data["anti_primer_hour"]
        line = data.line_of("anti_primer_hour")
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(line, "'anti_primer_hour' must be a whole number")
            return None
        hours = {hour.hour for hour in self.topic.anti_primer.hours} if self.topic.anti_primer else set()
        if value not in hours:
            self.error(line, f"anti_primer_hour {value} is not an hour of this topic's anti-primer")
            return None
        return value

    def hints(self, data: LineDict) -> tuple[Hint, ...]:
        raw = data.get("hints")
        if raw is None:
            self.error(data.line, "'hints' is required (a list of graded hints)")
            return ()
        if not isinstance(raw, LineList) or not raw:
            self.error(data.line_of("hints"), "'hints' must be a non-empty list")
            return ()
        hints: list[Hint] = []
        last_rank = -1
        for index, item in enumerate(raw):
            if not isinstance(item, LineDict):
                self.error(raw.line_of(index), "each hint is a mapping with 'kind' and 'text'")
                continue
            kind = item.get("kind")
            if kind not in HINT_KINDS:
                self.error(item.line_of("kind"), f"hint kind must be one of {', '.join(HINT_KINDS)}")
                continue
            rank = HINT_KINDS.index(kind)
            if rank < last_rank:
                self.error(item.line_of("kind"), f"hints go in the order {' → '.join(HINT_KINDS)}")
            last_rank = max(last_rank, rank)
            hints.append(Hint(level=len(hints) + 1, kind=kind, html=self.markdown(item, "text")))
        return tuple(hints)

    def solution_after(self, data: LineDict) -> int:
        value = data.get("solution_after_failed_checks", 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.error(data.line_of("solution_after_failed_checks"), "'solution_after_failed_checks' must be 0 or more")
            return 0
        return value


def load_exercises(root: Path, topic: Topic, problems: Problems, resolver: Resolver) -> tuple[str, Any]:
    folder = root / "exercises"
    exercises: list[Exercise] = []
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if not entry.is_dir():
                problems.warning(entry, 1, f"unexpected file '{entry.name}' in exercises/ (ignored)")
                continue
            exercise = _ExerciseReader(entry, topic, problems, resolver).read()
            if exercise is not None:
                exercises.append(exercise)
    return EXTRA_NAME, tuple(exercises)
