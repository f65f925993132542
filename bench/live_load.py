"""Live session under load: N guests join, poll and answer Q questions against gunicorn.

    .venv/bin/python bench/live_load.py                                        # 200 guests, SQLite
    .venv/bin/python bench/live_load.py --participants 1000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres                  # 1,000 guests, PostgreSQL

Production settings (no DEBUG) and the production gunicorn config (`-c python:courseware.gunicorn_conf`), on a
scratch database after `migrate`, `createcachetable` and `collectstatic`. The client is one asyncio event loop
holding one keep-alive HTTP/1.1 connection per participant (a tiny client on asyncio streams: no dependency, and
1,000 connections cost a socket each, not a thread). Each participant, like a phone:

- joins as a guest (the join page for the CSRF token, then the join form),
- polls the learner fragment with If-None-Match at the interval the fragment asks for (`hx-trigger="every Ns"`),
- answers each question after a random 0.5-6 s "thinking" delay.

The host signs in and drives the session through the host's own views (`POST /live/host/<id>/<action>/` with
htmx headers, as the projector's buttons do) while its screen polls every second. The host reveals
`--answer-window` seconds after opening a question.

Joins are limited per address (LIVE_JOINS_PER_MINUTE, 60 by default) and every bench participant comes from
127.0.0.1, so the bench sets LIVE_JOINS_PER_MINUTE to the number of participants for its server and says so.

Reports answers stored (must be N×Q), errors, answer and poll latency (p50/p95/max), for every learner and
question the time from the host's "open" request to that learner's first poll that showed the question (must be
≤ 2 s for each), and the CPU the server (gunicorn master and workers) used in all and per participant.
"""

from __future__ import annotations

import argparse
import asyncio
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
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "a long bench passphrase"
CLK_TCK = os.sysconf("SC_CLK_TCK")
REQUEST_TIMEOUT_S = 30.0

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INDEX = re.compile(r'name="index" value="(\d+)"')
OPTION = re.compile(r'type="(radio|checkbox)" name="(choice|value)" value="([^"]+)"')
STATE = re.compile(r'class="live-stage state-([a-z_]+)"')
QUESTION = re.compile(r"Question (\d+) of \d+")
EVERY = re.compile(r'hx-trigger="every ([0-9.]+)s"')
ALERT = re.compile(r'class="form-errors">([^<]+)<')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Closed(Exception):
    """The server closed a keep-alive connection between requests."""


class Response:
    __slots__ = ("status", "headers", "cookies", "body", "ms")

    def __init__(self, status: int, headers: dict[str, str], cookies: list[str], body: str, ms: float) -> None:
        self.status, self.headers, self.cookies, self.body, self.ms = status, headers, cookies, body, ms


