"""Quiz answers: POST an answer, get the htmx feedback partial back.

    # server time in process (Django test client, full middleware stack), median and p95:
    .venv/bin/python bench/quiz_answer.py latency [--requests 400] [--database sqlite|postgres]
    # 50 concurrent learners each answering 20 questions against gunicorn (-w 3 --threads 4):
    .venv/bin/python bench/quiz_answer.py load [--learners 50] [--answers 20] [--database sqlite|postgres]

PostgreSQL runs use a fresh database on 127.0.0.1:5432 (trust auth), dropped afterwards. The load run
checks afterwards that every answer is stored exactly once (0 lost) and that no request failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "a long bench passphrase"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def base_env(database: str) -> tuple[dict[str, str], str | None]:
    var = tempfile.mkdtemp(prefix="bench-quiz-")
    env = {
        **os.environ,
        "VAR_DIR": var,
        "SECRET_KEY": "bench-" + "q" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        # Plain HTTP on loopback: cookies must not be Secure-only or the client would not send them.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    dbname = None
    if database == "postgres":
        import psycopg

        dbname = f"quiz_bench_{os.getpid()}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    return env, dbname


def drop_database(dbname: str | None) -> None:
    if dbname is None:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def perfect_or_wrong(question, rng: random.Random) -> dict[str, list[str]]:
    """A right answer most of the time, a wrong one sometimes (wrong answers also write review items)."""
    right = rng.random() < 0.7
    if question.kind in ("single", "multiple"):
        picks = [c.id for c in question.choices if c.correct == right] or [question.choices[0].id]
        return {"choice": picks[:1] if question.kind == "single" else picks}
    if question.kind == "true_false":
        return {"value": ["true" if question.answer == right else "false"]}
    if question.kind == "numeric":
        value = question.numeric.value if right else question.numeric.value + 1
        return {"value": [f"{value:f} {question.numeric.unit}".strip()]}
    if question.kind == "ordering":
        items = list(question.items) if right else list(reversed(question.items))
        return {f"pos-{item.id}": [str(n)] for n, item in enumerate(items, start=1)}
    lines = sorted(question.lines) if right else [1]
    return {"line": [str(n) for n in lines]}


def question_stream(count: int):
    """(quiz, question) pairs across the course's quizzes, in order, `count` long."""
    from courseware.quizzes.content import quizzes_of
    from courseware.topics.library import get_library

    pairs = [
        (quiz, question)
        for topic in get_library().topics.values()
        for quiz in quizzes_of(topic).values()
        for question in quiz.questions
    ]
    return [pairs[i % len(pairs)] for i in range(count)]


def latency(args: argparse.Namespace) -> None:
    env, dbname = base_env(args.database)
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from courseware.quizzes.models import Answer

        call_command("migrate", verbosity=0, skip_checks=True)
        call_command("createcachetable", verbosity=0)
        user = User.objects.create_user("bench", password=PASSWORD)
        client = Client()
        client.force_login(user)
        rng = random.Random(1)
        stream = question_stream(args.requests + 20)
        attempts: dict[str, str] = {}
        timings: list[float] = []
        queries = 0
        for index, (quiz, question) in enumerate(stream):
            key = quiz.url
            if key not in attempts or question is quiz.questions[0]:
                response = client.post(f"{quiz.url}start/")
                attempts[key] = response.headers["Location"]
            url = f"{attempts[key]}answer/{question.id}/"
            form = perfect_or_wrong(question, rng)
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(url, form, headers={"HX-Request": "true"})
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (response.status_code, url)
            assert b"feedback" in response.content
            if index >= 20:  # the first requests warm the content cache and connections
                timings.append(elapsed)
                queries = max(queries, len([q for q in captured if "SAVEPOINT" not in q["sql"]]))
        print(
            f"answer POST -> feedback partial ({connection.vendor}): n={len(timings)} "
            f"median={statistics.median(timings):.2f} ms p95={percentile(timings, 0.95):.2f} ms "
            f"max={max(timings):.2f} ms queries<={queries} stored={Answer.objects.count()}"
        )
        connection.close()
    finally:
        drop_database(dbname)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Learner:
    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.timings: list[float] = []
        self.errors: list[str] = []

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None, *, htmx: bool = False, timed: bool = False):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if body is not None:
            req.add_header("X-CSRFToken", self.csrf())
        if htmx:
            req.add_header("HX-Request", "true")
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, payload, location = response.status, response.read(), response.headers.get("Location")
        except urllib.error.HTTPError as exc:
            status, payload, location = exc.code, exc.read(), exc.headers.get("Location")
        except (urllib.error.URLError, OSError) as exc:
            self.errors.append(f"{path}: {exc}")
            return 0, b"", None
        if timed:
            self.timings.append((time.perf_counter() - start) * 1000)
        if status >= 400:
            self.errors.append(f"{path}: HTTP {status}")
        return status, payload, location


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_301 = http_error_303 = http_error_307 = http_error_302


