from __future__ import annotations

import math
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseware.topics.library import get_library

from . import selectors, services
from .cards import build_card
from .content import Question, Quiz, quizzes_of
from .grading import InvalidAnswer, describe_key, ordering_move, parse_answer
from .models import Attempt

LEARNING_HORIZON = timedelta(hours=1)
FINISHED_MESSAGE = "This attempt is finished, so its answers can no longer change. Start a new attempt to try again."
LAST_REVIEW_KEY = "quizzes_last_review"


def _quiz_or_404(topic: str, quiz: str) -> Quiz:
    topic_obj = get_library().topic(topic)
    found = quizzes_of(topic_obj).get(quiz) if topic_obj else None
    if found is None:
        raise Http404("No such quiz")
    return found


def _anon_token(request: HttpRequest) -> str:
    return "" if request.user.is_authenticated else services.anon_token_for(request.session, create=False)


def _attempt_or_404(request: HttpRequest, quiz: Quiz, attempt: int) -> Attempt:
    found = selectors.attempt_owned(
        pk=attempt, topic=quiz.topic, quiz=quiz.slug, user=request.user, anon_token=_anon_token(request)
    )
    if found is None:
        raise Http404("No such attempt")
    return found


def _question_or_404(quiz: Quiz, question: str) -> Question:
    found = quiz.question(question)
    if found is None:
        raise Http404("No such question")
    return found


def _form(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}


def _attempt_url(attempt: Attempt) -> str:
    return reverse("quizzes:attempt", args=[attempt.topic, attempt.quiz, attempt.pk])


def _answer_url(attempt: Attempt, question: Question) -> str:
    return reverse("quizzes:answer", args=[attempt.topic, attempt.quiz, attempt.pk, question.id])


def _card(attempt: Attempt, quiz: Quiz, question: Question, answer=None, **kwargs):
    return build_card(
        question,
        seed=attempt.seed,
        shuffle=quiz.shuffle,
        action=_answer_url(attempt, question),
        response=answer.response if answer is not None else None,
        **kwargs,
    )


def _next_question(quiz: Quiz, question: Question) -> Question | None:
    index = quiz.questions.index(question)
    return quiz.questions[index + 1] if index + 1 < len(quiz.questions) else None


def _card_context(attempt: Attempt, quiz: Quiz, question: Question, card, *, swapped: bool) -> dict:
    following = _next_question(quiz, question) if quiz.mode == "one_at_a_time" else None
    return {
        "card": card,
        "attempt": attempt,
        "quiz": quiz,
        "swapped": swapped,
        "next_url": f"{_attempt_url(attempt)}?q={following.id}" if following else "",
        "finish_url": reverse("quizzes:finish", args=[attempt.topic, attempt.quiz, attempt.pk])
        if quiz.mode == "one_at_a_time" and following is None
        else "",
    }


@require_GET
def quiz_detail(request: HttpRequest, topic: str, quiz: str) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    attempts = selectors.attempts_of_quiz(
        topic=quiz_obj.topic, quiz=quiz_obj.slug, user=request.user, anon_token=_anon_token(request)
    )
    unfinished = next((a for a in attempts if not a.is_finished), None)
    return render(
        request,
        "quizzes/quiz.html",
        {
            "topic": get_library().topic(topic),
            "quiz": quiz_obj,
            "attempts": [a for a in attempts if a.is_finished],
            "unfinished": unfinished,
        },
    )


@require_POST
def attempt_start(request: HttpRequest, topic: str, quiz: str) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    token = "" if request.user.is_authenticated else services.anon_token_for(request.session, create=True)
    attempt = services.attempt_start(quiz=quiz_obj, user=request.user, anon_token=token)
    return redirect(_attempt_url(attempt))


@require_GET
def attempt_detail(request: HttpRequest, topic: str, quiz: str, attempt: int) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    attempt_obj = _attempt_or_404(request, quiz_obj, attempt)
    if attempt_obj.is_finished:
        return redirect("quizzes:result", topic, quiz, attempt_obj.pk)
    answers = selectors.answers_by_question(attempt=attempt_obj)
    context = {
        "topic": get_library().topic(topic),
        "quiz": quiz_obj,
        "attempt": attempt_obj,
        "answered_count": sum(1 for q in quiz_obj.questions if q.id in answers),
        "page_finish_url": reverse("quizzes:finish", args=[topic, quiz, attempt_obj.pk]),
    }
    if quiz_obj.mode == "one_page":
        context["cards"] = [
            _card_context(attempt_obj, quiz_obj, q, _card(attempt_obj, quiz_obj, q, answers.get(q.id)), swapped=False)
            for q in quiz_obj.questions
        ]
    else:
        requested = quiz_obj.question(request.GET.get("q", "")[:80])
        current = requested or next((q for q in quiz_obj.questions if q.id not in answers), quiz_obj.questions[-1])
        context["current"] = current
        context["cards"] = [
            _card_context(
                attempt_obj,
                quiz_obj,
                current,
                _card(attempt_obj, quiz_obj, current, answers.get(current.id)),
                swapped=False,
            )
        ]
    return render(request, "quizzes/attempt.html", context)


