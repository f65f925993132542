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


def _warm_up() -> None:
    """Pay start-up costs before the first learner does (no cold start on the first request).

    Content is loaded and rendered now, in the worker, before it accepts requests. The sandbox zygote and its
    self-test (about a second of CPU) start in the background, so the first exercise check does not wait.
    """
    from django.conf import settings

    from courseware.topics.library import get_library

    get_library()
    if settings.TESTING or os.environ.get("SANDBOX_WARM", "1") != "1":
        return

    def start_sandbox() -> None:
        from courseware.exercises.checker import checker

        try:
            checker()
        except Exception:  # noqa: BLE001 - reported again, with its reason, on the first check
            logging.getLogger(__name__).warning("sandbox did not start at warm-up", exc_info=True)

    threading.Thread(target=start_sandbox, name="sandbox-warm-up", daemon=True).start()


_warm_up()
