"""The course's own quizzes: every question renders without its key and can be answered right."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.quizzes.content import Question, quizzes_of
from courseware.quizzes.models import Attempt
from courseware.topics import library

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def real_content(settings):
    settings.CONTENT_DIR = REAL_CONTENT
    library.clear()
    yield library.get_library()
    library.clear()


def perfect_form(question: Question) -> dict[str, list[str] | str]:
    if question.kind in ("single", "multiple"):
        return {"choice": [c.id for c in question.choices if c.correct]}
    if question.kind == "true_false":
        return {"value": "true" if question.answer else "false"}
    if question.kind == "numeric":
        return {"value": f"{question.numeric.value:f} {question.numeric.unit}".strip()}
    if question.kind == "ordering":
        return {f"pos-{item.id}": str(n) for n, item in enumerate(question.items, start=1)}
    return {"line": [str(n) for n in sorted(question.lines)]}


@pytest.mark.django_db
def test_every_real_question_renders_without_its_key_and_a_perfect_run_passes(client, real_content):
    quizzes = [quiz for topic in real_content.topics.values() for quiz in quizzes_of(topic).values()]
    assert quizzes
    for quiz in quizzes:
        client.post(f"{quiz.url}start/")
        attempt = Attempt.objects.latest("pk")
        base = f"{quiz.url}attempts/{attempt.pk}/"
        page = client.get(base).content.decode()
        for question in quiz.questions:
            if quiz.mode == "one_at_a_time":
                page = client.get(f"{base}?q={question.id}").content.decode()
            assert f'id="q-{question.id}"' in page
            assert question.explanation_html not in page
            response = client.post(
                f"{base}answer/{question.id}/", perfect_form(question), headers={"HX-Request": "true"}
            )
            assert response.status_code == 200
            assert "✓ Right" in response.content.decode(), (quiz.slug, question.id)
        client.post(f"{base}finish/")
        attempt.refresh_from_db()
        assert attempt.score == attempt.max_score == len(quiz.questions) and attempt.passed
        assert client.get(f"{base}result/").status_code == 200