@require_POST
def answer(request: HttpRequest, topic: str, quiz: str, attempt: int, question: str) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    attempt_obj = _attempt_or_404(request, quiz_obj, attempt)
    question_obj = _question_or_404(quiz_obj, question)
    if attempt_obj.is_finished:
        return _finished(request, attempt_obj)
    if question_obj.kind == "ordering" and "move" in request.POST:
        return _ordering_move(request, attempt_obj, quiz_obj, question_obj, topic)
    try:
        response = parse_answer(question_obj, _form(request))
    except InvalidAnswer as exc:
        card = _card(attempt_obj, quiz_obj, question_obj, error=exc.message, typed=request.POST.get("value", "")[:40])
        context = _card_context(attempt_obj, quiz_obj, question_obj, card, swapped=bool(request.htmx))
        # 422 either way: htmx swaps it (the site's error convention, static/js/errors.js), without JavaScript
        # the page comes back with the message and what was typed.
        if request.htmx:
            return render(request, "quizzes/question.html#card", context, status=422)
        return render(
            request, "quizzes/question_error.html", {**context, "topic": get_library().topic(topic)}, status=422
        )
    try:
        result = services.answer_submit(attempt=attempt_obj, question=question_obj, response=response)
    except services.AttemptFinished:
        return _finished(request, attempt_obj)
    if request.htmx:
        card = _card(attempt_obj, quiz_obj, question_obj, result.answer, message=result.message)
        response = render(
            request,
            "quizzes/question.html#card",
            _card_context(attempt_obj, quiz_obj, question_obj, card, swapped=True),
        )
        # The page's progress line and finish note are swapped out of band, so they count this answer too.
        answered = selectors.answers_by_question(attempt=attempt_obj)
        progress = {
            "quiz": quiz_obj,
            "current": question_obj,
            "answered_count": sum(1 for q in quiz_obj.questions if q.id in answered),
        }
        response.content += render_to_string("quizzes/attempt.html#answered-oob", progress, request=request).encode()
        return response
    if result.message:
        messages.info(request, result.message)
    suffix = f"?q={question_obj.id}" if quiz_obj.mode == "one_at_a_time" else ""
    return redirect(f"{_attempt_url(attempt_obj)}{suffix}#q-{question_obj.id}")


def _ordering_move(request: HttpRequest, attempt: Attempt, quiz: Quiz, question: Question, topic: str):
    """A move-up or move-down press: the card comes back in its new order; nothing is stored or graded."""
    try:
        order, focus = ordering_move(question, _form(request))
        card = _card(attempt, quiz, question, order=order, focus_move=focus)
        status = 200
    except InvalidAnswer as exc:
        card, status = _card(attempt, quiz, question, error=exc.message), 400
    context = _card_context(attempt, quiz, question, card, swapped=bool(request.htmx))
    if request.htmx:  # htmx swaps only 2xx responses: the message travels with a 200, as for answers
        return render(request, "quizzes/question.html#card", context)
    return render(
        request, "quizzes/question_error.html", {**context, "topic": get_library().topic(topic)}, status=status
    )


