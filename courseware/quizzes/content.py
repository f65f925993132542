"""Loading `content/<topic>/quizzes/*.yaml` into immutable quizzes, validated with file and line.

Pure: no database. Registered as an extra loader of the topic content (see apps.py), so quizzes are
loaded, cached and checked (`manage.py check`) together with the rest of the topic.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from courseware.footguns.registry import SNIPPET_LEXERS
from courseware.topics.content import SLUG, Problems, Resolver, Topic
from courseware.topics.rendering import XRef, highlight, render_inline, render_markdown
from courseware.topics.yamlsource import LineDict, LineList, YamlError, load_yaml

KINDS = ("single", "multiple", "true_false", "numeric", "ordering", "spot_the_footgun")
MODES = ("one_at_a_time", "one_page")
# Plain languages, and every format of the engine's registry (highlighted by its lexer).
SNIPPET_LANGUAGES = tuple(dict.fromkeys(("yaml", "hcl", "json", "python", *SNIPPET_LEXERS)))
LEARN = re.compile(r"^(footgun|primer|street_ops):([a-z0-9][a-z0-9-]{0,80})$")
TOLERANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")
MAX_SNIPPET_LINES = 200
QUIZ_KEYS = {"title", "description", "mode", "pass_mark", "shuffle", "questions"}
COMMON_KEYS = {"id", "kind", "prompt", "learn", "explanation"}
KIND_KEYS = {
    "single": {"choices"},
    "multiple": {"choices"},
    "true_false": {"answer", "feedback"},
    "numeric": {"answer", "tolerance", "unit", "feedback"},
    "ordering": {"items", "feedback"},
    "spot_the_footgun": {"language", "snippet", "lines", "feedback"},
}
LEARN_LABELS = {"footgun": "Footgun", "primer": "Primer", "street_ops": "Street ops"}


@dataclass(frozen=True)
class Learn:
    kind: str
    target: str
    url: str
    title: str

    @property
    def label(self) -> str:
        return f"{LEARN_LABELS[self.kind]}: {self.title}"


@dataclass(frozen=True)
class Choice:
    id: str
    html: str
    correct: bool = False
    feedback_html: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    html: str


@dataclass(frozen=True)
class NumericKey:
    value: Decimal
    tolerance: Decimal
    relative: bool
    unit: str

    @property
    def display(self) -> str:
        return f"{self.value.normalize():,f} {self.unit}".strip()


@dataclass(frozen=True)
class SnippetLine:
    number: int
    html: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    number: int
    prompt_html: str
    explanation_html: str
    learn: Learn
    footgun: str = ""
    primer: str = ""
    feedback_html: str = ""
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    numeric: NumericKey | None = None
    items: tuple[Item, ...] = ()
    language: str = ""
    snippet_lines: tuple[SnippetLine, ...] = ()
    lines: frozenset[int] = frozenset()

    max_score = 1.0

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Quiz:
    topic: str
    slug: str
    title: str
    description_html: str
    mode: str
    pass_mark: float
    shuffle: bool
    questions: tuple[Question, ...]
    content_hash: str
    path: str
    _index: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    @property
    def url(self) -> str:
        return f"/topics/{self.topic}/quizzes/{self.slug}/"

    @property
    def max_score(self) -> float:
        return float(len(self.questions))


def quizzes_of(topic: Topic) -> dict[str, Quiz]:
    return topic.extras.get("quizzes", {})


class _Builder:
    """Builds one quiz file, reporting every problem with its line."""

    def __init__(self, path: Path, topic: Topic, problems: Problems, resolver: Resolver) -> None:
        self.path = path
        self.topic = topic
        self.problems = problems
        self.resolver = resolver
        self.resolve = resolver.for_topic(topic.slug)

    def error(self, line: int, message: str) -> None:
        self.problems.error(self.path, line, message)

    def warning(self, line: int, message: str) -> None:
        self.problems.warning(self.path, line, message)

    def text(self, data: LineDict, key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.line, f"'{key}' is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(data.line_of(key), f"'{key}' must be text")
            return ""
        return str(value)

    def markdown(self, data: LineDict, key: str, *, required: bool = True, inline: bool = False) -> str:
        value = self.text(data, key, required=required)
        if not value:
            return ""
        self.resolver.check(self.topic.slug, value, self.path, self.problems, base_line=data.line_of(key) - 1)
        return render_inline(value, self.resolve) if inline else render_markdown(value, self.resolve).html

    def slug(self, data: LineDict, key: str, what: str, seen: dict[str, int]) -> str:
        value = self.text(data, key)
        line = data.line_of(key)
        if value and not SLUG.match(value):
            self.error(line, f"{what} '{value}' is not slug-like ([a-z0-9-], starting with a letter or digit)")
        elif value in seen:
            self.error(line, f"{what} '{value}' repeats (first at line {seen[value]})")
        elif value:
            seen[value] = line
        return value

    def build(self) -> Quiz | None:
        slug = self.path.stem
        if not SLUG.match(slug):
            self.error(1, f"quiz file name '{self.path.name}' is not a slug ([a-z0-9-].yaml)")
            return None
        try:
            raw = self.path.read_bytes()
            data = load_yaml(self.path)
        except YamlError as exc:
            self.error(exc.line, exc.message)
            return None
        if not isinstance(data, LineDict):
            self.error(1, "a quiz file must be a mapping with 'title' and 'questions'")
            return None
        for key in data:
            if key not in QUIZ_KEYS:
                self.warning(data.line_of(key), f"unknown key '{key}' (ignored)")
        mode = self.text(data, "mode", required=False) or "one_at_a_time"
        if mode not in MODES:
            self.error(data.line_of("mode"), f"'mode' must be one of {', '.join(MODES)}")
            mode = "one_at_a_time"
        pass_mark = data.get("pass_mark", 0.8)
        if isinstance(pass_mark, bool) or not isinstance(pass_mark, int | float) or not 0 <= pass_mark <= 1:
            self.error(data.line_of("pass_mark"), "'pass_mark' must be a number from 0 to 1")
            pass_mark = 0.8
        shuffle = data.get("shuffle", True)
        if not isinstance(shuffle, bool):
            self.error(data.line_of("shuffle"), "'shuffle' must be true or false")
            shuffle = True
        raw_questions = data.get("questions")
        questions: list[Question] = []
        if not isinstance(raw_questions, LineList) or not raw_questions:
            self.error(data.line_of("questions"), "'questions' must be a non-empty list")
        else:
            seen: dict[str, int] = {}
            for index, item in enumerate(raw_questions):
                if not isinstance(item, LineDict):
                    self.error(raw_questions.line_of(index), "each question must be a mapping")
                    continue
                question = self.question(item, len(questions) + 1, seen)
                if question is not None:
                    questions.append(question)
        return Quiz(
            topic=self.topic.slug,
            slug=slug,
            title=self.text(data, "title"),
            description_html=self.markdown(data, "description", required=False),
            mode=mode,
            pass_mark=float(pass_mark),
            shuffle=shuffle,
            questions=tuple(questions),
            content_hash=hashlib.sha256(raw).hexdigest()[:16],
            path=self.problems.rel(self.path),
        )

    def learn(self, data: LineDict) -> Learn | None:
        value = self.text(data, "learn")
        if not value:
            return None
        line = data.line_of("learn")
        match = LEARN.match(value)
        if not match:
            self.error(line, "'learn' must be footgun:<slug>, primer:<anchor> or street_ops:<anchor>")
            return None
        kind, target = match.groups()
        if kind == "footgun" and self.topic.slug in self.resolver.unloaded_catalogues:
            return None
        resolved = self.resolver.resolve(self.topic.slug, XRef(kind=kind, target=target, label=None, line=line))
        if resolved is None:
            self.error(line, f"'learn' target {value} does not exist")
            return None
        url, title = resolved
        return Learn(kind=kind, target=target, url=url, title=title)

    def question(self, data: LineDict, number: int, seen: dict[str, int]) -> Question | None:
        qid = self.slug(data, "id", "question id", seen)
        kind = self.text(data, "kind")
        if kind and kind not in KINDS:
            self.error(data.line_of("kind"), f"'kind' must be one of {', '.join(KINDS)}")
            return None
        if not kind:
            return None
        allowed = COMMON_KEYS | KIND_KEYS[kind]
        for key in data:
            if key not in allowed:
                self.error(data.line_of(key), f"'{key}' is not used by a {kind} question")
        prompt = self.markdown(data, "prompt")
        explanation = self.markdown(data, "explanation")
        learn = self.learn(data)
        footgun = primer = ""
        if learn is not None and learn.kind == "footgun":
            footgun = learn.target
            found = self.topic.footgun(footgun)
            primer = found.primer if found else ""
        elif learn is not None and learn.kind == "primer":
            primer = learn.target
        fields: dict[str, Any] = {}
        if kind in ("single", "multiple"):
            fields["choices"] = self.choices(data, kind)
        elif kind == "true_false":
            answer = data.get("answer")
            if not isinstance(answer, bool):
                self.error(data.line_of("answer"), "'answer' must be true or false")
            fields["answer"] = bool(answer)
        elif kind == "numeric":
            fields["numeric"] = self.numeric(data)
        elif kind == "ordering":
            fields["items"] = self.items(data)
        elif kind == "spot_the_footgun":
            fields.update(self.spot(data))
        if kind in ("true_false", "numeric", "ordering", "spot_the_footgun"):
            fields["feedback_html"] = self.markdown(data, "feedback", required=False)
        if learn is None:
            learn = Learn(kind="primer", target="", url=self.topic.url, title=self.topic.title)
        return Question(
            id=qid,
            kind=kind,
            number=number,
            prompt_html=prompt,
            explanation_html=explanation,
            learn=learn,
            footgun=footgun,
            primer=primer,
            **fields,
        )

    def choices(self, data: LineDict, kind: str) -> tuple[Choice, ...]:
        raw = data.get("choices")
        line = data.line_of("choices")
        if not isinstance(raw, LineList) or len(raw) < 2:
            self.error(line, "'choices' must be a list of at least two choices")
            return ()
        seen: dict[str, int] = {}
        choices = []
        for index, item in enumerate(raw):
            if not isinstance(item, LineDict):
                self.error(raw.line_of(index), "each choice must be a mapping with 'id' and 'text'")
                continue
            for key in item:
                if key not in ("id", "text", "correct", "feedback"):
                    self.error(item.line_of(key), f"'{key}' is not a choice field (id, text, correct, feedback)")
            cid = self.slug(item, "id", "choice id", seen)
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                self.error(item.line_of("correct"), "'correct' must be true or false")
                correct = False
            feedback = self.markdown(item, "feedback", required=False)
            if not correct and not feedback:
                self.warning(item.line, f"wrong choice '{cid}' has no 'feedback' explaining why it is wrong")
            choices.append(
                Choice(id=cid, html=self.markdown(item, "text", inline=True), correct=correct, feedback_html=feedback)
            )
        correct_count = sum(c.correct for c in choices)
        if kind == "single" and correct_count != 1:
            self.error(line, f"a single-choice question needs exactly one correct choice (found {correct_count})")
        if kind == "multiple" and correct_count < 1:
            self.error(line, "a multiple-select question needs at least one correct choice")
        return tuple(choices)

    def numeric(self, data: LineDict) -> NumericKey | None:
        answer = data.get("answer")
        line = data.line_of("answer")
        value: Decimal | None = None
        if isinstance(answer, int | float) and not isinstance(answer, bool):
            try:
                value = Decimal(str(answer))
            except InvalidOperation:
                value = None
        if value is None or not value.is_finite():
            self.error(line, "'answer' must be a number")
            return None
        raw_tol = data.get("tolerance", 0)
        match = None if isinstance(raw_tol, bool) else TOLERANCE.match(str(raw_tol))
        if match is None:
            self.error(data.line_of("tolerance"), "'tolerance' must be a number ≥ 0 or a percentage like 5%")
            return None
        unit = self.text(data, "unit", required=False).strip()
        if len(unit) > 20:
            self.error(data.line_of("unit"), "'unit' must be at most 20 characters")
        return NumericKey(value=value, tolerance=Decimal(match.group(1)), relative=match.group(2) == "%", unit=unit)

    def items(self, data: LineDict) -> tuple[Item, ...]:
        raw = data.get("items")
        line = data.line_of("items")
        if not isinstance(raw, LineList) or len(raw) < 2:
            self.error(line, "'items' must list at least two steps, in the right order")
            return ()
        seen: dict[str, int] = {}
        items = []
        for index, item in enumerate(raw):
            if not isinstance(item, LineDict):
                self.error(raw.line_of(index), "each item must be a mapping with 'id' and 'text'")
                continue
            items.append(Item(id=self.slug(item, "id", "item id", seen), html=self.markdown(item, "text", inline=True)))
        return tuple(items)

    def spot(self, data: LineDict) -> dict[str, Any]:
        language = self.text(data, "language")
        if language and language not in SNIPPET_LANGUAGES:
            self.error(data.line_of("language"), f"'language' must be one of {', '.join(SNIPPET_LANGUAGES)}")
        snippet = self.text(data, "snippet")
        code_lines = snippet.rstrip("\n").split("\n") if snippet.strip() else []
        if snippet and not code_lines:
            self.error(data.line_of("snippet"), "'snippet' is empty")
        if len(code_lines) > MAX_SNIPPET_LINES:
            self.error(data.line_of("snippet"), f"'snippet' is longer than {MAX_SNIPPET_LINES} lines")
        raw = data.get("lines")
        line = data.line_of("lines")
        lines: set[int] = set()
        if not isinstance(raw, LineList) or not raw:
            self.error(line, "'lines' must list the offending line numbers (1-based)")
        else:
            for value in raw:
                if isinstance(value, bool) or not isinstance(value, int):
                    self.error(line, f"line {value!r} is not a whole number")
                elif not 1 <= value <= len(code_lines):
                    self.error(line, f"line {value} is outside the snippet (1–{len(code_lines)})")
                elif value in lines:
                    self.error(line, f"line {value} is listed twice")
                else:
                    lines.add(value)
        # Highlighted one line at a time so each line is its own selectable element with balanced tags.
        rendered = tuple(
            SnippetLine(number=n, html=_highlight_line(text, language)) for n, text in enumerate(code_lines, start=1)
        )
        return {"language": language, "snippet_lines": rendered, "lines": frozenset(lines)}


def _highlight_line(text: str, language: str) -> str:
    html = highlight(text or " ", language)
    start = html.find("<pre>")
    end = html.rfind("</pre>")
    body = html[start + 5 : end] if start != -1 and end != -1 else html
    body = re.sub(r"^<span></span>", "", body)
    return body.rstrip("\n")


def load_quizzes(root: Path, topic: Topic, problems: Problems, resolver: Resolver) -> tuple[str, dict[str, Quiz]]:
    folder = root / "quizzes"
    quizzes: dict[str, Quiz] = {}
    if not folder.is_dir():
        return "quizzes", quizzes
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix != ".yaml" or not path.is_file():
            problems.warning(path, 1, f"unexpected file '{path.name}' in quizzes/ (only <slug>.yaml is read)")
            continue
        quiz = _Builder(path, topic, problems, resolver).build()
        if quiz is not None:
            quizzes[quiz.slug] = quiz
    return "quizzes", quizzes
