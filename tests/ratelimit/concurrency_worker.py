"""Run by test_limiter.py in a fresh process: simultaneous hits on a file SQLite database (production's default).

The suite's in-memory shared-cache SQLite fails table locks at once instead of waiting, so threads are measured here.

    VAR_DIR=<tmp> python tests/ratelimit/concurrency_worker.py <threads>
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseware.settings")


def main(workers: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from courseware.ratelimit import limiter

    call_command("migrate", "ratelimit", verbosity=0, skip_checks=True)
    barrier = threading.Barrier(workers)
    counts: list[int] = []
    errors: list[str] = []

    def one() -> None:
        try:
            barrier.wait(timeout=10)
            counts.append(limiter.hit("parallel", "shared", limit=5, window_s=60).count)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    print(json.dumps({"vendor": connection.vendor, "counts": sorted(counts), "errors": errors}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
