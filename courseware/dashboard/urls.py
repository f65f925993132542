from __future__ import annotations

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/cohorts/<int:pk>/", views.matrix, name="matrix"),
    path("dashboard/cohorts/<int:pk>/readiness.csv", views.matrix_csv, name="matrix_csv"),
    path("dashboard/cohorts/<int:pk>/footguns/", views.heatmap, name="heatmap"),
    path("dashboard/cohorts/<int:pk>/questions/", views.questions, name="questions"),
    path("dashboard/cohorts/<int:pk>/questions.csv", views.questions_csv, name="questions_csv"),
    path("dashboard/cohorts/<int:pk>/exercises/", views.exercises, name="exercises"),
    path("dashboard/cohorts/<int:pk>/learners/<int:user_id>/", views.learner, name="learner"),
    path(
        "dashboard/cohorts/<int:pk>/learners/<int:user_id>/submissions/<int:submission_id>/",
        views.submission,
        name="submission",
    ),
]
