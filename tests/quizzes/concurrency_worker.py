"""Run by test_services.py in a fresh process: parallel identical answers on a file SQLite database.

The test database of the suite is SQLite in memory with a shared cache, whose table locks fail at once
("database table is locked") instead of waiting; production runs a file database in WAL mode with
IMMEDIATE transactions and a busy timeout, which is what this measures.

    VAR_DIR=<tmp> CONTENT_DIR=tests/fixtures/content python tests/quizzes/concurrency_worker.py <workers>
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
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, connections

    from courseware.quizzes import services
    from courseware.quizzes.content import quizzes_of
    from courseware.quizzes.models import Answer, ReviewItem
    from courseware.topics.library import get_library

    call_command("migrate", verbosity=0, skip_checks=True)
    quiz = quizzes_of(get_library().topic("demo-topic"))["demo"]
    question = quiz.question("q-multiple")
    user = User.objects.create_user("parallel", password="a long parallel passphrase")
    attempt = services.attempt_start(quiz=quiz, user=user)
    barrier = threading.Barrier(workers)
    results: list = []
    errors: list[str] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            result = services.answer_submit(attempt=attempt, question=question, response={"choices": ["many"]})
            results.append((result.answer.pk, result.created, result.grade.score))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "errors": errors,
                "results": results,
                "stored": Answer.objects.filter(attempt=attempt).count(),
                "review_items": ReviewItem.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
