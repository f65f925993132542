from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from courseware.topics.content import load_library

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A writable copy of the fixture pack, to break in one place per test."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path / "content" / "demo-topic"


def errors(root: Path) -> list[str]:
    return [str(e) for e in load_library(root.parent).errors]


def test_fixture_pack_loads_without_problems():
    library = load_library(FIXTURE)
    assert library.errors == ()
    topic = library.topic("demo-topic")
    assert topic.title == "Demo Topic"
    assert [f.slug for f in topic.footguns] == ["forgot-the-limit", "retry-storm"]
    assert topic.page_order == ("primer", "footguns", "street_ops", "anti_primer", "trivia")
    assert len(topic.content_hash) == 16


def test_loading_twice_gives_the_same_hash():
    assert load_library(FIXTURE).content_hash == load_library(FIXTURE).content_hash


def test_primer_renders_anchors_toc_highlighting_and_cross_references():
    primer = load_library(FIXTURE).topic("demo-topic").pages["primer"]
    assert 'id="limits"' in primer.html
    assert [h.anchor for h in primer.toc] == ["limits", "retries"]
    assert 'class="codehilite"' in primer.html
    assert '<a href="/topics/demo-topic/footguns/#forgot-the-limit">Forgot the Limit</a>' in primer.html
    assert '<a href="/topics/demo-topic/street_ops/#find-the-limit">the runbook</a>' in primer.html
    # A reference inside a code block stays literal text and is not validated.
    assert "not-a-ref-inside-code" in primer.html
    assert '<div class="admonition warning">' in primer.html
    assert "<table>" in primer.html


def test_raw_html_in_content_is_escaped():
    primer = load_library(FIXTURE).topic("demo-topic").pages["primer"]
    assert "<script>" not in primer.html
    assert "&lt;script&gt;" in primer.html


def test_footgun_fields_render_markdown_and_snippets_are_highlighted():
    footgun = load_library(FIXTURE).topic("demo-topic").footgun("forgot-the-limit")
    assert footgun.url == "/topics/demo-topic/footguns/#forgot-the-limit"
    assert footgun.primer_url == "/topics/demo-topic/primer/#limits"
    assert '<a href="/topics/demo-topic/primer/#limits">Limits</a>' in footgun.prevention
    assert {s.kind for s in footgun.snippets} == {"wrong", "right"}
    assert 'class="codehilite"' in footgun.snippets[0].html


def test_unknown_cross_reference_is_an_error_with_file_and_line(pack: Path):
    primer = pack / "primer.md"
    primer.write_text(primer.read_text() + "\nSee [[footgun:no-such-thing]].\n")
    line = len(primer.read_text().splitlines())
    assert errors(pack) == [f"demo-topic/primer.md:{line}: cross reference [[footgun:no-such-thing]] has no target"]


def test_unknown_anchor_in_footgun_field_points_at_its_line(pack: Path):
    path = pack / "footguns.yaml"
    path.write_text(path.read_text().replace("Back off.", "Back off, see [[primer:nowhere]]."))
    assert errors(pack) == ["demo-topic/footguns.yaml:24: cross reference [[primer:nowhere]] has no target"]


def test_primer_heading_without_stable_anchor_is_an_error(pack: Path):
    primer = pack / "primer.md"
    primer.write_text(primer.read_text().replace("## Retries {#retries}", "## Retries"))
    assert "demo-topic/primer.md:18: '## Retries' needs a stable anchor: add {#anchor}" in errors(pack)


def test_duplicate_yaml_key_is_an_error_with_line(pack: Path):
    path = pack / "footguns.yaml"
    path.write_text(path.read_text().replace("    severity: warning\n", "    severity: warning\n    severity: error\n"))
    assert errors(pack) == ["demo-topic/footguns.yaml:21: duplicate key 'severity'"]


def test_yaml_syntax_error_names_its_line(pack: Path):
    (pack / "topic.yaml").write_text("title: Demo\nsummary: [unclosed\n")
    (found,) = errors(pack)
    assert found.startswith("demo-topic/topic.yaml:3:")


def test_missing_page_file_is_an_error(pack: Path):
    (pack / "trivia.md").unlink()
    assert errors(pack) == ["demo-topic/trivia.md:1: trivia.md is missing"]


def test_bad_severity_and_missing_field_are_errors(pack: Path):
    path = pack / "footguns.yaml"
    text = (
        path.read_text()
        .replace("severity: error", "severity: fatal")
        .replace("    consequence: The service falls over.\n", "")
    )
    path.write_text(text)
    assert errors(pack) == [
        "demo-topic/footguns.yaml:4: severity must be one of error, warning, info",
        "demo-topic/footguns.yaml:18: 'consequence' is required",
    ]


def test_anti_primer_hour_must_name_a_catalogue_footgun(pack: Path):
    path = pack / "anti_primer.yaml"
    path.write_text(path.read_text().replace("footgun: retry-storm", "footgun: retry-stom"))
    assert errors(pack) == ["demo-topic/anti_primer.yaml:19: footgun 'retry-stom' is not in footguns.yaml"]


def test_footgun_primer_anchor_must_exist(pack: Path):
    path = pack / "footguns.yaml"
    path.write_text(path.read_text().replace("primer: retries", "primer: retry"))
    assert errors(pack) == ["demo-topic/footguns.yaml:21: primer anchor 'retry' does not exist in primer.md"]


def test_footgun_needs_wrong_and_right_snippets(pack: Path):
    path = pack / "footguns.yaml"
    path.write_text(
        path.read_text().replace(
            "      - kind: right\n        format: terraform", "      - kind: wrong\n        format: terraform"
        )
    )
    assert errors(pack) == [
        "demo-topic/footguns.yaml:18: footgun 'retry-storm' needs at least one wrong and one right snippet"
    ]


def test_pages_must_list_all_five_kinds(pack: Path):
    path = pack / "topic.yaml"
    path.write_text(
        path.read_text().replace("pages: [primer, footguns, street_ops, anti_primer, trivia]", "pages: [primer]")
    )
    assert errors(pack) == [
        "demo-topic/topic.yaml:9: 'pages' must list each of primer, footguns, street_ops, anti_primer, trivia once"
    ]


def test_quizzes_and_exercises_folders_are_accepted_but_stray_files_warned(pack: Path):
    (pack / "notes.txt").write_text("stray")
    library = load_library(pack.parent)
    assert library.errors == ()
    assert [str(w) for w in library.warnings] == [
        "demo-topic/notes.txt:1: unexpected file 'notes.txt' in a topic folder (ignored)"
    ]


def test_invalid_utf8_is_an_error_not_a_crash(pack: Path):
    (pack / "trivia.md").write_bytes(b"## Fact {#f}\n\xff\xfe\n")
    assert errors(pack) == ["demo-topic/trivia.md:1: not valid UTF-8"]


def test_source_lines_become_links():
    trivia = load_library(FIXTURE).topic("demo-topic").pages["trivia"]
    assert 'Source: <a href="https://example.org/fact">https://example.org/fact</a>' in trivia.html
