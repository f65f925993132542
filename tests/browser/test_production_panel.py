"""The "In production" panel in a real browser: loaded by htmx after the verdict, under the strict CSP, accessible."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/topics/aws-lambda/exercises/importer-timeout/"


def test_the_panel_arrives_after_the_verdict(page):
    page.goto(URL)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Not yet.").wait_for()  # the verdict first
    panel = page.locator("#production")
    panel.wait_for(timeout=20_000)  # then the panel, swapped in by htmx
    assert panel.get_by_role("heading", name="In production").is_visible()
    assert panel.locator("svg.sim-chart").count() >= 2
    assert "PartnerImporter is killed at its 3 s timeout" in panel.inner_text()
    assert page.locator("#feedback").get_by_text("Not yet.").is_visible()  # the verdict is still there
    page.problems.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_anti_primer_replay(axe_check, scheme):
    def dark(page):
        page.emulate_media(color_scheme=scheme)

    violations = axe_check("/topics/aws-lambda/anti_primer/replay/", setup=dark)
    assert [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in violations] == []
