from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from courseware.accounts.roles import is_instructor
from courseware.accounts.services import user_create
from courseware.ratelimit.models import Counter

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _db(db):
    pass


def login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.password_hashing
def test_sign_up_creates_a_learner_with_an_argon2_hash_and_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a long new passphrase", "password2": "a long new passphrase"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.password.startswith("argon2")
    assert not is_instructor(user)
    assert client.get("/").context["user"].is_authenticated


def test_sign_up_rejects_a_common_password_with_a_message(client):
    response = client.post(
        "/accounts/signup/", {"username": "x", "password1": "password123", "password2": "password123"}
    )
    assert response.status_code == 200
    assert b"too common" in response.content
    assert not User.objects.filter(username="x").exists()


def test_sign_up_ignores_an_offsite_next(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "n2",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_login_logout_and_the_session_is_rotated(client):
    user_create(username="ana", password=PASSWORD)
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    response = login(client, "ana", PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert client.get("/").context["user"].username == "ana"
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_logout_by_get_is_refused(client):
    assert client.get("/accounts/logout/").status_code == 405


def test_password_change_keeps_the_session_and_uses_the_new_password(client):
    user_create(username="ana", password=PASSWORD)
    login(client, "ana", PASSWORD)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    assert User.objects.get(username="ana").check_password("another long passphrase")


def test_password_change_needs_login(client):
    assert client.get("/accounts/password/").status_code == 302


def test_instructor_role_is_a_group():
    teacher = user_create(username="t", password=PASSWORD, instructor=True)
    assert is_instructor(teacher)
    assert teacher.groups.filter(name="instructors").exists()


@pytest.mark.password_hashing
def test_legacy_pbkdf2_hash_is_upgraded_to_argon2_on_login(client):
    from django.contrib.auth.hashers import make_password

    user = User.objects.create(username="old", password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    login(client, "old", PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2")


def test_repeated_failures_lock_that_username_from_that_address(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    user_create(username="ana", password=PASSWORD)
    for _ in range(5):
        assert b"Please enter a correct username" in login(client, "ana", "wrong").content
    response = login(client, "ana", PASSWORD)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert b"Too many failed attempts" in response.content
    # The same account from another address, and another account from the same address, still work.
    assert login(client, "ana", PASSWORD, address="10.0.0.2").status_code == 302
    client.post("/accounts/logout/")
    user_create(username="bo", password=PASSWORD)
    assert login(client, "bo", PASSWORD).status_code == 302


def test_cool_off_expires(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user_create(username="ana", password=PASSWORD)
    login(client, "ana", "wrong")
    login(client, "ana", "wrong")
    assert b"Too many failed attempts" in login(client, "ana", PASSWORD).content
    Counter.objects.all().delete()  # stands in for the cool-off period passing
    assert login(client, "ana", PASSWORD).status_code == 302


def test_a_classroom_behind_one_address_is_never_locked_out(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for number in range(30):
        user_create(username=f"learner{number}", password=PASSWORD)
    for number in range(30):
        login(client, f"learner{number}", "typo one", address="192.0.2.10")
        login(client, f"learner{number}", "typo two", address="192.0.2.10")
    for number in range(30):
        response = login(client, f"learner{number}", PASSWORD, address="192.0.2.10")
        assert response.status_code == 302, f"learner{number} was locked out"
        client.post("/accounts/logout/")


def test_trusted_proxy_address_is_used_only_when_configured(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    user_create(username="ana", password=PASSWORD)
    # Without a trusted proxy, a forged X-Forwarded-For does not change the key.
    client.post(
        "/accounts/login/", {"username": "ana", "password": "x"}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    response = client.post(
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="5.6.7.8",
    )
    assert b"Too many failed attempts" in response.content


@pytest.mark.django_db
def test_unmarked_tests_use_the_fast_test_hasher():
    assert user_create(username="quick", password=PASSWORD).password.startswith("md5$")
