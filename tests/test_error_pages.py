from __future__ import annotations

import pytest
from django.template.loader import render_to_string

pytestmark = [pytest.mark.usefixtures("fixture_content"), pytest.mark.django_db]


def test_a_learner_opening_the_dashboard_gets_a_403_page_in_the_sites_look(learner_client):
    response = learner_client.get("/dashboard/")
    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="site-header"' in body and "css/app.css" in body
    assert "This page is not for your account" in body and "lena" in body


def test_an_unknown_address_gets_a_404_page_in_the_sites_look(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in body and "There is nothing at this address" in body
    assert 'href="/topics/"' in body


def test_the_500_page_renders_without_a_request_and_runs_no_script():
    body = render_to_string("500.html")
    assert "css/app.css" in body and "Something went wrong on our side" in body
    assert "<script" not in body
