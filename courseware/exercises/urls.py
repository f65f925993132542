from __future__ import annotations

app_name = "exercises"

urlpatterns: list = []