class Client:
    """One keep-alive HTTP/1.1 connection with a tiny cookie jar, on asyncio streams (the bench is not a browser)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[str, str] = {}
        self.reconnects = 0
        self.connects = 0

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, method: str, path: str, *, body: str | None = None, headers: dict | None = None):
        head = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = (body or "").encode()
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["Content-Length"] = str(len(data))
        raw = (f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n").encode()
        for attempt in range(3):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
                self.connects += 1
            started = time.perf_counter()
            try:
                self.writer.write(raw + data)
                response = await asyncio.wait_for(self._read(), REQUEST_TIMEOUT_S)
            except (Closed, ConnectionError, asyncio.IncompleteReadError) as exc:
                # A keep-alive connection the server closed: reconnect and send again. Only safe when nothing of
                # a response arrived; answers are idempotent anyway (a retried POST returns the stored answer).
                await self.close()
                if fresh or attempt == 2:
                    raise ConnectionError(f"{method} {path}: {exc!r}") from None
                self.reconnects += 1
                continue
            response.ms = (time.perf_counter() - started) * 1000
            for value in response.cookies:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.headers.get("connection", "").lower() == "close":
                await self.close()
            return response
        raise RuntimeError("unreachable")

    async def _read(self) -> Response:
        assert self.reader is not None
        line = await self.reader.readline()
        if not line:
            raise Closed("connection closed")
        _version, status, _reason = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        cookies: list[str] = []
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        code = int(status)
        if code in (204, 304) or 100 <= code < 200:
            body = b""
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            await self.close()
        return Response(code, headers, cookies, body.decode("utf-8", "replace"), 0.0)


def form(**fields) -> str:
    return urlencode(fields, doseq=True)


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def describe(name: str, values: list[float], unit: str = "ms") -> str:
    if not values:
        return f"{name}: none"
    return (
        f"{name}: n={len(values)} p50={statistics.median(values):.1f} {unit} p95={pct(values, 95):.1f} {unit} "
        f"p99={pct(values, 99):.1f} {unit} max={max(values):.1f} {unit}"
    )


class Room:
    """What the host did when, and what every participant saw and measured."""

    def __init__(self) -> None:
        self.opened_at: dict[int, float] = {}  # question index → monotonic time the host's "open" request was sent
        self.answer_ms: list[float] = []
        self.poll_ms: list[float] = []
        self.poll_intervals: set[float] = set()
        self.polls_304 = 0
        self.errors: list[str] = []
        self.acknowledged = 0
        self.seen_after: dict[int, list[float]] = {}  # question index → seconds from opening to each learner seeing it
        self.stop = asyncio.Event()

    def error(self, message: str) -> None:
        self.errors.append(message)


class Participant:
    def __init__(self, n: int, port: int, code: str, room: Room) -> None:
        self.n = n
        self.client = Client(port)
        self.code = code
        self.room = room
        self.rng = random.Random(n)
        self.csrf = ""
        self.etag = ""
        self.poll_s = 2.0
        self.seen: set[int] = set()
        self.answered: set[int] = set()
        self.pending: tuple[float, int, dict] | None = None
        self.finished = False

    async def join(self) -> None:
        page = await self.client.request("GET", f"/live/{self.code}/")
        match = CSRF.search(page.body)
        if page.status != 200 or not match:
            raise RuntimeError(f"join page {page.status}")
        joined = await self.client.request(
            "POST",
            f"/live/{self.code}/join/",
            body=form(csrfmiddlewaretoken=match.group(1), as_guest="1", name=f"Learner {self.n:04d}"),
        )
        if joined.status != 302:
            raise RuntimeError(f"join {joined.status}")
        self.csrf = self.client.cookies["csrftoken"]

    async def poll(self) -> None:
        headers = {"HX-Request": "true", **({"If-None-Match": self.etag} if self.etag else {})}
        sent = time.monotonic()
        response = await self.client.request("GET", f"/live/{self.code}/stage/", headers=headers)
        self.room.poll_ms.append(response.ms)
        if response.status == 304:
            self.room.polls_304 += 1
            return
        if response.status != 200:
            self.room.error(f"poll {response.status}")
            return
        self.etag = response.headers.get("etag", "")
        self.read_stage(response.body, sent)

    def read_stage(self, html: str, sent: float) -> None:
        every = EVERY.search(html)
        if every:
            self.poll_s = float(every.group(1))
            self.room.poll_intervals.add(self.poll_s)
        state = STATE.search(html)
        state = state.group(1) if state else ""
        if state == "finished":
            self.finished = True
            return
        number = QUESTION.search(html)
        if state == "question_open" and number:
            index = int(number.group(1)) - 1
            if index not in self.seen and index in self.room.opened_at:
                self.seen.add(index)
                # `sent` is when this poll left: the learner saw the question no later than the poll came back,
                # and the host's request was sent before the transition committed. Both ends are conservative.
                self.room.seen_after.setdefault(index, []).append(time.monotonic() - self.room.opened_at[index])
        index_match = INDEX.search(html)
        if index_match is None or self.pending is not None:
            return
        index = int(index_match.group(1))
        if index in self.answered:
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
        self.pending = (time.monotonic() + self.rng.uniform(0.5, 6.0), index, {name: picked})

    async def answer(self) -> None:
        assert self.pending is not None
        _, index, fields = self.pending
        self.pending = None
        body = form(csrfmiddlewaretoken=self.csrf, index=str(index), **fields)
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf}
        response = await self.client.request("POST", f"/live/{self.code}/answer/", body=body, headers=headers)
        self.room.answer_ms.append(response.ms)
        if response.status == 200 and (
            "Answer sent and locked." in response.body or "already locked in" in response.body
        ):
            self.answered.add(index)
            self.room.acknowledged += 1
            # The answer's reply is the stage fragment; read it like a poll (new ETag, same state).
            self.etag = response.headers.get("etag", self.etag)
        else:
            message = ALERT.search(response.body)
            self.room.error(f"answer {response.status} {message.group(1) if message else ''}")

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        next_poll = loop.time() + self.rng.uniform(0, self.poll_s)
        while not self.room.stop.is_set() and not self.finished:
            now = loop.time()
            try:
                if self.pending is not None and now >= self.pending[0]:
                    await self.answer()
                elif now >= next_poll:
                    next_poll += self.poll_s
                    if next_poll < now:  # fell behind (a slow reply): poll at the interval from now on
                        next_poll = now + self.poll_s
                    await self.poll()
                else:
                    wake = min(next_poll, self.pending[0] if self.pending else next_poll)
                    try:
                        await asyncio.wait_for(self.room.stop.wait(), max(0.0, wake - now))
                    except TimeoutError:
                        pass
            except Exception as exc:  # noqa: BLE001
                self.room.error(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(0.5)
        await self.client.close()


class Host:
    def __init__(self, port: int, session_pk: int, room: Room) -> None:
        self.client = Client(port)
        self.session_pk = session_pk
        self.room = room
        self.poll_ms: list[float] = []
        self.action_ms: list[float] = []
        self.errors: list[str] = []
        self.csrf = ""

    async def login(self) -> None:
        page = await self.client.request("GET", "/accounts/login/")
        token = CSRF.search(page.body).group(1)
        response = await self.client.request(
            "POST", "/accounts/login/", body=form(csrfmiddlewaretoken=token, username="host", password=PASSWORD)
        )
        if response.status != 302:
            raise RuntimeError(f"host login {response.status}")
        self.csrf = self.client.cookies["csrftoken"]
        page = await self.client.request("GET", f"/live/host/{self.session_pk}/")
        if page.status != 200:
            raise RuntimeError(f"host screen {page.status}")

    async def act(self, action: str) -> None:
        """Press a host button: the same view, headers and token as the projector's htmx form."""
        response = await self.client.request(
            "POST",
            f"/live/host/{self.session_pk}/{action}/",
            body=form(csrfmiddlewaretoken=self.csrf),
            headers={"HX-Request": "true", "X-CSRFToken": self.csrf},
        )
        self.action_ms.append(response.ms)
        if response.status != 200:
            self.errors.append(f"{action} {response.status}")

    async def poll_screen(self) -> None:
        etag = ""
        # The host's own connection is busy with actions now and then: its screen polls on a second connection.
        screen = Client(self.client.port)
        screen.cookies = self.client.cookies
        while not self.room.stop.is_set():
            started = time.monotonic()
            headers = {"HX-Request": "true", **({"If-None-Match": etag} if etag else {})}
            try:
                response = await screen.request("GET", f"/live/host/{self.session_pk}/stage/", headers=headers)
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"host poll {exc!r}")
                await asyncio.sleep(1.0)
                continue
            self.poll_ms.append(response.ms)
            if response.status == 200:
                etag = response.headers.get("etag", "")
            elif response.status != 304:
                self.errors.append(f"host poll {response.status}")
            await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        await screen.close()


