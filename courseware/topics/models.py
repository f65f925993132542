from __future__ import annotations

from django.conf import settings
from django.db import models


class PageReadQuerySet(models.QuerySet["PageRead"]):
    def for_user(self, user) -> PageReadQuerySet:
        return self.filter(user=user)

    def in_topic(self, topic: str) -> PageReadQuerySet:
        return self.filter(topic=topic)


class PageRead(models.Model):
    """A learner marked one page of a topic as read (keyed by the stable topic slug and page kind)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="page_reads")
    topic = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20)
    content_hash = models.CharField(max_length=32)
    read_at = models.DateTimeField(auto_now_add=True)

    objects = PageReadQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic", "kind"], name="one_read_mark_per_page")]
        indexes = [models.Index(fields=["topic", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} read {self.topic}/{self.kind}"
