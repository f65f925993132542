from __future__ import annotations

import json
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courseware import health
from courseware.cohorts.views import home as home_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people get their learning home; visitors get the topic catalogue."""
    return home_page(request)


@never_cache
@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    ready, report = health.readiness()
    body = json.dumps({"status": "ready" if ready else "unavailable", **report}, indent=1)
    response = HttpResponse(body, content_type="application/json", status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(health.RETRY_AFTER_S)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage of the database or Redis is a 503 the learner can retry, with a styled page.

    Rendered without a request context (no session, user or database query), so it works while the database is
    down. htmx requests get the same status; static/js/app.js shows the message where the learner acted.
    """
    outage = health.is_outage(sys.exception())
    template = "503.html" if outage else "500.html"
    try:
        body = loader.render_to_string(template)
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        body = "Server error. Please try again."
    response = HttpResponse(body, status=503) if outage else HttpResponseServerError(body)
    if outage:
        response["Retry-After"] = str(health.RETRY_AFTER_S)
    return response
