"""Live session under load: N guests join, poll and answer Q questions against gunicorn.

    .venv/bin/python bench/live_load.py                                   # SQLite (a scratch VAR_DIR)
    .venv/bin/python bench/live_load.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Production settings (no DEBUG), a scratch database, `migrate`, `createcachetable` and `collectstatic`
first. Each participant is a thread with its own keep-alive connection, like a phone: it joins as a
guest, polls the learner fragment every 2 s with If-None-Match, and answers each question after a
random 0.5–6 s "thinking" delay (so a question's answers all arrive within ~8 s). The host's screen
polls every second. The host's transitions go through the same services the host views call.

Reports answers stored (must be N×Q), errors, answer and poll latency (p50/p95/max), per-question
time from opening to the last stored answer, and the CPU the server used.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "a long bench passphrase"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection with a tiny cookie jar (the bench is not a browser)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, *, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(3):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                # A keep-alive connection the server closed: reconnect. Answers are idempotent, so a
                # retried POST returns the stored result and is safe.
                self.conn.close()
                self.conn = None
                self.reconnects += 1
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            for value in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response, data.decode("utf-8", "replace"), elapsed
        raise RuntimeError("unreachable")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INDEX = re.compile(r'name="index" value="(\d+)"')
OPTION = re.compile(r'type="(radio|checkbox)" name="(choice|value)" value="([^"]+)"')


def form(**fields) -> str:
    from urllib.parse import urlencode

    return urlencode(fields, doseq=True)


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answer_ms: list[float] = []
        self.poll_ms: list[float] = []
        self.polls_304 = 0
        self.errors: list[str] = []
        self.stored = 0
        self.answered_at: dict[int, list[float]] = {}

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Participant(threading.Thread):
    def __init__(self, n: int, port: int, code: str, stats: Stats, stop: threading.Event, poll_s: float) -> None:
        super().__init__(daemon=True)
        self.n = n
        self.client = Client(port)
        self.code = code
        self.stats = stats
        self.stop = stop
        self.poll_s = poll_s
        self.rng = random.Random(n)
        self.csrf = ""
        self.etag = ""
        self.answered: set[int] = set()
        self.pending: tuple[float, int, dict] | None = None
        self.joined = threading.Event()

    def join_session(self) -> None:
        status, _, html, _ = self.client.request("GET", f"/live/{self.code}/")
        match = CSRF.search(html)
        if status != 200 or not match:
            raise RuntimeError(f"join page {status}")
        self.csrf = match.group(1)
        status, _, _, _ = self.client.request(
            "POST",
            f"/live/{self.code}/join/",
            body=form(csrfmiddlewaretoken=self.csrf, as_guest="1", name=f"Learner {self.n:03d}"),
        )
        if status != 302:
            raise RuntimeError(f"join {status}")
        self.csrf = self.client.cookies.get("csrftoken", self.csrf)

    def poll(self) -> None:
        headers = {"HX-Request": "true"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        status, response, html, ms = self.client.request("GET", f"/live/{self.code}/stage/", headers=headers)
        with self.stats.lock:
            self.stats.poll_ms.append(ms)
            self.stats.polls_304 += status == 304
        if status == 304:
            return
        if status != 200:
            self.stats.error(f"poll {status}")
            return
        self.etag = response.getheader("ETag", "")
        if 'class="live-stage state-finished"' in html:
            self.finished = True
        index = INDEX.search(html)
        if index is None or int(index.group(1)) in self.answered or self.pending is not None:
            return
        options = OPTION.findall(html)
        if not options:
            return
        kind, name = options[0][0], options[0][1]
        values = [v for _, _, v in options]
        picked = (
            self.rng.sample(values, k=min(len(values), self.rng.choice((1, 2))))
            if kind == "checkbox"
            else [self.rng.choice(values)]
        )
        due = time.monotonic() + self.rng.uniform(0.5, 6.0)
        self.pending = (due, int(index.group(1)), {name: picked})

    def answer(self) -> None:
        assert self.pending is not None
        _, index, fields = self.pending
        self.pending = None
        body = form(csrfmiddlewaretoken=self.csrf, index=str(index), **fields)
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf}
        status, _, html, ms = self.client.request("POST", f"/live/{self.code}/answer/", body=body, headers=headers)
        with self.stats.lock:
            self.stats.answer_ms.append(ms)
        if status == 200 and ("Answer sent and locked." in html or "already locked in" in html):
            self.answered.add(index)
            with self.stats.lock:
                self.stats.stored += 1
                self.stats.answered_at.setdefault(index, []).append(time.monotonic())
        else:
            message = re.search(r'role="alert">([^<]+)<', html)
            self.stats.error(f"answer {status} {message.group(1) if message else ''}")

    def run(self) -> None:
        self.finished = False
        try:
            self.join_session()
        except Exception as exc:  # noqa: BLE001
            self.stats.error(f"join: {exc}")
            return
        finally:
            self.joined.set()
        next_poll = time.monotonic() + self.rng.uniform(0, self.poll_s)
        while not self.stop.is_set() and not self.finished:
            now = time.monotonic()
            try:
                if self.pending is not None and now >= self.pending[0]:
                    self.answer()
                elif now >= next_poll:
                    next_poll += self.poll_s
                    self.poll()
                else:
                    wake = min(next_poll, self.pending[0] if self.pending else next_poll)
                    time.sleep(max(0.0, min(0.2, wake - now)))
            except Exception as exc:  # noqa: BLE001
                self.stats.error(f"{type(exc).__name__}: {exc}")
                time.sleep(0.5)


class HostPoller(threading.Thread):
    def __init__(self, port: int, session_pk: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.client = Client(port)
        self.session_pk = session_pk
        self.stop = stop
        self.ms: list[float] = []
        self.errors = 0

    def login(self) -> None:
        _, _, html, _ = self.client.request("GET", "/accounts/login/")
        token = CSRF.search(html).group(1)
        status, _, _, _ = self.client.request(
            "POST", "/accounts/login/", body=form(csrfmiddlewaretoken=token, username="host", password=PASSWORD)
        )
        if status != 302:
            raise RuntimeError(f"host login {status}")

    def run(self) -> None:
        etag = ""
        while not self.stop.is_set():
            started = time.monotonic()
            headers = {"HX-Request": "true", **({"If-None-Match": etag} if etag else {})}
            status, response, _, ms = self.client.request(
                "GET", f"/live/host/{self.session_pk}/stage/", headers=headers
            )
            self.ms.append(ms)
            if status == 200:
                etag = response.getheader("ETag", "")
            elif status != 304:
                self.errors += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def server_cpu_seconds(master: int) -> float:
    pids = [master]
    try:
        pids += [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none"
    return (
        f"{name}: n={len(values)} p50={statistics.median(values):.1f} ms p95={pct(values, 95):.1f} ms "
        f"p99={pct(values, 99):.1f} ms max={max(values):.1f} ms"
    )


def prepare_database(url: str) -> str:
    """Create a scratch database next to the one in the URL and return its URL."""
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"courseware_live_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def drop_database(url: str, scratch: str) -> None:
    import psycopg

    name = scratch.rpartition("/")[2]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--question-seconds", type=int, default=20)
    parser.add_argument("--answer-window", type=float, default=10.0, help="seconds before the host reveals")
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", default="", help="URL of a PostgreSQL server database to create a scratch one")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="live-bench-")
    scratch = prepare_database(args.postgres) if args.postgres else ""
    env = {
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
        "SECRET_KEY": "live-bench-" + "x" * 50,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
    }
    if scratch:
        env["DATABASE_URL"] = scratch
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        session = setup_session(args)
        port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(
            [
                gunicorn,
                "courseware.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                "--worker-class=gthread",
                "--keep-alive=10",
                "--backlog=512",
            ],
            cwd=ROOT,
            env={**os.environ},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for(port)
        warm(port, args.workers * args.threads)
        run(args, session, port, server.pid)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
            stderr = server.stderr.read().decode() if server.stderr else ""
            problems = [line for line in stderr.splitlines() if "Traceback" in line or "ERROR" in line]
            if problems:
                print("server log problems:", *problems[:10], sep="\n  ")
        if scratch:
            from django.db import connections

            connections.close_all()
            drop_database(args.postgres, scratch)
        shutil.rmtree(var_dir, ignore_errors=True)


def setup_session(args):
    from courseware.accounts.services import user_create
    from courseware.cohorts.services import cohort_create
    from courseware.live.selectors import quizzes_for_topics
    from courseware.live.services import live_session_create

    host = user_create(username="host", password=PASSWORD, instructor=True)
    cohort = cohort_create(instructor=host, name="Load test", topics=[("aws-lambda", None)])
    refs = [
        f"aws-lambda/{quiz.slug}#{question.id}"
        for _, quiz in quizzes_for_topics(["aws-lambda"])
        for question in quiz.questions
        if question.kind in ("single", "multiple", "true_false")
    ][: args.questions]
    if len(refs) < args.questions:
        raise SystemExit(f"only {len(refs)} choice questions in the content")
    return live_session_create(
        cohort=cohort,
        instructor=host,
        title="Load test",
        questions=refs,
        question_seconds=args.question_seconds,
        allow_guests=True,
        speed_scoring=True,
    )


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def warm(port: int, connections: int) -> None:
    """Load the content library in every worker first (about 2 s per process) so the run measures the
    steady state, not gunicorn's cold start."""

    def visit() -> None:
        client = Client(port)
        for _ in range(3):
            client.request("GET", "/topics/aws-lambda/")

    threads = [threading.Thread(target=visit) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def run(args, session, port: int, server_pid: int) -> None:
    from courseware.live.models import LiveAnswer
    from courseware.live.services import live_session_transition

    stats = Stats()
    stop = threading.Event()
    people = [Participant(n, port, session.code, stats, stop, args.poll) for n in range(args.participants)]
    join_started = time.monotonic()
    for person in people:
        person.start()
        time.sleep(0.01)
    for person in people:
        person.joined.wait(60)
    join_s = time.monotonic() - join_started
    host = HostPoller(port, session.pk, stop)
    host.login()
    host.start()
    time.sleep(args.poll + 0.5)

    cpu_before, wall_before = server_cpu_seconds(server_pid), time.monotonic()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    opened_at: dict[int, float] = {}
    for index in range(args.questions):
        live_session_transition(session_id=session.pk, action="start" if index == 0 else "next")
        opened_at[index] = time.monotonic()
        time.sleep(args.answer_window)
        live_session_transition(session_id=session.pk, action="reveal")
        time.sleep(2.0)
    live_session_transition(session_id=session.pk, action="finish")
    time.sleep(args.poll + 1)
    stop.set()
    wall = time.monotonic() - wall_before
    cpu = server_cpu_seconds(server_pid) - cpu_before
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    for person in people:
        person.join(5)

    stored = LiveAnswer.objects.filter(session=session).count()
    expected = args.participants * args.questions
    spans = [max(times) - opened_at[i] for i, times in sorted(stats.answered_at.items())]
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    from django.db import connection

    print(f"database: {connection.vendor}; gunicorn gthread {args.workers} workers × {args.threads} threads")
    print(f"participants: {args.participants} joined in {join_s:.1f} s; questions: {args.questions}")
    print(f"answers stored: {stored} of {expected}; acknowledged to clients: {stats.stored}")
    sample = " " + repr(stats.errors[:5]) if stats.errors else ""
    print(f"errors: {len(stats.errors)}{sample}; host poll errors: {host.errors}")
    print(describe("answer POST", stats.answer_ms))
    print(describe("learner poll", stats.poll_ms) + f" (304: {stats.polls_304})")
    print(describe("host poll", host.ms))
    if spans:
        print(f"open → last stored answer per question: max {max(spans):.1f} s, mean {statistics.mean(spans):.1f} s")
    print(
        f"server CPU: {cpu:.1f} s over {wall:.0f} s = {100 * cpu / wall:.0f}% of one core "
        f"(bench client: {client_cpu:.1f} s); reconnects: {sum(p.client.reconnects for p in people)}"
    )


if __name__ == "__main__":
    main()
