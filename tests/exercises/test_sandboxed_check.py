"""End to end through the real sandbox runner (started once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.exercises.models import Status, Submission

URL = "/topics/demo-topic/exercises/set-a-timeout/"
STARTER = (
    Path(__file__).parent.parent / "fixtures/content/demo-topic/exercises/set-a-timeout/starter/template.yaml"
).read_text()
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

pytestmark = pytest.mark.usefixtures("fixture_content")


def test_the_starter_fails_and_the_solution_passes_in_the_sandbox(learner_client):
    response = learner_client.post(URL + "check/", {"file-0": STARTER}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "aws-lambda/default-timeout" in response.content.decode()
    solution = STARTER.replace("      MemorySize: 1024\n", "      MemorySize: 1024\n      Timeout: 60\n")
    response = learner_client.post(URL + "check/", {"file-0": solution}, HTTP_HX_REQUEST="true")
    assert "Passed." in response.content.decode()
    assert list(Submission.objects.order_by("id").values_list("status", "passed")) == [
        (Status.OK, False),
        (Status.OK, True),
    ]
    assert all(s.duration_ms is not None and s.finished_at for s in Submission.objects.all())


def test_an_alias_bomb_is_rejected_with_a_message_and_the_server_keeps_serving(learner_client):
    response = learner_client.post(URL + "check/", {"file-0": ALIAS_BOMB}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert submission.status == Status.REJECTED
    assert submission.message in response.content.decode()
    response = learner_client.post(URL + "check/", {"file-0": STARTER}, HTTP_HX_REQUEST="true")
    assert "aws-lambda/default-timeout" in response.content.decode()
