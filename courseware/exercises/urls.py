from __future__ import annotations

from django.urls import path

from . import views

app_name = "exercises"

BASE = "topics/<slug:topic>/exercises/<slug:exercise>/"

urlpatterns = [
    path("topics/<slug:topic>/exercises/", views.exercise_list, name="list"),
    path("topics/<slug:topic>/anti_primer/replay/", views.story_replay, name="replay"),
    path(BASE, views.exercise_detail, name="detail"),
    path(BASE + "check/", views.exercise_check, name="check"),
    path(BASE + "reset/", views.exercise_reset, name="reset"),
    path(BASE + "draft/", views.draft_autosave, name="draft"),
    path(BASE + "hints/", views.hint_reveal, name="hint"),
    path(BASE + "solution/", views.solution, name="solution"),
    path(BASE + "submissions/<int:pk>/", views.submission_detail, name="submission"),
    path(BASE + "submissions/<int:pk>/production/", views.submission_production, name="production"),
]
