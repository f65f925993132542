"""Dashboard pages for a cohort of N learners × T topics with generated history: server time and queries.

    .venv/bin/python bench/dashboard_pages.py [--learners 200] [--topics 5] [--requests 20] [--database-url URL]

Only one real topic exists, so the benchmark copies it under T slugs into a scratch content folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--topics", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-dash-"))
    content = scratch / "content"
    slugs = ["aws-lambda"] + [f"aws-lambda-copy-{i}" for i in range(1, args.topics)]
    for slug in slugs:
        shutil.copytree(ROOT / "content" / "aws-lambda", content / slug)
    os.environ.update(
        {
            "VAR_DIR": str(scratch),
            "CONTENT_DIR": str(content),
            "DJANGO_SETTINGS_MODULE": "courseware.settings",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("flush", interactive=False, verbosity=0) if args.database_url else None
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command(
        "generate_cohort_history", learners=args.learners, topics=",".join(slugs), stdout=open(os.devnull, "w")
    )
    print(
        f"generated {args.learners} learners x {len(slugs)} topics in {time.perf_counter() - started:.1f} s "
        f"on {connection.vendor}"
    )
    from courseware.cohorts.models import Cohort

    cohort = Cohort.objects.latest("pk")
    client = Client(secure=True)
    client.force_login(User.objects.get(username="generated-instructor"))
    learner = cohort.memberships.first().user
    pages = ["", "footguns/", "questions/", "exercises/", "readiness.csv", f"learners/{learner.pk}/"]
    for page in pages:
        path = f"/dashboard/cohorts/{cohort.pk}/{page}"
        client.get(path)
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{page or 'matrix':22} median={statistics.median(timings):8.1f} ms p95={p95:8.1f} ms "
            f"queries={len(queries):3d} bytes={len(response.content)}"
        )


if __name__ == "__main__":
    main()
