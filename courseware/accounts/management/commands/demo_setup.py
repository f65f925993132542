"""Create the demo instructor and learner once per install, and a demo cohort with history, and print the
credentials.

Passwords are generated per install and kept in var/demo-credentials.json (never committed). The demo cohort
(a dozen generated learners with plausible history, from generate_cohort_history, plus the demo learner) is
created once, so the readiness matrix, footgun heatmap and statistics show something on first run.
`--credentials-only` prints the stored credentials and changes nothing (`make run` prints them last).
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand

from courseware.accounts.services import instructor_grant, user_create

DEMO_USERS = (("instructor", True), ("learner", False))
DEMO_COHORT = "Demo cohort"
DEMO_LEARNERS = 12


class Command(BaseCommand):
    help = "Create the demo instructor and learner (idempotent) and print their credentials."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--credentials-only", action="store_true", help="only print the stored credentials")

    def handle(self, *args, **options) -> None:
        path = settings.VAR_DIR / "demo-credentials.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        if options["credentials_only"]:
            self._print(stored)
            return
        users = {}
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
            users[username] = user
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
        self._demo_cohort(instructor=users["instructor"], learner=users["learner"])
        self._print(stored)

    def _demo_cohort(self, *, instructor: User, learner: User) -> None:
        from courseware.cohorts.models import Cohort
        from courseware.cohorts.services import cohort_join

        cohort = Cohort.objects.filter(name=DEMO_COHORT, instructors=instructor).first()
        if cohort is None:
            call_command(
                "generate_cohort_history",
                learners=DEMO_LEARNERS,
                name=DEMO_COHORT,
                prefix="demo-learner-",
                seed=7,
                stdout=self.stdout,
            )
            cohort = Cohort.objects.filter(name=DEMO_COHORT).order_by("-pk").first()
            cohort.instructors.add(instructor)
        cohort_join(user=learner, cohort=cohort)
        learners = cohort.memberships.count()
        self.stdout.write(f"Demo cohort: “{cohort.name}”, {learners} learners, join code {cohort.join_code}")

    def _print(self, stored: dict) -> None:
        self.stdout.write("Demo accounts (stored in var/demo-credentials.json):")
        for username, instructor in DEMO_USERS:
            role = "instructor (also Django admin)" if instructor else "learner"
            password = stored.get(username, "(not set up yet: run make demo)")
            self.stdout.write(f"  {role:32} username: {username:10}  password: {password}")
