"""Loading and validating content packs into immutable objects.

Pure: reads files under the content folder, never the database. Every problem becomes a
ContentError naming file and line; the system check in checks.py reports them.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from courseware.footguns.registry import NAMES, SNIPPET_LEXERS

from .rendering import Heading, Rendered, XRef, highlight, render_inline, render_markdown, scan_headings, scan_xrefs
from .yamlsource import LineDict, LineList, YamlError, load_yaml

PAGE_KINDS = ("primer", "footguns", "street_ops", "anti_primer", "trivia")
PAGE_TITLES = {
    "primer": "Primer",
    "footguns": "Footguns",
    "street_ops": "Street ops",
    "anti_primer": "Anti-primer",
    "trivia": "Trivia",
}
PAGE_BLURBS = {
    "primer": "The right way, step by step",
    "footguns": "The named mistakes, and what they cost",
    "street_ops": "How it is done in practice: commands and runbooks",
    "anti_primer": "An incident where the mistakes go off",
    "trivia": "Facts worth knowing",
}
PAGE_FILES = {
    "primer": "primer.md",
    "footguns": "footguns.yaml",
    "street_ops": "street_ops.md",
    "anti_primer": "anti_primer.yaml",
    "trivia": "trivia.md",
}
MARKDOWN_PAGES = ("primer", "street_ops", "trivia")
ANCHORED_PAGES = ("primer", "street_ops")
KNOWN_ENTRIES = {"topic.yaml", *PAGE_FILES.values(), "quizzes", "exercises", "scenarios", "README.md"}
SEVERITIES = ("error", "warning", "info")
SNIPPET_FORMATS = (*NAMES, "json")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class TopicRef:
    title: str
    slug: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Snippet:
    kind: str
    format: str
    title: str
    code: str
    html: str


@dataclass(frozen=True)
class Footgun:
    topic: str
    slug: str
    title: str
    severity: str
    primer: str
    mistake: str
    consequence: str
    prevention: str
    body: str
    snippets: tuple[Snippet, ...]
    number: int

    @property
    def id(self) -> str:
        return f"{self.topic}/{self.slug}"

    @property
    def url(self) -> str:
        return f"/topics/{self.topic}/footguns/#{self.slug}"

    @property
    def primer_url(self) -> str:
        return f"/topics/{self.topic}/primer/#{self.primer}"


@dataclass(frozen=True)
class Choice:
    label: str
    outcome: str


@dataclass(frozen=True)
class Hour:
    hour: int
    footgun: str
    title: str
    story: str
    consequence: str
    aftermath: str
    prompt: str
    shortcut: Choice
    primer_way: Choice


@dataclass(frozen=True)
class AntiPrimer:
    title: str
    setup: str
    hours: tuple[Hour, ...]
    damage: tuple[tuple[str, str], ...]
    closing: str
    scenario: str | None = None  # the story's traffic (scenarios/<name>.yaml), replayed on the page


@dataclass(frozen=True)
class Page:
    kind: str
    title: str
    html: str
    toc: tuple[Heading, ...]
    words: int
    path: str


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    summary: str
    level: int
    prerequisites: tuple[TopicRef, ...]
    related: tuple[TopicRef, ...]
    page_order: tuple[str, ...]
    pages: dict[str, Page]
    footguns: tuple[Footgun, ...]
    anti_primer: AntiPrimer | None
    content_hash: str
    extras: dict[str, Any] = field(default_factory=dict)
    # Traffic for the simulator (scenarios/<name>.yaml), by name: courseware.footguns.simulation.Scenario.
    scenarios: dict[str, Any] = field(default_factory=dict)

    def footgun(self, slug: str) -> Footgun | None:
        return next((f for f in self.footguns if f.slug == slug), None)

    @property
    def url(self) -> str:
        return f"/topics/{self.slug}/"


@dataclass(frozen=True)
class Library:
    topics: dict[str, Topic]
    errors: tuple[ContentError, ...]
    warnings: tuple[ContentError, ...]
    content_hash: str

    def topic(self, slug: str) -> Topic | None:
        return self.topics.get(slug)


class Problems:
    """Collects errors and warnings for one topic while it loads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int, message: str) -> None:
        self.errors.append(ContentError(self.rel(path), line, message))

    def warning(self, path: Path, line: int, message: str) -> None:
        self.warnings.append(ContentError(self.rel(path), line, message))


