"""What the quizzes app adds to other apps' pages: the topic hub section and the Review nav item."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courseware.topics.content import Topic

from . import selectors, services
from .content import quizzes_of


def hub_section(request: HttpRequest, topic: Topic) -> str:
    quizzes = list(quizzes_of(topic).values())
    if not quizzes:
        return ""
    token = "" if request.user.is_authenticated else services.anon_token_for(request.session, create=False)
    best = (
        selectors.best_scores(topic=topic.slug, user=request.user, anon_token=token)
        if (request.user.is_authenticated or token)
        else {}
    )
    rows = [(quiz, best.get(quiz.slug)) for quiz in quizzes]
    return render_to_string("quizzes/hub_section.html", {"topic": topic, "rows": rows}, request=request)


def review_nav(request: HttpRequest) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    url = reverse("quizzes:review")
    return [
        {
            "label": "Review",
            "url": url,
            "count": selectors.review_due_count(user=request.user, now=timezone.now()),
            "current": request.path.startswith(url),
        }
    ]
