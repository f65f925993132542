"""The process-wide content library: loaded once, reloaded in development when files change."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from django.conf import settings

from .content import Library, load_library

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Library]] = {}
_checked_at: dict[Path, float] = {}
RECHECK_SECONDS = 1.0


def _fingerprint(content_dir: Path) -> tuple:
    if not content_dir.is_dir():
        return ()
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(content_dir.rglob("*")) if p.is_file()
    )


def get_library(content_dir: Path | None = None) -> Library:
    root = Path(content_dir or settings.CONTENT_DIR)
    cached = _cache.get(root)
    now = time.monotonic()
    if cached is not None and (not settings.DEBUG or now - _checked_at.get(root, 0) < RECHECK_SECONDS):
        return cached[1]
    with _lock:
        cached = _cache.get(root)
        fingerprint = _fingerprint(root)
        _checked_at[root] = now
        if cached is None or cached[0] != fingerprint:
            _cache[root] = (fingerprint, load_library(root))
        return _cache[root][1]


def clear() -> None:
    with _lock:
        _cache.clear()
        _checked_at.clear()
