from __future__ import annotations

from django.core import checks

from .library import clear, get_library


@checks.register("content")
def content_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    clear()
    library = get_library()
    messages: list[checks.CheckMessage] = [checks.Error(str(error), id="content.E001") for error in library.errors]
    messages += [checks.Warning(str(warning), id="content.W001") for warning in library.warnings]
    return messages