def server_pids(master: int) -> list[int]:
    try:
        return [master] + [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return [master]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


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
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--keep-alive", type=int, default=0, help="gunicorn --keep-alive (0: the config's own)")
    parser.add_argument("--join-concurrency", type=int, default=50, help="joins in flight at once")
    parser.add_argument("--postgres", default="", help="URL of a PostgreSQL server database to create a scratch one")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * args.participants + 256  # client sockets + the server's, in this process tree
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(need, soft)), hard))

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
        # Every bench participant comes from 127.0.0.1: let all of them join within a minute (docs/live.md).
        "LIVE_JOINS_PER_MINUTE": str(max(60, args.participants)),
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
        from django.db import connections

        connections.close_all()
        port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [
            gunicorn,
            "-c",
            "python:courseware.gunicorn_conf",
            "courseware.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--backlog=2048",
        ]
        if args.keep_alive:
            command.append(f"--keep-alive={args.keep_alive}")
        server = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        print("server:", " ".join(command[1:]), f"(LIVE_JOINS_PER_MINUTE={env['LIVE_JOINS_PER_MINUTE']})")
        asyncio.run(bench(args, session, port, server.pid))
        report_database(args, session)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
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


async def wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        client = Client(port)
        try:
            if (await client.request("GET", "/healthz")).status == 200:
                await client.close()
                return
        except OSError:
            await asyncio.sleep(0.2)
        await client.close()
    raise SystemExit("gunicorn did not start")


