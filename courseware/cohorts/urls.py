from __future__ import annotations

from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("cohorts/", views.cohort_list, name="list"),
    path("cohorts/new/", views.cohort_create, name="create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="edit"),
    path("cohorts/<int:pk>/learners/<int:user_id>/remove/", views.cohort_remove_learner, name="remove_learner"),
    path("cohorts/<int:pk>/instructors/", views.cohort_add_instructor, name="add_instructor"),
    path("cohorts/<int:pk>/archive/", views.cohort_archive, name="archive"),
    path("cohorts/<int:pk>/leave/", views.cohort_leave, name="leave"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_code, name="join_code"),
]
