from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from courseware.cohorts.views import home as home_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people get their learning home; visitors get the topic catalogue."""
    return home_page(request)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
