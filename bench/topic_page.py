"""Topic page server time and query count, in process (Django test client, real middleware stack).

.venv/bin/python bench/topic_page.py [--requests 200] [--topic aws-lambda]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--topic", default="aws-lambda")
    args = parser.parse_args()

    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseware.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.create_user("bench", password="a long bench passphrase")
    client = Client(secure=True)
    client.force_login(user)
    client.post(f"/topics/{args.topic}/primer/read/")

    for path in (f"/topics/{args.topic}/", f"/topics/{args.topic}/primer/", f"/topics/{args.topic}/footguns/"):
        client.get(path)  # warm: content loaded and rendered once per process
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{path:40} n={len(timings)} median={statistics.median(timings):.2f} ms "
            f"p95={p95:.2f} ms queries={len(queries)} bytes={len(response.content)}"
        )


if __name__ == "__main__":
    main()
