"""Carrying what an anonymous visitor did (kept in the session) into their account.

Other apps register a carrier; each gets the previous session's data and the new user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

SessionCarrier = Callable[..., None]
CARRIERS: list[SessionCarrier] = []


def register_carrier(carrier: SessionCarrier) -> None:
    if carrier not in CARRIERS:
        CARRIERS.append(carrier)


def carry_over_session_progress(*, request, user, previous: dict[str, Any]) -> None:
    for carrier in CARRIERS:
        carrier(request=request, user=user, previous=previous)


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs) -> None:
    # login() keeps the session data when rotating the key, so what the visitor did is still there.
    if request is not None and hasattr(request, "session"):
        carry_over_session_progress(request=request, user=user, previous=dict(request.session.items()))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _remember_skeleton(sender, instance, created, update_fields=None, **kwargs) -> None:
    # login() saves last_login only: no write then.
    if update_fields is not None and "username" not in update_fields:
        return
    from .models import UsernameSkeleton
    from .usernames import skeleton

    UsernameSkeleton.objects.update_or_create(user=instance, defaults={"skeleton": skeleton(instance.get_username())})
