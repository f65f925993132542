"""Cold start: from process start to the first topic page served, with gunicorn (production settings).

.venv/bin/python bench/cold_start.py [--runs 5] [--path /topics/aws-lambda/]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", default="/topics/aws-lambda/")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="bench-cold-")
    env = {
        **os.environ,
        "VAR_DIR": var,
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "courseware.settings",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--skip-checks", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    results = []
    for _ in range(args.runs):
        port = free_port()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "courseware.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = start + 20
            while time.perf_counter() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{args.path}", timeout=5) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.01)
            else:
                raise SystemExit("no page within 20 s")
            results.append(time.perf_counter() - start)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(
        f"cold start to first {args.path}: runs={len(results)} median={statistics.median(results):.3f} s "
        f"max={max(results):.3f} s"
    )


if __name__ == "__main__":
    main()
