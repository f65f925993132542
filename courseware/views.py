from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from courseware.topics.views import catalogue


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return catalogue(request)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
