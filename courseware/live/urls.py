from __future__ import annotations

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("cohorts/<int:pk>/live/new/", views.live_new, name="new"),
    path("live/host/<int:pk>/", views.host, name="host"),
    path("live/host/<int:pk>/stage/", views.host_stage, name="host_stage"),
    path("live/host/<int:pk>/participants/<int:participant_pk>/remove/", views.host_remove, name="host_remove"),
    path("live/host/<int:pk>/lobby/", views.host_lobby, name="host_lobby"),
    path("live/host/<int:pk>/report.csv", views.host_report, name="host_report"),
    path("live/host/<int:pk>/<slug:action>/", views.host_action, name="host_action"),
    path("live/", views.learner_enter, name="enter"),
    path("live/<str:code>/", views.learner, name="learner"),
    path("live/<str:code>/join/", views.learner_join, name="join"),
    path("live/<str:code>/stage/", views.learner_stage, name="learner_stage"),
    path("live/<str:code>/answer/", views.learner_answer, name="answer"),
    path("live/<str:code>/check/", views.learner_check, name="check"),
]
