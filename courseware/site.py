"""Absolute links to this site, for people on other devices (join links, QR codes)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """SITE_URL + path when the site's public address is configured, else what the request says."""
    site = getattr(settings, "SITE_URL", "")
    return f"{site}{path}" if site else request.build_absolute_uri(path)