async def warm(port: int, connections: int) -> None:
    """A first request to every worker thread (database connection, template loading) so the run measures the
    steady state, not gunicorn's start."""

    async def visit() -> None:
        client = Client(port)
        for _ in range(3):
            await client.request("GET", "/live/")
        await client.close()

    await asyncio.gather(*(visit() for _ in range(connections)))


async def bench(args, session, port: int, server_pid: int) -> None:
    await wait_for(port)
    await warm(port, args.workers * args.threads)
    room = Room()
    people = [Participant(n, port, session.code, room) for n in range(args.participants)]
    gate = asyncio.Semaphore(args.join_concurrency)
    join_ms: list[float] = []

    async def join(person: Participant) -> bool:
        async with gate:
            started = time.perf_counter()
            try:
                await person.join()
            except Exception as exc:  # noqa: BLE001
                room.error(f"join: {exc}")
                return False
            join_ms.append((time.perf_counter() - started) * 1000)
            return True

    join_started = time.monotonic()
    joined = await asyncio.gather(*(join(person) for person in people))
    join_s = time.monotonic() - join_started
    host = Host(port, session.pk, room)
    await host.login()
    tasks = [asyncio.create_task(p.run()) for p, ok in zip(people, joined, strict=True) if ok]
    tasks.append(asyncio.create_task(host.poll_screen()))
    await asyncio.sleep(3.0)  # every learner has polled the lobby once and knows the interval

    pids = server_pids(server_pid)
    cpu_before, wall_before = cpu_seconds(pids), time.monotonic()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    for index in range(args.questions):
        room.opened_at[index] = time.monotonic()
        await host.act("start" if index == 0 else "next")
        await asyncio.sleep(args.answer_window)
        await host.act("reveal")
        await asyncio.sleep(3.0)
    await host.act("finish")
    await asyncio.sleep(max(room.poll_intervals or {2.0}) + 1.5)
    room.stop.set()
    wall = time.monotonic() - wall_before
    cpu = cpu_seconds(pids) - cpu_before
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.wait(tasks, timeout=10)
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)

    seen = [s for values in room.seen_after.values() for s in values]
    missed = sum(args.participants - len(room.seen_after.get(i, [])) for i in range(args.questions))
    print(
        f"participants: {sum(joined)} of {args.participants} joined in {join_s:.1f} s "
        f"({args.join_concurrency} at a time); questions: {args.questions}; gunicorn gthread "
        f"{args.workers} workers × {args.threads} threads"
    )
    print(describe("join (GET page + POST join)", join_ms))
    print(f"learner poll interval asked by the server: {sorted(room.poll_intervals)} s")
    print(f"answers acknowledged to clients: {room.acknowledged}")
    sample = " " + repr(room.errors[:5]) if room.errors else ""
    print(f"errors: {len(room.errors)}{sample}; host errors: {len(host.errors)} {host.errors[:3]}")
    print(describe("answer POST", room.answer_ms))
    print(describe("learner poll", room.poll_ms) + f" ({room.polls_304} of them 304)")
    print(describe("host poll", host.poll_ms))
    print(describe("host action POST", host.action_ms))
    print(describe("question opened → learner saw it", [s * 1000 for s in seen]))
    print(
        f"learner-questions where the open question was never seen: {missed}; seen after more than 2 s: "
        f"{sum(s > 2.0 for s in seen)}"
    )
    per = 1000 * cpu / wall / max(1, sum(joined))
    print(
        f"server CPU (gunicorn master + workers): {cpu:.1f} s over {wall:.0f} s = {100 * cpu / wall:.0f}% of one core, "
        f"{per:.2f} ms of CPU per second per participant" + f"; bench client: {client_cpu:.1f} s"
    )
    reconnects = sum(p.client.reconnects for p in people)
    print(f"keep-alive connections the server closed between requests (client reconnected): {reconnects}")


def report_database(args, session) -> None:
    from django.db import connection

    from courseware.live.models import LiveAnswer, LiveParticipant

    stored = LiveAnswer.objects.filter(session=session).count()
    joined = LiveParticipant.objects.filter(session=session).count()
    expected = args.participants * args.questions
    print(f"database: {connection.vendor}; participants stored: {joined}; answers stored: {stored} of {expected}")


if __name__ == "__main__":
    main()
