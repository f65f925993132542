"""The podium at the end of a live session: pure, no database.

Places use competition ranking: people with the same points share a place and the next place is skipped
(two first places, no second, then a third), so a tie never depends on who joined first. Only people who
scored are on the podium.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PLACES = 3
NAMES_PER_PLACE = 4


@dataclass(frozen=True)
class Contestant:
    id: int
    name: str
    points: int
    correct: int
    speed_points: int = 0
    best_streak: int = 0


@dataclass(frozen=True)
class Place:
    rank: int
    points: int
    contestants: tuple[Contestant, ...]
    more: int = 0  # tied on this place but not named (a tie of the whole room must still fit the screen)


def places(standings: Sequence[Contestant]) -> list[Place]:
    """The podium's places (rank 1 to 3) from standings sorted by points, most first."""
    ranked: list[tuple[int, Contestant]] = []
    for position, person in enumerate(standings, start=1):
        if person.points <= 0:
            break
        rank = ranked[-1][0] if ranked and ranked[-1][1].points == person.points else position
        if rank > PLACES:
            break
        ranked.append((rank, person))
    result = []
    for rank in sorted({rank for rank, _ in ranked}):
        people = [person for r, person in ranked if r == rank]
        shown = tuple(people[:NAMES_PER_PLACE])
        result.append(Place(rank, people[0].points, shown, len(people) - len(shown)))
    return result


def best_streak(answers: Iterable[tuple[int, bool]]) -> int:
    """The longest run of right answers to consecutive questions, from (question index, correct) pairs."""
    best = run = 0
    previous = None
    for index, correct in sorted(answers):
        if correct and previous is not None and index == previous + 1 and run:
            run += 1
        else:
            run = 1 if correct else 0
        previous = index
        best = max(best, run)
    return best


def speed_points(points: int, score: float, max_points: int) -> int:
    """The part of an answer's points earned by being quick: with speed scoring, half of a right answer's
    points are for being right and the other half shrink with the time taken (live/services.py, _points)."""
    return max(0, points - round(max_points * score * 0.5))
