from __future__ import annotations

app_name = "cohorts"

urlpatterns: list = []