def log_in(learner: Learner) -> None:
    learner.request("/accounts/login/")
    status, _, _ = learner.request("/accounts/login/", {"username": learner.username, "password": PASSWORD})
    if status != 302:
        learner.errors.append(f"login: HTTP {status}")


def run_learner(learner: Learner, plan, seed: int, answered: list, ready: threading.Barrier) -> None:
    rng = random.Random(seed)
    # Logins (Argon2, deliberately slow) happen before the measured phase, then everyone starts at once.
    log_in(learner)
    ready.wait(timeout=300)
    if learner.errors:
        return
    attempts: dict[str, str] = {}
    for quiz, question in plan:
        if quiz.url not in attempts or question is quiz.questions[0]:
            learner.request(quiz.url)
            status, _, location = learner.request(f"{quiz.url}start/", {})
            if status != 302 or not location:
                learner.errors.append(f"start {quiz.url}: HTTP {status}")
                return
            attempts[quiz.url] = location
        form = perfect_or_wrong(question, rng)
        status, payload, _ = learner.request(f"{attempts[quiz.url]}answer/{question.id}/", form, htmx=True, timed=True)
        if status == 200 and b"-feedback" in payload:
            answered.append((learner.username, attempts[quiz.url], question.id))
        elif status == 200:
            learner.errors.append(f"{question.id}: no feedback in the response")


def load(args: argparse.Namespace) -> None:
    env, dbname = base_env(args.database)
    python = str(ROOT / ".venv" / "bin" / "python")
    proc = None
    try:
        subprocess.run([python, "manage.py", "migrate", "--skip-checks", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        if "DATABASE_URL" not in env:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import User
        from django.db import connection

        hashed = make_password(PASSWORD)
        User.objects.bulk_create([User(username=f"learner{i}", password=hashed) for i in range(args.learners)])
        connection.close()
        port = free_port()
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "courseware.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(env["VAR_DIR"]) / "gunicorn.log", "w"),  # noqa: SIM115
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        plan = question_stream(args.answers)
        learners = [Learner(base, f"learner{i}") for i in range(args.learners)]
        answered: list = []
        ready = threading.Barrier(args.learners + 1)
        threads = [
            threading.Thread(target=run_learner, args=(learner, plan, i, answered, ready))
            for i, learner in enumerate(learners)
        ]
        for thread in threads:
            thread.start()
        ready.wait(timeout=300)
        start = time.perf_counter()
        for thread in threads:
            thread.join(timeout=600)
        wall = time.perf_counter() - start
        from courseware.quizzes.models import Answer

        stored = Answer.objects.count()
        distinct = Answer.objects.values("attempt_id", "question_id").distinct().count()
        connection.close()
        errors = [e for learner in learners for e in learner.errors]
        timings = [t for learner in learners for t in learner.timings]
        expected = args.learners * args.answers
        print(
            json.dumps(
                {
                    "database": args.database,
                    "gunicorn": f"-w {args.workers} --threads {args.threads}",
                    "learners": args.learners,
                    "answers_each": args.answers,
                    "answers_expected": expected,
                    "answers_acknowledged": len(answered),
                    "answers_stored": stored,
                    "lost": expected - stored,
                    "duplicates": stored - distinct,
                    "errors": len(errors),
                    "first_errors": errors[:5],
                    "answer_median_ms": round(statistics.median(timings), 1) if timings else None,
                    "answer_p95_ms": round(percentile(timings, 0.95), 1) if timings else None,
                    "wall_s": round(wall, 2),
                    "answers_per_s": round(len(timings) / wall, 1),
                }
            )
        )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        drop_database(dbname)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--requests", type=int, default=400)
    lat.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    ld = sub.add_parser("load")
    ld.add_argument("--learners", type=int, default=50)
    ld.add_argument("--answers", type=int, default=20)
    ld.add_argument("--workers", type=int, default=3)
    ld.add_argument("--threads", type=int, default=4)
    ld.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    latency(args) if args.command == "latency" else load(args)


if __name__ == "__main__":
    main()
