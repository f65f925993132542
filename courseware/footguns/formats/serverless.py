from __future__ import annotations

from typing import Any

from courseware.footguns.model import Application


def read_service(document: Any, file: str, app: Application) -> None:
    return None
