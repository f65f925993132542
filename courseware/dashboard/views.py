from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from courseware.accounts.roles import is_instructor
from courseware.cohorts.selectors import cohorts_for_instructor

from . import selectors
from .code_view import highlighted_file
from .stats import csv_safe


def _cohort(request: HttpRequest, pk: int):
    if not is_instructor(request.user):
        raise Http404("No such cohort")
    try:
        return selectors.cohort_for_instructor(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404("No such cohort") from None


def _tabs(cohort, current: str) -> dict:
    return {"cohort": cohort, "tab": current}


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not is_instructor(request.user):
        raise PermissionDenied("The dashboard is for instructors.")
    return render(request, "dashboard/index.html", {"cohorts": cohorts_for_instructor(user=request.user)})


@require_GET
@login_required
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    sort = request.GET.get("sort", "name")[:90]
    data = selectors.readiness_matrix(cohort=cohort, sort=sort)
    ready_counts = [(topic, data.ready_in(index)) for index, topic in enumerate(data.topics)]
    context = {**_tabs(cohort, "matrix"), "matrix": data, "sort": sort, "ready_counts": ready_counts}
    return render(request, "dashboard/matrix.html", context)


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


@require_GET
@login_required
def matrix_csv(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    data = selectors.readiness_matrix(cohort=cohort)
    header = ["learner"]
    for topic in data.topics:
        header += [
            f"{topic.slug} {part}"
            for part in ("ready", "pages read", "best quiz %", "quizzes passed", "exercises passed")
        ]
    rows = []
    for row in data.rows:
        line = [row.learner.get_username()]
        for cell in row.cells:
            share = "" if cell.best_quiz_share is None else round(cell.best_quiz_share * 100)
            line += [
                "yes" if cell.ready else "no",
                f"{cell.pages_read}/{cell.pages_total}",
                share,
                f"{cell.quizzes_passed}/{cell.quizzes_total}",
                f"{cell.exercises_passed}/{cell.exercises_total}",
            ]
        rows.append(line)
    return _csv_response(f"readiness-cohort-{cohort.pk}.csv", header, rows)


@require_GET
@login_required
def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    rows, learners = selectors.footgun_heatmap(cohort=cohort)
    return render(request, "dashboard/heatmap.html", {**_tabs(cohort, "heatmap"), "rows": rows, "learners": learners})


@require_GET
@login_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    data = selectors.question_statistics(cohort=cohort)
    return render(request, "dashboard/questions.html", {**_tabs(cohort, "questions"), "quizzes": data})


@require_GET
@login_required
def questions_csv(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    header = ["topic", "quiz", "question", "kind", "answers", "facility", "discrimination", "most chosen wrong", "flag"]
    rows = []
    for quiz in selectors.question_statistics(cohort=cohort):
        for question, st in quiz.questions:
            rows.append(
                [
                    quiz.topic.slug,
                    quiz.quiz.slug,
                    question.id,
                    question.kind,
                    st.answers,
                    "" if st.facility is None else round(st.facility, 3),
                    "" if st.discrimination is None else round(st.discrimination, 3),
                    st.top_wrong_choice or "",
                    "; ".join(st.broken_reasons),
                ]
            )
    return _csv_response(f"questions-cohort-{cohort.pk}.csv", header, rows)


@require_GET
@login_required
def exercises(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    rows = selectors.exercise_statistics(cohort=cohort)
    learners = selectors.cohort_learners(cohort).count()
    return render(
        request, "dashboard/exercises.html", {**_tabs(cohort, "exercises"), "rows": rows, "learners": learners}
    )


@require_GET
@login_required
def learner(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    try:
        person = selectors.learner_in_cohort(cohort=cohort, user_id=user_id)
    except ObjectDoesNotExist:
        raise Http404("No such learner in this cohort") from None
    matrix_data = selectors.readiness_matrix(cohort=cohort)
    row = next((r for r in matrix_data.rows if r.learner.pk == person.pk), None)
    context = {
        **_tabs(cohort, "matrix"),
        "person": person,
        "cells": list(zip(matrix_data.topics, row.cells if row else [], strict=False)),
        "timeline": selectors.learner_timeline(cohort=cohort, learner=person),
    }
    return render(request, "dashboard/learner.html", context)


@require_GET
@login_required
def submission(request: HttpRequest, pk: int, user_id: int, submission_id: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    try:
        person = selectors.learner_in_cohort(cohort=cohort, user_id=user_id)
        sub = selectors.learner_submission(cohort=cohort, learner=person, pk=submission_id)
    except ObjectDoesNotExist:
        raise Http404("No such submission") from None
    findings_by_file: dict[str, list[dict]] = {}
    for file_result in (sub.report or {}).get("files", []):
        findings_by_file[file_result.get("path", "")] = list(file_result.get("findings", []))
    files = []
    for path, text in (sub.files or {}).items():
        findings = findings_by_file.get(path, [])
        lines = {f["line"] for f in findings if isinstance(f.get("line"), int)}
        files.append({"path": path, "html": highlighted_file(path, str(text), lines), "findings": findings})
    context = {**_tabs(cohort, "matrix"), "person": person, "submission": sub, "files": files}
    return render(request, "dashboard/submission.html", context)
