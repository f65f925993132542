from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from courseware import views
from courseware.topics.views import pygments_stylesheet

urlpatterns = [
    path("", views.home, name="home"),
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("pygments.css", pygments_stylesheet, name="pygments_css"),
    path("accounts/", include("courseware.accounts.urls")),
    # App URLconfs carry their full paths (e.g. topics/<topic>/quizzes/...) and come before the
    # topic pages so their prefixes win.
    path("", include("courseware.quizzes.urls")),
    path("", include("courseware.exercises.urls")),
    path("", include("courseware.cohorts.urls")),
    path("", include("courseware.live.urls")),
    path("", include("courseware.dashboard.urls")),
    path("topics/", include("courseware.topics.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "courseware.views.server_error"
