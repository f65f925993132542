from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from courseware.accounts.models import UsernameSkeleton
from courseware.accounts.services import user_create
from courseware.accounts.usernames import skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("learnerA", "learnerА"),  # Cyrillic А
        ("paypal", "pаypal"),  # Cyrillic а
        ("learnerl", "learner1"),
        ("bob", "ᏴOB"),  # Cherokee Ᏼ, case-folded
        ("admin", "ａｄｍｉｎ"),  # fullwidth
    ],
)
def test_look_alikes_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("bob", "rob"), ("learner1", "learner2"), ("anna", "ana")])
def test_different_names_have_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


@pytest.mark.django_db
def test_sign_up_refuses_a_look_alike_of_an_existing_username():
    user_create(username="learnerA", password="correct horse battery")
    response = Client().post(
        "/accounts/signup/",
        {"username": "learnerА", "password1": "a long new passphrase", "password2": "a long new passphrase"},
    )
    assert response.status_code == 200
    assert "looks the same as one that is taken" in response.content.decode()
    assert not User.objects.filter(username="learnerА").exists()
    ok = Client().post(
        "/accounts/signup/",
        {"username": "learnerB", "password1": "a long new passphrase", "password2": "a long new passphrase"},
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_a_renamed_user_keeps_their_skeleton_current():
    user = user_create(username="first", password="correct horse battery")
    user.username = "second"
    user.save()
    assert UsernameSkeleton.objects.get(user=user).skeleton == skeleton("second")
