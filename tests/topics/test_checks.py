from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from courseware.topics import library

FIXTURE = Path(__file__).parent.parent / "fixtures" / "content"
pytestmark = pytest.mark.django_db  # model checks (JSONField support) open a connection
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_check_passes_on_a_sound_pack(settings):
    settings.CONTENT_DIR = FIXTURE
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_check_fails_with_file_and_line_on_a_content_error(settings, tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    trivia = tmp_path / "content" / "demo-topic" / "trivia.md"
    trivia.write_text(trivia.read_text() + "\nSee [[street_ops:missing-runbook]].\n")
    settings.CONTENT_DIR = tmp_path / "content"
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    assert "demo-topic/trivia.md:7: cross reference [[street_ops:missing-runbook]] has no target" in str(caught.value)
    library.clear()


def test_the_real_course_loads_without_errors_or_warnings():
    loaded = library.load_library(REAL_CONTENT)
    assert [str(e) for e in loaded.errors] == []
    assert [str(w) for w in loaded.warnings] == []
    assert "aws-lambda" in loaded.topics
