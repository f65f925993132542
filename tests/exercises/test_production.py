"""The "In production" panel after a check, and the anti-primer's replay of its night."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware.exercises.models import Submission
from courseware.exercises.production import build_panel, survives
from courseware.footguns.simulation import load_scenario, simulate_files

CONTENT = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"
EXERCISE = "importer-timeout"
URL = f"/topics/aws-lambda/exercises/{EXERCISE}/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _forget_simulations():
    from courseware.exercises import services

    services._learner_simulations.clear()


def files_of(kind: str, exercise: str = EXERCISE) -> dict[str, str]:
    folder = CONTENT / "exercises" / exercise / kind
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def check(client, kind: str) -> Submission:
    files = files_of(kind)
    data = {f"file-{i}": text for i, text in enumerate(files.values())}
    client.post(URL + "check/", data, **HTMX)
    return Submission.objects.latest("id")


def test_the_feedback_has_a_slot_that_loads_the_panel_after_the_verdict(learner_client, fake_runner):
    response = learner_client.post(URL + "check/", {"file-0": files_of("starter")["template.yaml"]}, **HTMX)
    submission = Submission.objects.latest("id")
    html = response.content.decode()
    slot = f'hx-get="{URL}submissions/{submission.pk}/production/"'
    assert slot in html and 'hx-trigger="load"' in html
    assert html.index("Not yet") < html.index(slot)  # the verdict comes first and never waits for the panel
    assert f'href="{URL}submissions/{submission.pk}/production/"' in html  # and a link without JavaScript
    assert not any("simulate" in call for call in fake_runner.calls)  # the check itself simulates nothing


def test_the_panel_puts_the_starter_and_the_learners_files_side_by_side(learner_client, fake_runner):
    submission = check(learner_client, "solution")
    response = learner_client.get(f"{URL}submissions/{submission.pk}/production/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your files: no damage under this traffic." in html
    assert "The starter: damage under this traffic." in html
    assert "The starter" in html and "Your files" in html
    assert "Function timeouts: work killed mid-way" in html
    assert html.count('<svg class="sim-chart"') >= 2 and "<desc" in html  # charts, described
    assert "The numbers" in html  # and the numbers as tables
    assert "PartnerImporter is killed at its 3 s timeout" in html  # the starter's timeline
    assert "<script" not in html
    simulated = [call for call in fake_runner.calls if "simulate" in call]
    assert simulated and simulated[0]["files"] == submission.files  # the learner's files went to the runner


def test_without_javascript_the_panel_is_a_page(learner_client, fake_runner):
    submission = check(learner_client, "starter")
    response = learner_client.get(f"{URL}submissions/{submission.pk}/production/")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "In production" in html
    assert "Back to the exercise" in html


def test_a_failed_simulation_hides_the_panel_and_never_the_verdict(learner_client, fake_runner):
    submission = check(learner_client, "solution")
    fake_runner.simulate_status = "timeout"
    response = learner_client.get(f"{URL}submissions/{submission.pk}/production/", **HTMX)
    assert response.status_code == 200 and response.content == b""
    page = learner_client.get(f"{URL}submissions/{submission.pk}/production/")
    assert "could not be simulated" in page.content.decode()


def test_another_learners_check_is_not_found(client, learner_client, fake_runner, django_user_model):
    submission = check(learner_client, "starter")
    other = django_user_model.objects.create_user("other", password="a long test passphrase")
    client.force_login(other)
    assert client.get(f"{URL}submissions/{submission.pk}/production/", **HTMX).status_code == 404


def test_an_exercise_without_a_scenario_has_no_panel(learner_client, fake_runner):
    url = "/topics/aws-lambda/exercises/payment-key-in-environment/"
    files = files_of("starter", "payment-key-in-environment")
    learner_client.post(url + "check/", {f"file-{i}": t for i, t in enumerate(files.values())}, **HTMX)
    submission = Submission.objects.latest("id")
    assert learner_client.get(f"{url}submissions/{submission.pk}/production/").status_code == 404
    assert "production/" not in learner_client.get(url).content.decode()


def test_the_anti_primer_page_offers_the_replay(client):
    html = client.get("/topics/aws-lambda/anti_primer/").content.decode()
    assert 'hx-get="/topics/aws-lambda/anti_primer/replay/"' in html


def test_the_replay_computes_the_damage_of_the_broken_stack_and_the_fixed_one(client):
    response = client.get("/topics/aws-lambda/anti_primer/replay/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The damage, computed" in html
    assert "As deployed on Friday" in html and "The primer&#x27;s way" in html
    for words in ("Gateway timeouts (504)", "Function timeouts", "refused a database connection", "waiting on"):
        assert words in html, words
    assert "the database allows 450" in html
    full = client.get("/topics/aws-lambda/anti_primer/replay/")
    assert full.status_code == 200 and "<html" in full.content.decode()


@pytest.mark.parametrize("exercise", ["importer-timeout", "fix-the-anti-primer"])
def test_the_panel_says_which_side_survives(exercise):
    scenario = load_scenario("aws-lambda", "partner-drops" if exercise == "importer-timeout" else "friday-night")
    starter = simulate_files(files_of("starter", exercise), scenario)
    solution = simulate_files(files_of("solution", exercise), scenario)
    assert not survives(starter) and survives(solution)
    panel = build_panel(starter, solution, title="t", description="d", left_label="a", right_label="b")
    assert any(row.better for row in panel.rows) and not any(row.worse for row in panel.rows)


def test_the_starter_and_a_recheck_cost_no_sandbox_child(learner_client, fake_runner):
    starter = check(learner_client, "starter")
    learner_client.get(f"{URL}submissions/{starter.pk}/production/", **HTMX)
    assert not [c for c in fake_runner.calls if "simulate" in c]  # the author's files: simulated in process
    for _ in range(2):
        solution = check(learner_client, "solution")
        learner_client.get(f"{URL}submissions/{solution.pk}/production/", **HTMX)
    assert len([c for c in fake_runner.calls if "simulate" in c]) == 1  # the same files again: remembered
