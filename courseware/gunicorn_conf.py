"""gunicorn settings for production: `gunicorn -c python:courseware.gunicorn_conf courseware.wsgi:application`.

The course is loaded once, in the master, before the workers are forked (preload), so a worker starts serving at
once and shares the loaded content. Workers are not restarted after N requests: each restart reloaded the course
(1-2 s) and, at load, `--max-requests 2000` restarted a worker every few seconds (docs/operations.md has the
numbers). The sandbox is started in each worker after the fork, never in the master: a forked copy of a running
sandbox thread or zygote would belong to the wrong process.
"""

from __future__ import annotations

import os

preload_app = True
max_requests = 0
timeout = 30
graceful_timeout = 20
# Keep a phone's connection open between two polls of a live session (1.5 s apart; gunicorn's default is 2 s, which a
# slow reply plus the interval overruns): a reconnect per poll costs the server an accept and the phone a handshake.
keepalive = 5

# Read by courseware.wsgi when the master imports it: load content now, start the sandbox in post_fork.
os.environ["COURSEWARE_SANDBOX_AFTER_FORK"] = "1"


def post_fork(server, worker) -> None:
    from courseware.wsgi import start_sandbox_warm_up

    start_sandbox_warm_up()
