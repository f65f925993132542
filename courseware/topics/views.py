from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .content import PAGE_BLURBS, PAGE_KINDS, PAGE_TITLES, Topic
from .hooks import HUB_SECTIONS
from .library import get_library
from .rendering import pygments_css


def _topic_or_404(slug: str) -> Topic:
    topic = get_library().topic(slug)
    if topic is None:
        raise Http404("No such topic")
    return topic


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    library = get_library()
    read = selectors.pages_read_by_topic(user=request.user)
    topics = [(topic, len(read.get(topic.slug, ()))) for topic in library.topics.values()]
    return render(request, "topics/catalogue.html", {"topics": topics, "page_count": len(PAGE_KINDS)})


@require_GET
def hub(request: HttpRequest, topic: str) -> HttpResponse:
    topic_obj = _topic_or_404(topic)
    read = selectors.pages_read(user=request.user, topic=topic_obj.slug)
    pages = [(kind, PAGE_TITLES[kind], kind in read, PAGE_BLURBS[kind]) for kind in topic_obj.page_order]
    return render(
        request,
        "topics/hub.html",
        {
            "topic": topic_obj,
            "pages": pages,
            "read_count": len(read),
            "page_count": len(PAGE_KINDS),
            "topic_sections": [section(request, topic_obj) for section in HUB_SECTIONS],
        },
    )


@require_GET
def page(request: HttpRequest, topic: str, kind: str) -> HttpResponse:
    topic_obj = _topic_or_404(topic)
    if kind not in PAGE_KINDS or kind not in topic_obj.pages:
        raise Http404("No such page")
    read = selectors.pages_read(user=request.user, topic=topic_obj.slug)
    context = {
        "topic": topic_obj,
        "page": topic_obj.pages[kind],
        "kind": kind,
        "is_read": kind in read,
    }
    if kind == "anti_primer" and topic_obj.anti_primer:
        context["hours"] = [(hour, topic_obj.footgun(hour.footgun)) for hour in topic_obj.anti_primer.hours]
    return render(request, f"topics/page_{kind}.html", context)


DRILL_CHOICES = {"s": "shortcut", "p": "primer_way"}


@require_GET
def drill(request: HttpRequest, topic: str) -> HttpResponse:
    """The interactive anti-primer: at each hour, take the shortcut or the primer's way; end with your postmortem.

    The path so far travels in the query string (`?path=sp`), so the drill needs no account, no database
    write and works without JavaScript; htmx swaps only the drill when it is there.
    """
    topic_obj = _topic_or_404(topic)
    story = topic_obj.anti_primer
    if story is None or not story.hours:
        raise Http404("This topic has no anti-primer")
    raw = request.GET.get("path", "")[:64] + request.GET.get("choice", "")[:1]
    path = "".join(ch for ch in raw if ch in DRILL_CHOICES)[: len(story.hours)]
    steps = []
    for hour, choice in zip(story.hours, path, strict=False):
        picked = getattr(hour, DRILL_CHOICES[choice])
        steps.append({"hour": hour, "choice": choice, "picked": picked, "footgun": topic_obj.footgun(hour.footgun)})
    current = story.hours[len(path)] if len(path) < len(story.hours) else None
    choices = []
    if current is not None:
        choices = [("s", current.shortcut), ("p", current.primer_way)]
        # Neither place nor style may give the answer away: the order varies per hour, fixed for a topic.
        if hashlib.sha256(f"{topic_obj.slug}/{current.hour}".encode()).digest()[0] & 1:
            choices.reverse()
    shortcuts = [step for step in steps if step["choice"] == "s"]
    context = {
        "topic": topic_obj,
        "story": story,
        "steps": steps,
        "current": current,
        "choices": choices,
        "path": path,
        "finished": current is None,
        "shortcuts": shortcuts,
        "primer_count": len(steps) - len(shortcuts),
    }
    template = "topics/drill.html#drill" if request.htmx else "topics/drill.html"
    return render(request, template, context)


@require_POST
@login_required
def mark_read(request: HttpRequest, topic: str, kind: str) -> HttpResponse:
    topic_obj = _topic_or_404(topic)
    if kind not in PAGE_KINDS:
        raise Http404("No such page")
    if request.POST.get("read", "1") == "0":
        services.page_mark_unread(user=request.user, topic=topic_obj, kind=kind)
        is_read = False
    else:
        services.page_mark_read(user=request.user, topic=topic_obj, kind=kind)
        is_read = True
    if request.htmx:
        return render(
            request, "topics/page_base.html#read-toggle", {"topic": topic_obj, "kind": kind, "is_read": is_read}
        )
    return redirect("topics:page", topic=topic_obj.slug, kind=kind)


@require_GET
@cache_control(max_age=86400, public=True)
def pygments_stylesheet(request: HttpRequest) -> HttpResponse:
    return HttpResponse(pygments_css(), content_type="text/css")