# Loaders for the parts of a topic that other apps own (quizzes, exercises). Each receives the
# topic folder, the partly built topic and the problem collector and returns its extras.
# Registered explicitly by those apps' AppConfig.ready(), in a fixed order.
ExtraLoader = Callable[[Path, "Topic", Problems, "Resolver"], tuple[str, Any]]
EXTRA_LOADERS: list[ExtraLoader] = []


def register_extra_loader(loader: ExtraLoader) -> None:
    if loader not in EXTRA_LOADERS:
        EXTRA_LOADERS.append(loader)


class Resolver:
    """Resolves cross references across all topics once every topic's anchors are known."""

    def __init__(self) -> None:
        self.footguns: dict[tuple[str, str], str] = {}
        self.anchors: dict[tuple[str, str, str], str] = {}
        self.topics: dict[str, str] = {}
        # Topics whose catalogue did not load: their footgun references are not reported again.
        self.unloaded_catalogues: set[str] = set()

    def resolve(self, topic: str, ref: XRef) -> tuple[str, str] | None:
        if ref.kind == "footgun":
            title = self.footguns.get((topic, ref.target))
            return (f"/topics/{topic}/footguns/#{ref.target}", title) if title else None
        if ref.kind in ANCHORED_PAGES:
            text = self.anchors.get((topic, ref.kind, ref.target))
            return (f"/topics/{topic}/{ref.kind}/#{ref.target}", text) if text else None
        if ref.kind == "topic":
            title = self.topics.get(ref.target)
            return (f"/topics/{ref.target}/", title) if title else None
        return None

    def for_topic(self, topic: str) -> Callable[[XRef], tuple[str, str] | None]:
        return lambda ref: self.resolve(topic, ref)

    def check(self, topic: str, text: str, path: Path, problems: Problems, base_line: int = 0) -> None:
        for ref in scan_xrefs(text):
            if ref.kind not in (*ANCHORED_PAGES, "footgun", "topic"):
                problems.error(path, base_line + ref.line, f"unknown cross reference kind '{ref.kind}'")
            elif ref.kind == "footgun" and topic in self.unloaded_catalogues:
                continue
            elif self.resolve(topic, ref) is None:
                problems.error(path, base_line + ref.line, f"cross reference [[{ref.kind}:{ref.target}]] has no target")


