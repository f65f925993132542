from __future__ import annotations

from django.urls import path, re_path

from . import views
from .content import PAGE_KINDS

app_name = "topics"
KINDS = "|".join(PAGE_KINDS)

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:topic>/", views.hub, name="hub"),
    re_path(r"^(?P<topic>[a-z0-9-]+)/anti_primer/drill/$", views.drill, name="drill"),
    re_path(rf"^(?P<topic>[a-z0-9-]+)/(?P<kind>{KINDS})/$", views.page, name="page"),
    re_path(rf"^(?P<topic>[a-z0-9-]+)/(?P<kind>{KINDS})/read/$", views.mark_read, name="mark_read"),
]
