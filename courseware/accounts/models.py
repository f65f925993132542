from __future__ import annotations

from django.conf import settings
from django.db import models


class UsernameSkeleton(models.Model):
    """The TR39 skeleton of each username (courseware.accounts.usernames), so sign-up can refuse a look-alike."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    skeleton = models.CharField(max_length=600, db_index=True)

    def __str__(self) -> str:
        return self.skeleton
