"""A learner's progress in a topic, assembled from parts that each app provides.

Providers are registered explicitly (AppConfig.ready) and must answer for many topics at once with a
fixed number of queries (no N+1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .content import PAGE_TITLES, Topic
from .selectors import pages_read_by_topic


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str


@dataclass(frozen=True)
class ProgressPart:
    name: str  # "pages", "quizzes", "exercises", "reviews"
    done: int
    total: int
    next_steps: tuple[NextStep, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


ProgressProvider = Callable[[object, Sequence[Topic]], dict[str, ProgressPart]]
PROGRESS_PROVIDERS: list[ProgressProvider] = []


def register_progress(provider: ProgressProvider) -> None:
    if provider not in PROGRESS_PROVIDERS:
        PROGRESS_PROVIDERS.append(provider)


def pages_done(topic: Topic, kinds_read: set[str]) -> set[str]:
    """The one definition of a topic's pages read, for the learner's home and the instructor's dashboard."""
    return set(kinds_read) & set(topic.page_order)


def pages_progress(user, topics: Sequence[Topic]) -> dict[str, ProgressPart]:
    read = pages_read_by_topic(user=user)
    result = {}
    for topic in topics:
        done = pages_done(topic, read.get(topic.slug, set()))
        unread = [kind for kind in topic.page_order if kind not in done]
        result[topic.slug] = ProgressPart(
            name="pages",
            done=len(topic.page_order) - len(unread),
            total=len(topic.page_order),
            next_steps=tuple(
                NextStep(f"Read the {PAGE_TITLES[kind].lower()}", f"/topics/{topic.slug}/{kind}/") for kind in unread
            ),
        )
    return result


def topic_progress(user, topics: Sequence[Topic]) -> dict[str, list[ProgressPart]]:
    result: dict[str, list[ProgressPart]] = {topic.slug: [] for topic in topics}
    for provider in PROGRESS_PROVIDERS:
        for slug, part in provider(user, topics).items():
            result.setdefault(slug, []).append(part)
    return result
