from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from courseware.topics import library

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content"
PACK = REAL_CONTENT / "kubernetes"

PRIMER_ANCHORS = [
    "pods-and-controllers",
    "jobs-and-cronjobs",
    "resources",
    "probes",
    "graceful-shutdown",
    "rollouts",
    "availability",
    "autoscaling",
    "configuration-and-secrets",
    "security",
    "scheduling",
    "services",
    "observability",
]

# Fixed by the lead (k8s-shared brief): slug -> severity.
SEVERITIES = {
    "missing-resource-requests": "error",
    "missing-memory-limit": "warning",
    "cpu-limit-throttling": "info",
    "liveness-checks-dependencies": "error",
    "liveness-same-as-readiness": "warning",
    "missing-readiness-probe": "error",
    "slow-start-without-startup-probe": "warning",
    "mutable-image-tag": "warning",
    "single-replica": "warning",
    "missing-or-strict-pdb": "warning",
    "no-graceful-shutdown": "error",
    "service-selector-mismatch": "error",
    "privileged-or-root": "error",
    "secret-in-manifest": "error",
    "host-path-mount": "error",
    "no-topology-spread": "warning",
    "cronjob-overlap": "warning",
    "unbounded-job": "warning",
    "hpa-fights-replicas": "warning",
    "hpa-without-requests": "error",
}


@pytest.fixture(scope="module")
def loaded():
    return library.load_library(REAL_CONTENT)


@pytest.fixture(scope="module")
def topic(loaded):
    return loaded.topic("kubernetes")


def test_the_pack_loads_without_errors_or_warnings(loaded):
    assert [str(e) for e in loaded.errors if "kubernetes" in str(e)] == []
    assert [str(w) for w in loaded.warnings if "kubernetes" in str(w)] == []


def test_topic_metadata_links_the_lambda_topic_by_its_title(topic):
    assert topic.title == "Kubernetes workloads"
    assert topic.page_order == ("primer", "footguns", "street_ops", "anti_primer", "trivia")
    assert "AWS Lambda" in [ref.title for ref in topic.related]


def test_primer_has_the_fixed_anchors_in_order():
    text = (PACK / "primer.md").read_text()
    assert re.findall(r"^## .*\{#([a-z0-9-]+)\}\s*$", text, flags=re.M) == PRIMER_ANCHORS


def test_primer_is_between_3000_and_4500_words():
    text = (PACK / "primer.md").read_text()
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    assert 3000 <= len(prose.split()) <= len(text.split()) <= 4500


def test_catalogue_has_the_fixed_slugs_and_severities(topic):
    assert {f.slug: f.severity for f in topic.footguns} == SEVERITIES


def test_every_footgun_has_a_wrong_and_a_right_kubernetes_snippet(topic):
    assert len(topic.footguns) >= 14
    for footgun in topic.footguns:
        kinds = {s.kind for s in footgun.snippets if s.format == "kubernetes"}
        assert kinds == {"wrong", "right"}, footgun.slug
        assert footgun.primer in PRIMER_ANCHORS, footgun.slug


def test_every_snippet_is_a_stream_of_kubernetes_objects():
    raw = yaml.safe_load((PACK / "footguns.yaml").read_text())
    for footgun in raw["footguns"]:
        for snippet in footgun["snippets"]:
            documents = list(yaml.safe_load_all(snippet["code"]))
            assert documents, footgun["slug"]
            for document in documents:
                assert isinstance(document, dict), footgun["slug"]
                assert {"apiVersion", "kind", "metadata"} <= document.keys(), footgun["slug"]


def test_anti_primer_hours_name_catalogue_footguns_which_open_the_catalogue(topic):
    hours = [hour.footgun for hour in topic.anti_primer.hours]
    slugs = [f.slug for f in topic.footguns]
    assert len(hours) == 6
    assert len(set(hours)) == len(hours)
    assert hours == slugs[: len(hours)]


def test_anti_primer_labels_do_not_give_the_answer_away(topic):
    for hour in topic.anti_primer.hours:
        for label in (hour.shortcut.label, hour.primer_way.label):
            assert "primer" not in label.lower() and "shortcut" not in label.lower(), hour.hour


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["primer", "footguns", "street_ops", "anti_primer", "trivia"])
def test_every_page_renders(client, settings, kind):
    settings.CONTENT_DIR = REAL_CONTENT
    library.clear()
    try:
        response = client.get(f"/topics/kubernetes/{kind}/")
        assert response.status_code == 200
        assert "Kubernetes workloads" in response.content.decode()
    finally:
        library.clear()


@pytest.mark.django_db
def test_catalogue_page_has_an_anchor_per_footgun(client, settings):
    settings.CONTENT_DIR = REAL_CONTENT
    library.clear()
    try:
        html = client.get("/topics/kubernetes/footguns/").content.decode()
    finally:
        library.clear()
    for slug in SEVERITIES:
        assert f'id="{slug}"' in html


def test_every_footgun_is_linked_from_the_primer_section_it_names(topic):
    text = (PACK / "primer.md").read_text()
    sections = {
        match.group(1): match.group(2)
        for match in re.finditer(r"(?ms)^## .*?\{#([a-z0-9-]+)\}\s*$(.*?)(?=^## |\Z)", text)
    }
    for footgun in topic.footguns:
        assert f"[[footgun:{footgun.slug}" in sections[footgun.primer], footgun.slug