def _text(data: LineDict, key: str, path: Path, problems: Problems, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None:
        if required:
            problems.error(path, data.line, f"'{key}' is required")
        return ""
    if not isinstance(value, str | int | float):
        problems.error(path, data.line_of(key), f"'{key}' must be text")
        return ""
    return str(value)


def _mapping(value: Any, path: Path, line: int, what: str, problems: Problems) -> LineDict | None:
    if isinstance(value, LineDict):
        return value
    problems.error(path, line, f"{what} must be a mapping")
    return None


def _topic_refs(data: LineDict, key: str, path: Path, problems: Problems) -> tuple[TopicRef, ...]:
    items = data.get(key) or []
    if not isinstance(items, LineList):
        problems.error(path, data.line_of(key), f"'{key}' must be a list")
        return ()
    refs = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            refs.append(TopicRef(title=item, slug=item))
        elif isinstance(item, LineDict) and isinstance(item.get("title"), str):
            refs.append(TopicRef(title=item["title"], note=str(item.get("note", ""))))
        else:
            problems.error(path, items.line_of(index), f"each of '{key}' is a topic slug or {{title, note}}")
    return tuple(refs)


@dataclass
class _Draft:
    slug: str
    root: Path
    meta: LineDict
    markdown: dict[str, str] = field(default_factory=dict)
    footguns: LineList | None = None
    anti_primer: LineDict | None = None
    hash: str = ""


def hash_folder(root: Path, skip: tuple[str, ...] = (), *, skip_cases: bool = False) -> str:
    """A short content hash of every file under root (names and bytes), stored with what people do.

    `skip` names top-level folders left out; `skip_cases` leaves out exercises/<slug>/wrong|right/ under a topic
    (test cases of the checker, not course content). Pruned folders are never walked, so start-up stays fast.
    """
    files: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(root):
        relative = Path(folder).relative_to(root).parts
        pruned = set(skip) if not relative else set()
        if skip_cases and len(relative) == 2 and relative[0] == "exercises":
            pruned |= {"wrong", "right"}
        dirs[:] = [d for d in dirs if d not in pruned]
        files.extend(("/".join((*relative, name)), Path(folder) / name) for name in names)
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _read_draft(root: Path, problems: Problems) -> _Draft | None:
    slug = root.name
    if not SLUG.match(slug):
        problems.error(root, 1, f"topic folder name '{slug}' is not a slug ([a-z0-9-])")
        return None
    for entry in sorted(root.iterdir()):
        if entry.name not in KNOWN_ENTRIES and not entry.name.startswith("."):
            problems.warning(entry, 1, f"unexpected file '{entry.name}' in a topic folder (ignored)")
    for folder in ("quizzes", "exercises", "scenarios"):
        if (root / folder).exists() and not (root / folder).is_dir():
            problems.error(root / folder, 1, f"'{folder}' must be a folder")
    meta_path = root / "topic.yaml"
    if not meta_path.is_file():
        problems.error(meta_path, 1, "topic.yaml is missing")
        return None
    try:
        meta = load_yaml(meta_path)
    except YamlError as exc:
        problems.error(meta_path, exc.line, exc.message)
        return None
    meta = _mapping(meta, meta_path, 1, "topic.yaml", problems)
    if meta is None:
        return None
    # An exercise's wrong/ and right/ cases test the checker; they are not course content learners see.
    draft = _Draft(slug=slug, root=root, meta=meta, hash=hash_folder(root, skip_cases=True))
    for kind in MARKDOWN_PAGES:
        path = root / PAGE_FILES[kind]
        if not path.is_file():
            problems.error(path, 1, f"{PAGE_FILES[kind]} is missing")
            continue
        try:
            draft.markdown[kind] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.error(path, 1, "not valid UTF-8")
    for kind in ("footguns", "anti_primer"):
        path = root / PAGE_FILES[kind]
        if not path.is_file():
            problems.error(path, 1, f"{PAGE_FILES[kind]} is missing")
            continue
        try:
            data = load_yaml(path)
        except YamlError as exc:
            problems.error(path, exc.line, exc.message)
            continue
        if kind == "footguns":
            data = _mapping(data, path, 1, "footguns.yaml", problems)
            items = data.get("footguns") if data else None
            if data is not None and not isinstance(items, LineList):
                problems.error(path, data.line, "footguns.yaml needs a list 'footguns'")
                items = None
            draft.footguns = items
        else:
            draft.anti_primer = _mapping(data, path, 1, "anti_primer.yaml", problems)
    return draft


def _register_anchors(draft: _Draft, resolver: Resolver, problems: Problems) -> None:
    resolver.topics[draft.slug] = str(draft.meta.get("title", draft.slug))
    for kind in ANCHORED_PAGES:
        text = draft.markdown.get(kind)
        if text is None:
            continue
        path = draft.root / PAGE_FILES[kind]
        seen: dict[str, int] = {}
        for heading in scan_headings(text):
            if heading.anchor in seen:
                problems.error(
                    path, heading.line, f"anchor '{heading.anchor}' repeats (first at line {seen[heading.anchor]})"
                )
            seen[heading.anchor] = heading.line
            if heading.level == 2 and not heading.explicit:
                problems.error(path, heading.line, f"'## {heading.text}' needs a stable anchor: add {{#anchor}}")
            resolver.anchors[(draft.slug, kind, heading.anchor)] = heading.text
    if draft.footguns is None:
        resolver.unloaded_catalogues.add(draft.slug)
    for item in draft.footguns or []:
        if isinstance(item, LineDict) and isinstance(item.get("slug"), str):
            resolver.footguns[(draft.slug, item["slug"])] = str(item.get("title", item["slug"]))


def _build_footguns(draft: _Draft, resolver: Resolver, problems: Problems) -> tuple[Footgun, ...]:
    path = draft.root / PAGE_FILES["footguns"]
    resolve = resolver.for_topic(draft.slug)
    result: list[Footgun] = []
    seen: set[str] = set()
    for index, item in enumerate(draft.footguns or []):
        if not isinstance(item, LineDict):
            problems.error(path, draft.footguns.line_of(index), "each footgun must be a mapping")
            continue
        slug = _text(item, "slug", path, problems)
        if slug and not SLUG.match(slug):
            problems.error(path, item.line_of("slug"), f"footgun slug '{slug}' is not [a-z0-9-]")
        if slug in seen:
            problems.error(path, item.line_of("slug"), f"footgun slug '{slug}' repeats")
        seen.add(slug)
        severity = _text(item, "severity", path, problems)
        if severity and severity not in SEVERITIES:
            problems.error(path, item.line_of("severity"), f"severity must be one of {', '.join(SEVERITIES)}")
        primer = _text(item, "primer", path, problems)
        if primer and (draft.slug, "primer", primer) not in resolver.anchors:
            problems.error(path, item.line_of("primer"), f"primer anchor '{primer}' does not exist in primer.md")
        fields = {}
        for key in ("mistake", "consequence", "prevention", "body"):
            value = _text(item, key, path, problems, required=key != "body")
            resolver.check(draft.slug, value, path, problems, base_line=item.line_of(key) - 1)
            fields[key] = render_inline(value, resolve) if key != "body" else render_markdown(value, resolve).html
        snippets = []
        raw_snippets = item.get("snippets") or []
        if not isinstance(raw_snippets, LineList):
            problems.error(path, item.line_of("snippets"), "'snippets' must be a list")
            raw_snippets = LineList()
            raw_snippets.item_lines = []
        for s_index, raw in enumerate(raw_snippets):
            line = raw_snippets.line_of(s_index)
            if not isinstance(raw, LineDict):
                problems.error(path, line, "each snippet must be a mapping")
                continue
            kind = _text(raw, "kind", path, problems)
            fmt = _text(raw, "format", path, problems)
            code = _text(raw, "code", path, problems)
            if kind and kind not in ("wrong", "right"):
                problems.error(path, raw.line_of("kind"), "snippet kind must be 'wrong' or 'right'")
            if fmt and fmt not in SNIPPET_FORMATS:
                problems.error(
                    path, raw.line_of("format"), f"snippet format must be one of {', '.join(SNIPPET_FORMATS)}"
                )
            language = SNIPPET_LEXERS.get(fmt or "", "yaml")
            snippets.append(
                Snippet(
                    kind=kind, format=fmt, title=str(raw.get("title", "")), code=code, html=highlight(code, language)
                )
            )
        kinds = {s.kind for s in snippets}
        if not {"wrong", "right"} <= kinds:
            problems.error(path, item.line, f"footgun '{slug}' needs at least one wrong and one right snippet")
        result.append(
            Footgun(
                topic=draft.slug,
                slug=slug,
                title=_text(item, "title", path, problems),
                severity=severity,
                primer=primer,
                mistake=fields["mistake"],
                consequence=fields["consequence"],
                prevention=fields["prevention"],
                body=fields["body"],
                snippets=tuple(snippets),
                number=len(result) + 1,
            )
        )
    if draft.footguns is not None and not result:
        problems.error(path, 1, "the catalogue lists no footguns")
    return tuple(result)


def _choice(raw: Any, path: Path, line: int, name: str, problems: Problems, resolve: Callable) -> Choice:
    data = _mapping(raw, path, line, f"'{name}'", problems)
    if data is None:
        return Choice("", "")
    return Choice(
        label=_text(data, "label", path, problems),
        outcome=render_markdown(_text(data, "outcome", path, problems), resolve).html,
    )


def _build_anti_primer(
    draft: _Draft, resolver: Resolver, problems: Problems, scenarios: dict[str, Any]
) -> AntiPrimer | None:
    data = draft.anti_primer
    if data is None:
        return None
    path = draft.root / PAGE_FILES["anti_primer"]
    resolve = resolver.for_topic(draft.slug)

    def md(value: str, line: int) -> str:
        resolver.check(draft.slug, value, path, problems, base_line=line - 1)
        return render_markdown(value, resolve).html

    hours = []
    raw_hours = data.get("hours")
    if not isinstance(raw_hours, LineList) or not raw_hours:
        problems.error(path, data.line_of("hours"), "'hours' must be a non-empty list")
        raw_hours = []
    for index, raw in enumerate(raw_hours):
        item = _mapping(raw, path, raw_hours.line_of(index), "each hour", problems)
        if item is None:
            continue
        footgun = _text(item, "footgun", path, problems)
        if (
            footgun
            and draft.slug not in resolver.unloaded_catalogues
            and (draft.slug, footgun) not in resolver.footguns
        ):
            problems.error(path, item.line_of("footgun"), f"footgun '{footgun}' is not in footguns.yaml")
        hour_value = item.get("hour")
        if not isinstance(hour_value, int):
            problems.error(path, item.line_of("hour"), "'hour' must be a whole number")
            hour_value = index
        decision = _mapping(item.get("decision"), path, item.line_of("decision"), "'decision'", problems)
        if decision is None:
            decision = LineDict()
            decision.key_lines = {}
        hours.append(
            Hour(
                hour=hour_value,
                footgun=footgun,
                title=_text(item, "title", path, problems),
                story=md(_text(item, "story", path, problems), item.line_of("story")),
                consequence=md(_text(item, "consequence", path, problems), item.line_of("consequence")),
                aftermath=md(_text(item, "aftermath", path, problems, required=False), item.line_of("aftermath")),
                prompt=md(_text(decision, "prompt", path, problems), decision.line_of("prompt")),
                shortcut=_choice(
                    decision.get("shortcut"), path, decision.line_of("shortcut"), "shortcut", problems, resolve
                ),
                primer_way=_choice(
                    decision.get("primer_way"), path, decision.line_of("primer_way"), "primer_way", problems, resolve
                ),
            )
        )
    damage = []
    raw_damage = data.get("damage") or []
    if not isinstance(raw_damage, LineList):
        problems.error(path, data.line_of("damage"), "'damage' must be a list of {label, value}")
        raw_damage = []
    for index, raw in enumerate(raw_damage):
        item = _mapping(raw, path, raw_damage.line_of(index), "each damage item", problems)
        if item is not None:
            damage.append((_text(item, "label", path, problems), render_inline(_text(item, "value", path, problems))))
    scenario = data.get("scenario")
    if scenario is not None and (not isinstance(scenario, str) or scenario not in scenarios):
        problems.error(
            path, data.line_of("scenario"), f"scenario '{scenario}' is not in scenarios/ (scenarios/<name>.yaml)"
        )
        scenario = None
    return AntiPrimer(
        scenario=scenario,
        title=_text(data, "title", path, problems),
        setup=md(_text(data, "setup", path, problems), data.line_of("setup")),
        hours=tuple(hours),
        damage=tuple(damage),
        closing=md(_text(data, "closing", path, problems, required=False), data.line_of("closing")),
    )


def _build_topic(draft: _Draft, resolver: Resolver, problems: Problems) -> Topic:
    meta = draft.meta
    meta_path = draft.root / "topic.yaml"
    resolve = resolver.for_topic(draft.slug)
    title = _text(meta, "title", meta_path, problems)
    level = meta.get("level", 1)
    if not isinstance(level, int) or level not in (1, 2, 3):
        problems.error(meta_path, meta.line_of("level"), "'level' must be 1, 2 or 3")
        level = 1
    order = meta.get("pages", list(PAGE_KINDS))
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(PAGE_KINDS):
        problems.error(meta_path, meta.line_of("pages"), f"'pages' must list each of {', '.join(PAGE_KINDS)} once")
        order = list(PAGE_KINDS)
    pages: dict[str, Page] = {}
    for kind in MARKDOWN_PAGES:
        text = draft.markdown.get(kind)
        if text is None:
            continue
        path = draft.root / PAGE_FILES[kind]
        resolver.check(draft.slug, text, path, problems)
        rendered: Rendered = render_markdown(text, resolve)
        pages[kind] = Page(kind, PAGE_TITLES[kind], rendered.html, rendered.toc, rendered.words, problems.rel(path))
    footguns = _build_footguns(draft, resolver, problems)
    scenarios = _load_scenarios(draft, problems)
    anti_primer = _build_anti_primer(draft, resolver, problems, scenarios)
    for kind in ("footguns", "anti_primer"):
        path = draft.root / PAGE_FILES[kind]
        pages[kind] = Page(kind, PAGE_TITLES[kind], "", (), 0, problems.rel(path))
    topic = Topic(
        slug=draft.slug,
        title=title,
        summary=render_inline(_text(meta, "summary", meta_path, problems)),
        level=level,
        prerequisites=_topic_refs(meta, "prerequisites", meta_path, problems),
        related=_topic_refs(meta, "related", meta_path, problems),
        page_order=tuple(order),
        pages=pages,
        footguns=footguns,
        anti_primer=anti_primer,
        content_hash=draft.hash,
        scenarios=scenarios,
    )
    for loader in EXTRA_LOADERS:
        name, value = loader(draft.root, topic, problems, resolver)
        topic.extras[name] = value
    return topic


def _load_scenarios(draft: _Draft, problems: Problems) -> dict[str, Any]:
    """scenarios/<name>.yaml, checked by the simulator of the topic's engine (every problem with its line)."""
    folder = draft.root / "scenarios"
    if not folder.is_dir():
        return {}
    from courseware.footguns.simulation import NAME_RE, read_scenario

    scenarios: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".yaml" or not NAME_RE.match(path.stem):
            problems.warning(path, 1, f"unexpected file '{path.name}' in scenarios/ (a scenario is <name>.yaml)")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.error(path, 1, "not valid UTF-8")
            continue
        scenario, found = read_scenario(text, topic=draft.slug, name=path.stem, source=problems.rel(path))
        for problem in found:
            problems.error(path, problem.line or 1, problem.message)
        if scenario is not None:
            scenarios[path.stem] = scenario
    return scenarios


def load_library(content_dir: Path) -> Library:
    """Load every topic under content_dir. Never raises for bad content: problems are returned."""
    all_errors: list[ContentError] = []
    all_warnings: list[ContentError] = []
    drafts: list[tuple[_Draft, Problems]] = []
    resolver = Resolver()
    if not content_dir.is_dir():
        return Library({}, (ContentError(str(content_dir), 1, "content folder is missing"),), (), "")
    for root in sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        problems = Problems(root)
        draft = _read_draft(root, problems)
        if draft is not None:
            drafts.append((draft, problems))
            _register_anchors(draft, resolver, problems)
        else:
            all_errors.extend(problems.errors)
            all_warnings.extend(problems.warnings)
    topics: dict[str, Topic] = {}
    for draft, problems in drafts:
        topic = _build_topic(draft, resolver, problems)
        for ref in (*topic.prerequisites, *topic.related):
            if ref.slug is not None and ref.slug not in resolver.topics:
                problems.error(draft.root / "topic.yaml", draft.meta.line, f"topic '{ref.slug}' is not installed")
        topics[topic.slug] = topic
        all_errors.extend(problems.errors)
        all_warnings.extend(problems.warnings)
    _link_topics_by_title(topics)
    digest = hashlib.sha256("".join(t.content_hash for t in topics.values()).encode()).hexdigest()[:16]
    return Library(topics, tuple(all_errors), tuple(all_warnings), digest)


def _link_topics_by_title(topics: dict[str, Topic]) -> None:
    """A prerequisite or related topic named by the title of an installed topic links to it."""
    by_title = {topic.title.casefold(): slug for slug, topic in topics.items()}

    def linked(refs: tuple[TopicRef, ...], own: str) -> tuple[TopicRef, ...]:
        return tuple(
            replace(ref, slug=by_title[ref.title.casefold()])
            if ref.slug is None and by_title.get(ref.title.casefold(), own) != own
            else ref
            for ref in refs
        )

    for slug, topic in topics.items():
        topics[slug] = replace(
            topic, prerequisites=linked(topic.prerequisites, slug), related=linked(topic.related, slug)
        )
