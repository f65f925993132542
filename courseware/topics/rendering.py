"""Markdown to HTML for content: highlighted code, anchors, a table of contents, cross references.

Pure functions: no database, no Django. Raw HTML in content is escaped, never passed through.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html import escape as html_escape

import markdown
from markdown.extensions.toc import slugify
from pygments.formatters import HtmlFormatter

from courseware.footguns.registry import SNIPPET_LEXERS

# Bounded character classes: no nested quantifiers, so no catastrophic backtracking.
XREF = re.compile(r"\[\[([a-z_]{1,20}):([a-z0-9][a-z0-9-]{0,80})(?:\|([^\[\]|\n]{1,200}))?\]\]")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.{1,300}?)(?:[ \t]+\{#([A-Za-z0-9_-]{1,80})\})?[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str
    line: int
    explicit: bool


@dataclass(frozen=True)
class XRef:
    kind: str
    target: str
    label: str | None
    line: int


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[Heading, ...]
    words: int


Resolver = Callable[[XRef], tuple[str, str] | None]


def _fenced(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line with whether it is code: a fence line or inside a fenced block."""
    fence: str | None = None
    for line in lines:
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            yield line, True
        else:
            yield line, fence is not None


def _lines_outside_fences(text: str) -> Iterator[tuple[int, str]]:
    for number, (line, code) in enumerate(_fenced(text.splitlines()), start=1):
        if not code:
            yield number, line


def scan_headings(text: str) -> list[Heading]:
    headings = []
    for number, line in _lines_outside_fences(text):
        match = HEADING.match(line)
        if match:
            marks, title, anchor = match.groups()
            plain = XREF.sub(lambda m: m.group(3) or m.group(2), title).strip()
            headings.append(
                Heading(
                    level=len(marks),
                    anchor=anchor or slugify(plain, "-"),
                    text=plain,
                    line=number,
                    explicit=anchor is not None,
                )
            )
    return headings


def scan_xrefs(text: str) -> list[XRef]:
    refs = []
    for number, line in _lines_outside_fences(text):
        for match in XREF.finditer(line):
            kind, target, label = match.groups()
            refs.append(XRef(kind=kind, target=target, label=label, line=number))
    return refs


SOURCE_LINE = re.compile(r"^(Sources?:[ \t]+)(.{1,2000})$")
BARE_URL = re.compile(r"(?<![<(])(https?://[^\s<>()]{1,500})")


def _link_sources(line: str) -> str:
    """`Source: https://…` lines (trivia, footnotes) get clickable URLs."""
    match = SOURCE_LINE.match(line.rstrip("\n"))
    if not match:
        return line
    ending = "\n" if line.endswith("\n") else ""
    return match.group(1) + BARE_URL.sub(r"<\1>", match.group(2)) + ending


def _escape_link_text(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _replace_xrefs(text: str, resolve: Resolver) -> str:
    def link(m: re.Match[str]) -> str:
        ref = XRef(kind=m.group(1), target=m.group(2), label=m.group(3), line=0)
        resolved = resolve(ref)
        if resolved is None:
            return _escape_link_text(m.group(0))
        url, title = resolved
        return f"[{_escape_link_text(ref.label or title)}]({url})"

    out = []
    for line, code in _fenced(text.splitlines(keepends=True)):
        if not code:
            if line.startswith("Source"):
                line = _link_sources(line)
            if "[[" in line:
                line = XREF.sub(link, line)
        out.append(line)
    return "".join(out)


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One configured converter per thread, reset between documents (building one costs more than a page)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    md.reset()
    return md


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            "fenced_code",
            "codehilite",
            "tables",
            "admonition",
            "def_list",
            "footnotes",
            "attr_list",
            "toc",
            "sane_lists",
        ],
        extension_configs={
            "codehilite": {"css_class": "codehilite", "guess_lang": False, "use_pygments": True},
            "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-3"},
        },
        output_format="html",
    )
    # Content is data: raw HTML is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
_EMPTY_HEADER = re.compile(r"<th([^>]*)>\s*</th>")


def _wrap_tables(body: str) -> str:
    """A wide table scrolls inside its own labelled, focusable region, never the page (WCAG 1.4.10, 2.1.1);
    an empty corner cell is a data cell, not a header with no name."""

    def wrap(match: re.Match[str]) -> str:
        inner = _EMPTY_HEADER.sub(r"<td\1></td>", match.group(1))
        names = [re.sub(r"<[^>]{0,500}>", "", cell).strip() for cell in _HEADER_CELL.findall(inner)]
        label = html.escape("Table: " + ", ".join(n for n in names if n)[:120], quote=True)
        return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}"><table>{inner}</table></div>'

    return _TABLE.sub(wrap, body)


def render_markdown(text: str, resolve: Resolver | None = None) -> Rendered:
    source = _replace_xrefs(text, resolve) if resolve else text
    md = _markdown()
    body = _wrap_tables(md.convert(source))
    toc = tuple(
        Heading(level=2, anchor=token["id"], text=html.unescape(token["name"]), line=0, explicit=True)
        for token in getattr(md, "toc_tokens", [])
        if token["level"] == 2
    )
    words = len(re.findall(r"\w+", re.sub(r"<[^>]{0,2000}>", " ", body)))
    return Rendered(html=body, toc=toc, words=words)


def render_inline(text: str, resolve: Resolver | None = None) -> str:
    """Markdown for a short field: a single paragraph is unwrapped."""
    rendered = render_markdown(text, resolve).html.strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


@functools.cache
def _lexer(language: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(LANGUAGE_ALIASES.get(language, language))
    except ClassNotFound:
        return get_lexer_by_name("text")


_FORMATTER = HtmlFormatter(cssclass="codehilite")


def highlight(
    code: str,
    language: str | None = None,
    *,
    path: str = "",
    marked: Iterable[int] = (),
    line_numbers: bool = False,
    line_anchor: str = "",
    label: str = "",
) -> str:
    """The one Pygments helper: content snippets, a learner's file in feedback, a file on the dashboard.

    `language` names the lexer (content languages and format names are aliases); without it the lexer is
    guessed from `path`. Line-numbered output keeps leading blank lines, so numbers match the file; `marked`
    lines are highlighted, `line_anchor` gives each line an id (`<anchor>-<n>`), `label` names the block.
    """
    from pygments import highlight as pygments_highlight

    if not line_numbers and not marked and not line_anchor and language is not None:
        html = pygments_highlight(code, _lexer(language), _FORMATTER)
    else:
        formatter = HtmlFormatter(
            cssclass="codehilite",
            hl_lines=sorted(marked),
            linenos="inline" if line_numbers else False,
            linespans=line_anchor or None,
        )
        html = pygments_highlight(code, _numbered_lexer(language, path), formatter)
    if label:
        html = html.replace("<pre>", f'<pre tabindex="0" aria-label="{html_escape(label)}">', 1)
    return html


def _numbered_lexer(language: str | None, path: str):
    from pygments.lexers import TextLexer, get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        if language is not None:
            return get_lexer_by_name(LANGUAGE_ALIASES.get(language, language), stripnl=False)
        return get_lexer_for_filename(path, stripnl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False)


LANGUAGE_ALIASES = SNIPPET_LEXERS


def pygments_css() -> str:
    light = HtmlFormatter(style="default").get_style_defs(".codehilite")
    dark = HtmlFormatter(style="monokai").get_style_defs(".codehilite")
    return f"{light}\n.codehilite {{ background: #f6f8fa; }}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
