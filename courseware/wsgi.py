from __future__ import annotations

import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseware.settings")
application = get_wsgi_application()


def _refuse_without_secret_key() -> None:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if settings.SECRET_KEY_MISSING and not settings.DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set; outside DEBUG every app server needs the same key.")


_refuse_without_secret_key()


def start_sandbox_warm_up() -> None:
    """Start the sandbox zygote and its self-test (about a second of CPU) in the background of this process."""
    from django.conf import settings

    if settings.TESTING or os.environ.get("SANDBOX_WARM", "1") != "1":
        return

    def start_sandbox() -> None:
        from courseware.exercises.checker import checker

        try:
            checker()
        except Exception:  # noqa: BLE001 - reported again, with its reason, on the first check
            logging.getLogger(__name__).warning("sandbox did not start at warm-up", exc_info=True)

    threading.Thread(target=start_sandbox, name="sandbox-warm-up", daemon=True).start()


def _warm_up() -> None:
    """Pay start-up costs before the first learner does (no cold start on the first request).

    Content is loaded and rendered now: in the worker, or once in gunicorn's master before the fork when it
    preloads (courseware.gunicorn_conf), so every worker shares it. The sandbox starts in the background of each
    worker; under preload that happens after the fork (gunicorn_conf.post_fork), never in the master.
    """
    from courseware.topics.library import get_library

    get_library()
    if os.environ.get("COURSEWARE_SANDBOX_AFTER_FORK") != "1":
        start_sandbox_warm_up()


_warm_up()
