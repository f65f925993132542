"""Topic pages under load: gunicorn with production settings, 50 concurrent clients with wrk (Debian's `wrk`).

    .venv/bin/python bench/topic_load.py [--workers 2] [--threads 4] [--connections 50] [--seconds 20]
        [--gunicorn="-c python:courseware.gunicorn_conf"]   # or "--max-requests 2000 --max-requests-jitter 200"

Prints wrk's summary (requests/s, latency, errors) for the topic hub and the primer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--gunicorn", default="", help="more gunicorn arguments, e.g. the production config")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    var = tempfile.mkdtemp(prefix="bench-load-")
    env = {
        **os.environ,
        "VAR_DIR": var,
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "-v0", "--skip-checks"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "courseware.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "30",
            "--log-level",
            "warning",
            *args.gunicorn.split(),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/topics/aws-lambda/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.05)
        for path in ("/topics/aws-lambda/", "/topics/aws-lambda/primer/"):
            result = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--latency",
                    "--timeout",
                    "5s",
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=args.seconds + 30,
            )
            print(
                f"== {path} (gunicorn -w {args.workers} --threads {args.threads} {args.gunicorn}, "
                f"{args.connections} connections)"
            )
            print(result.stdout)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
