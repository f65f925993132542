from __future__ import annotations

import pytest

from courseware.exercises.models import FiredRule, Submission


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "a long admin passphrase")
    client.force_login(admin)
    return client


def test_submissions_are_browsable_and_read_only_in_the_admin(staff_client, learner):
    submission = Submission.objects.create(
        user=learner, topic="demo-topic", exercise="set-a-timeout", files={"a.yaml": "<script>"}, content_hash="x"
    )
    FiredRule.objects.create(submission=submission, rule="aws-lambda/default-timeout")
    assert staff_client.get("/admin/exercises/submission/").status_code == 200
    page = staff_client.get(f"/admin/exercises/submission/{submission.pk}/change/")
    assert page.status_code == 200
    assert "aws-lambda/default-timeout" in page.content.decode()
    assert staff_client.get("/admin/exercises/submission/add/").status_code == 403
    for path in ("/admin/exercises/draft/", "/admin/exercises/hintreveal/"):
        assert staff_client.get(path).status_code == 200
