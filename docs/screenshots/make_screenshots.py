"""Regenerate the README's screenshots (topic hub, exercise feedback, dashboard) from a fresh demo install.

    .venv/bin/python docs/screenshots/make_screenshots.py

Sets up a throw-away database with `demo_setup` (demo accounts and a demo cohort with history), serves the app
with runserver on a free port, and photographs three pages with Playwright and Chromium (CHROMIUM, default
/usr/bin/chromium) at 1280 x 800.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a local URL we just started)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "VAR_DIR": var, "DEBUG": "1"}
        manage("migrate", "--noinput", "--skip-checks", env=env)
        manage("createcachetable", env=env)
        manage("demo_setup", env=env)
        passwords = json.loads((Path(var) / "demo-credentials.json").read_text())
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/healthz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

                def session(username: str | None):
                    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    if username:
                        page.goto("/accounts/login/")
                        page.get_by_label("Username").fill(username)
                        page.get_by_label("Password").fill(passwords[username])
                        with page.expect_navigation():
                            page.get_by_role("button", name="Log in").click()
                    return context, page

                context, page = session(None)
                page.goto("/topics/aws-lambda/")
                page.screenshot(path=OUT / "topic-hub.png")
                context.close()

                context, page = session("learner")
                page.goto("/topics/aws-lambda/exercises/importer-timeout/")
                page.get_by_role("button", name="Check", exact=True).click()
                page.locator("#feedback .verdict").wait_for()
                page.locator("#feedback").scroll_into_view_if_needed()
                page.screenshot(path=OUT / "exercise-feedback.png")
                context.close()

                context, page = session("instructor")  # lands on the dashboard
                page.get_by_role("link", name="Demo cohort").first.click()
                page.locator("table.matrix").wait_for()
                page.screenshot(path=OUT / "dashboard.png")
                context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
