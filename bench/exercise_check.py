"""Exercise checks over HTTP: request to feedback HTML, under gunicorn with the real sandbox.

    .venv/bin/python bench/exercise_check.py [--checks 200] [--learners 20] [--seconds 20] [--hostile 0.2]
        [--think 2] [--pool-size N] [--panel] [--latency-only]

1. latency: one learner checks each AWS Lambda exercise's starter --checks times in a row
   (p50/p95 per exercise; budget for SAM exercises p50 <= 40 ms, p95 <= 100 ms);
2. throughput: --learners learners check starters concurrently for --seconds, back to back (saturation)
   and paced (each learner waits a random --think seconds between checks, as when editing);
3. both again with a --hostile share of hostile submissions (alias bomb, deep nesting, huge file,
   pathological HCL): honest checks are reported separately, and no process of the app may be left
   once gunicorn has stopped.

The app runs as `gunicorn courseware.wsgi -w 2 --threads 8` with production settings over plain
HTTP (SECURE_SSL_REDIRECT=0). The per-learner rate limit is switched off
(EXERCISE_CHECKS_PER_MINUTE=0): this measures capacity, and a learner here checks far more often
than 20 times a minute.

With --panel, each check is followed at once by the "In production" panel's request, as htmx sends it after
the verdict is swapped in (on another connection, while the learner's next check starts): the check latency is
measured as before, and the panel's own latency is reported beside it. With --vary every check sends different
files (a numbered comment), so no simulation is reused: the panel's worst case.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOPIC = "aws-lambda"
SAM_FORMATS = {"sam"}

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)
)
HOSTILE = {
    "alias-bomb": ("yaml", ALIAS_BOMB),
    "deep-nesting": ("yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n"),
    "huge-file": ("yaml", "# " + "x" * 300_000 + "\n"),
    "big-but-allowed": ("yaml", "".join(f"# filler line {i:06d} " + "y" * 40 + "\n" for i in range(4000))),
    "pathological-hcl": ("tf", "locals {\n  a = " + " + ".join(["1"] * 15000) + "\n}\n"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


class Learner:
    def __init__(self, port: int, session: str) -> None:
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def check(self, slug: str, fields: dict[str, str]) -> tuple[int, float, bytes]:
        body = urllib.parse.urlencode(fields)
        headers = {
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request("POST", f"/topics/{TOPIC}/exercises/{slug}/check/", body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        return response.status, (time.perf_counter() - start) * 1000, data

    def get(self, path: str) -> tuple[int, float, bytes]:
        headers = {"Cookie": self.cookie, "HX-Request": "true"}
        start = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        return response.status, (time.perf_counter() - start) * 1000, data


PANEL_URL = re.compile(rb'hx-get="(/topics/[^"]+/production/)"')


def descendants(pid: int) -> list[tuple[int, str]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            try:
                cmd = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
            except OSError:
                cmd = "?"
            found.append((child, cmd))
            stack.append(child)
    return found


def alive(pids: list[int]) -> list[int]:
    left = []
    for pid in pids:
        try:
            state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            left.append(pid)
    return left


def run_load(learners, exercises, seconds, hostile_share, tf_slug, think_s: float = 0.0) -> dict:
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(learner: Learner, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            if think_s:
                time.sleep(rng.expovariate(1 / think_s))  # the learner edits between checks
            exercise = rng.choice(exercises)
            if rng.random() < hostile_share:
                name = rng.choice(sorted(HOSTILE))
                kind, text = HOSTILE[name]
                if kind == "tf":
                    exercise = tf_slug
                    fields = {"file-0": text}
                else:
                    fields = {"file-0": text}
                slug = exercise if isinstance(exercise, str) else exercise["slug"]
                status, ms, _ = learner.check(slug, fields)
                label = f"hostile:{name}"
            else:
                status, ms, _ = learner.check(exercise["slug"], exercise["fields"])
                label = "honest"
            with lock:
                results.append((label, status, ms))

    threads = [threading.Thread(target=work, args=(learner, i)) for i, learner in enumerate(learners)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"results": results, "elapsed": elapsed}


def report_load(title: str, load: dict) -> None:
    results, elapsed = load["results"], load["elapsed"]
    honest = [ms for label, status, ms in results if label == "honest" and status == 200]
    statuses = Counter((label.split(":")[0], status) for label, status, _ in results)
    print(f"\n{title}: {len(results)} checks in {elapsed:.1f} s = {len(results) / elapsed:.1f} checks/s")
    if honest:
        print(
            f"  honest checks answered 200: n={len(honest)} p50={statistics.median(honest):.1f} ms "
            f"p95={percentile(honest, 0.95):.1f} ms max={max(honest):.1f} ms ({len(honest) / elapsed:.1f}/s)"
        )
    print("  responses:", ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(statuses.items())))
    by_hostile: dict[str, list[tuple[int, float]]] = {}
    for label, status, ms in results:
        if label.startswith("hostile:"):
            by_hostile.setdefault(label[8:], []).append((status, ms))
    for name, items in sorted(by_hostile.items()):
        times = [ms for _, ms in items]
        codes = Counter(status for status, _ in items)
        print(f"  hostile {name:18} n={len(items):4} p50={statistics.median(times):7.1f} ms codes={dict(codes)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--hostile", type=float, default=0.2)
    parser.add_argument("--only", default="", help="comma-separated exercise slugs for the latency phase")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a learner's checks (paced runs)")
    parser.add_argument("--pool-size", type=int, default=0, help="SANDBOX_POOL_SIZE per worker (default: cores - 1)")
    parser.add_argument("--panel", action="store_true", help="load the In production panel after each check")
    parser.add_argument("--latency-only", action="store_true", help="skip the throughput phases")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between a learner's checks (latency phase)")
    parser.add_argument(
        "--vary", action="store_true",
        help="make every check's files different (a numbered comment), as a learner's edits do: no result is reused",
    )  # fmt: skip
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="bench-exercise-")
    env = {
        **os.environ,
        "VAR_DIR": var,
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
        "EXERCISE_CHECKS_PER_MINUTE": "0",
        "LOG_LEVEL": "WARNING",
    }
    if args.pool_size:
        env["SANDBOX_POOL_SIZE"] = str(args.pool_size)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    from courseware.exercises.content import exercises_of
    from courseware.topics.library import get_library

    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sessions = []
    for i in range(args.learners + 1):
        client = Client()
        client.force_login(User.objects.create_user(f"bench{i}"))
        sessions.append(client.cookies["sessionid"].value)
    exercises = [
        {
            "slug": e.slug,
            "format": e.format,
            "fields": {f"file-{i}": f.text for i, f in enumerate(e.starter)},
        }
        for e in exercises_of(get_library().topic(TOPIC))
    ]
    tf_slug = next(e["slug"] for e in exercises if e["format"] == "terraform")

    port = free_port()
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "courseware.wsgi", "-w", "2", "--threads", "8", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        learners = [Learner(port, s) for s in sessions[: args.learners]]
        # Warm up: each worker starts its sandbox (and runs the self-test) on its first check.
        warm = run_load(learners, exercises, 6.0, 0.0, tf_slug)
        assert any(status == 200 for _, status, _ in warm["results"]), Counter(s for _, s, _ in warm["results"])

        print(f"latency, one learner, {args.checks} sequential checks of each starter (client-side, full response):")
        solo = Learner(port, sessions[-1])
        browser = Learner(port, sessions[-1])  # the same learner's second connection, for the panel
        panel_ms: list[float] = []
        panel_shown = 0
        only = set(filter(None, args.only.split(",")))
        sam_p50, sam_p95 = [], []
        for exercise in exercises:
            if only and exercise["slug"] not in only:
                continue
            timings = []
            pending: threading.Thread | None = None
            for number in range(args.checks):
                if args.pause:
                    time.sleep(args.pause)
                fields = dict(exercise["fields"])
                if args.vary:
                    fields["file-0"] = fields["file-0"].rstrip("\n") + f"\n# check {number}\n"
                status, ms, body = solo.check(exercise["slug"], fields)
                assert status == 200, (exercise["slug"], status, body[:300])
                timings.append(ms)
                found = PANEL_URL.search(body) if args.panel else None
                if found:
                    if pending is not None:
                        pending.join()

                    def load_panel(path: str = found.group(1).decode()) -> None:
                        nonlocal panel_shown
                        status, took, html = browser.get(path)
                        panel_ms.append(took)
                        panel_shown += status == 200 and b"In production" in html

                    pending = threading.Thread(target=load_panel)
                    pending.start()
            if pending is not None:
                pending.join()
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            if exercise["format"] in SAM_FORMATS:
                sam_p50.append(p50)
                sam_p95.append(p95)
            print(f"  {exercise['slug']:32} {exercise['format']:15} p50={p50:6.1f} ms p95={p95:6.1f} ms")
        if sam_p50:
            print(
                f"  SAM exercises: worst p50={max(sam_p50):.1f} ms, worst p95={max(sam_p95):.1f} ms "
                "(budget p50 <= 40 ms, p95 <= 100 ms)"
            )
        if panel_ms:
            print(
                f"  In production panels: {len(panel_ms)} loaded after their checks, {panel_shown} shown; "
                f"p50={statistics.median(panel_ms):.1f} ms p95={percentile(panel_ms, 0.95):.1f} ms"
            )
        if args.latency_only:
            return

        n = args.learners
        for think, hostile in ((0.0, 0.0), (0.0, args.hostile), (args.think, 0.0), (args.think, args.hostile)):
            pace = "back to back" if not think else f"mean {think:g} s between a learner's checks"
            title = f"{n} learners, {pace}, {hostile:.0%} hostile"
            report_load(title, run_load(learners, exercises, args.seconds, hostile, tf_slug, think))
        time.sleep(1.0)
        tree = descendants(gunicorn.pid)
        workers = [pid for pid, cmd in tree if "gunicorn" in cmd]
        others = [(pid, cmd) for pid, cmd in tree if pid not in workers]
        print(
            f"\nprocesses under gunicorn after the load: {len(workers)} workers and {len(others)} others "
            f"(one zygote per worker expected, no check children): {others}"
        )
    finally:
        tree = descendants(gunicorn.pid)
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    deadline = time.monotonic() + 5
    while alive([pid for pid, _ in tree]) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive([pid for pid, _ in tree])
    print(f"processes of the app left 5 s after gunicorn stopped: {len(left)} {left}")


if __name__ == "__main__":
    main()
