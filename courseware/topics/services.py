from __future__ import annotations

from django.db import IntegrityError, transaction

from .content import Topic
from .models import PageRead


def page_mark_read(*, user, topic: Topic, kind: str) -> PageRead:
    """Idempotent: a second mark (double click, retry) returns the stored one."""
    try:
        with transaction.atomic():
            read, _ = PageRead.objects.get_or_create(
                user=user, topic=topic.slug, kind=kind, defaults={"content_hash": topic.content_hash}
            )
    except IntegrityError:
        read = PageRead.objects.get(user=user, topic=topic.slug, kind=kind)
    return read


def page_mark_unread(*, user, topic: Topic, kind: str) -> None:
    PageRead.objects.filter(user=user, topic=topic.slug, kind=kind).delete()
