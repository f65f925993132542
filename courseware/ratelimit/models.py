from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """One rate-limit window in the database fallback (Redis holds these when REDIS_URL is set).

    Updated only by one atomic upsert (courseware.ratelimit.limiter); a row ends when its time is up, never when
    a cache culls it, so a lockout holds for its whole cool-off.
    """

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField()
    expires_ms = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
