from __future__ import annotations

from django.urls import path

from . import views

app_name = "quizzes"

QUIZ = "topics/<slug:topic>/quizzes/<slug:quiz>/"
ATTEMPT = QUIZ + "attempts/<int:attempt>/"

urlpatterns = [
    path(QUIZ, views.quiz_detail, name="quiz"),
    path(QUIZ + "start/", views.attempt_start, name="start"),
    path(ATTEMPT, views.attempt_detail, name="attempt"),
    path(ATTEMPT + "answer/<slug:question>/", views.answer, name="answer"),
    path(ATTEMPT + "finish/", views.attempt_finish, name="finish"),
    path(ATTEMPT + "result/", views.attempt_result, name="result"),
    path("review/", views.review, name="review"),
    path("review/<slug:topic>/<slug:quiz>/<slug:question>/", views.review_question, name="review_question"),
]
