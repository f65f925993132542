"""Create the demo instructor and learner once per install and print their credentials.

Passwords are generated per install and kept in var/demo-credentials.json (never committed).
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from courseware.accounts.services import instructor_grant, user_create

DEMO_USERS = (("instructor", True), ("learner", False))


class Command(BaseCommand):
    help = "Create the demo instructor and learner (idempotent) and print their credentials."
    requires_system_checks = []

    def handle(self, *args, **options) -> None:
        path = settings.VAR_DIR / "demo-credentials.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        for username, instructor in DEMO_USERS:
            password = stored.get(username) or secrets.token_urlsafe(12)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(username=username, password=password, instructor=instructor, staff=instructor)
            elif not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if instructor:
                instructor_grant(user=user)
            stored[username] = password
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
        self.stdout.write("Demo accounts (stored in var/demo-credentials.json):")
        for username, instructor in DEMO_USERS:
            role = "instructor (also Django admin)" if instructor else "learner"
            self.stdout.write(f"  {role:32} username: {username:10}  password: {stored[username]}")