def _finished(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    result_url = reverse("quizzes:result", args=[attempt.topic, attempt.quiz, attempt.pk])
    if request.htmx:
        # htmx follows HX-Redirect before any swap: the result page shows the message.
        messages.warning(request, FINISHED_MESSAGE)
        response = HttpResponse(FINISHED_MESSAGE, status=409, content_type="text/plain; charset=utf-8")
        response["HX-Redirect"] = result_url
        return response
    return render(request, "quizzes/finished.html", {"message": FINISHED_MESSAGE, "result_url": result_url}, status=409)


@require_POST
def attempt_finish(request: HttpRequest, topic: str, quiz: str, attempt: int) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    attempt_obj = _attempt_or_404(request, quiz_obj, attempt)
    services.attempt_finish(attempt=attempt_obj, quiz=quiz_obj)
    return redirect("quizzes:result", topic, quiz, attempt_obj.pk)


@require_GET
def attempt_result(request: HttpRequest, topic: str, quiz: str, attempt: int) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    attempt_obj = _attempt_or_404(request, quiz_obj, attempt)
    if not attempt_obj.is_finished:
        return redirect(_attempt_url(attempt_obj))
    answers = selectors.answers_by_question(attempt=attempt_obj)
    rows = [
        (q, _card(attempt_obj, quiz_obj, q, answers.get(q.id)), q.id in answers, describe_key(q))
        for q in quiz_obj.questions
    ]
    return render(
        request,
        "quizzes/result.html",
        {
            "topic": get_library().topic(topic),
            "quiz": quiz_obj,
            "attempt": attempt_obj,
            "rows": rows,
            "pass_percent": round(quiz_obj.pass_mark * 100),
            "content_changed": attempt_obj.content_hash != quiz_obj.content_hash,
        },
    )


def _review_rows(items) -> list[tuple]:
    """Review items with their content; items whose question left the content are skipped."""
    library = get_library()
    rows = []
    for item in items:
        topic = library.topic(item.topic)
        quiz = quizzes_of(topic).get(item.quiz) if topic else None
        question = quiz.question(item.question_id) if quiz else None
        if question is not None:
            rows.append((item, topic, quiz, question))
    return rows


@require_GET
@login_required
def review(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    due = _review_rows(selectors.review_items_due(user=request.user, now=now))
    upcoming = _review_rows(selectors.review_items_upcoming(user=request.user, now=now))
    # "Well done" only when nothing missed is waiting in a same-day learning step.
    soon = [item for item, *_ in upcoming if item.due_at - now <= LEARNING_HORIZON]
    next_due = min((item.due_at for item in soon), default=None)
    context = {
        "due": due,
        "upcoming": upcoming,
        "missed_soon": len(soon),
        "next_due_minutes": max(1, math.ceil((next_due - now).total_seconds() / 60)) if next_due else 0,
    }
    return render(request, "quizzes/review.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def review_question(request: HttpRequest, topic: str, quiz: str, question: str) -> HttpResponse:
    quiz_obj = _quiz_or_404(topic, quiz)
    question_obj = _question_or_404(quiz_obj, question)
    item = selectors.review_item(user=request.user, topic=topic, quiz=quiz, question_id=question)
    if item is None:
        raise Http404("This question is not in your review queue")
    action = reverse("quizzes:review_question", args=[topic, quiz, question])
    key = f"{topic}/{quiz}#{question}"
    context = {
        "topic": get_library().topic(topic),
        "quiz": quiz_obj,
        "item": item,
        "review": True,
        "next_url": reverse("quizzes:review"),
        "next_label": "Back to your review queue",
        "finish_url": "",
    }
    if request.method == "GET":
        # The result of a review answered without JavaScript is shown once, after the redirect.
        last = request.session.pop(LAST_REVIEW_KEY, None)
        response = last["response"] if isinstance(last, dict) and last.get("key") == key else None
        card = build_card(question_obj, seed=item.pk, shuffle=quiz_obj.shuffle, action=action, response=response)
        return render(request, "quizzes/review_question.html", {**context, "card": card, "swapped": False})
    if question_obj.kind == "ordering" and "move" in request.POST:
        try:
            order, focus = ordering_move(question_obj, _form(request))
            card = build_card(
                question_obj, seed=item.pk, shuffle=quiz_obj.shuffle, action=action, order=order, focus_move=focus
            )
        except InvalidAnswer as exc:
            card = build_card(question_obj, seed=item.pk, shuffle=quiz_obj.shuffle, action=action, error=exc.message)
        if request.htmx:
            return render(request, "quizzes/question.html#card", {**context, "card": card, "swapped": True})
        return render(request, "quizzes/review_question.html", {**context, "card": card, "swapped": False})
    try:
        response = parse_answer(question_obj, _form(request))
    except InvalidAnswer as exc:
        card = build_card(
            question_obj,
            seed=item.pk,
            shuffle=quiz_obj.shuffle,
            action=action,
            error=exc.message,
            typed=request.POST.get("value", "")[:40],
        )
        if request.htmx:
            return render(request, "quizzes/question.html#card", {**context, "card": card, "swapped": True}, status=422)
        return render(request, "quizzes/review_question.html", {**context, "card": card}, status=422)
    card = build_card(question_obj, seed=item.pk, shuffle=quiz_obj.shuffle, action=action, response=response)
    if item.due_at is not None and item.due_at <= timezone.now():
        services.review_record(item=item, correct=card.grade.correct)
    request.session[LAST_REVIEW_KEY] = {"key": key, "response": response}
    if request.htmx:
        return render(request, "quizzes/question.html#card", {**context, "card": card, "swapped": True})
    return redirect(action)
