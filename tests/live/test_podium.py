"""The podium's rules: pure, no database."""

from __future__ import annotations

from courseware.live.podium import Contestant, best_streak, places, speed_points


def standings(*points: int) -> list[Contestant]:
    return [Contestant(n, f"P{n}", p, 0) for n, p in enumerate(points)]


def shape(podium) -> list[tuple[int, int, list[str], int]]:
    return [(p.rank, p.points, [c.name for c in p.contestants], p.more) for p in podium]


def test_the_top_three_stand_on_their_places():
    assert shape(places(standings(900, 800, 700, 600))) == [
        (1, 900, ["P0"], 0),
        (2, 800, ["P1"], 0),
        (3, 700, ["P2"], 0),
    ]


def test_a_tie_shares_a_place_and_skips_the_next():
    assert shape(places(standings(900, 900, 700, 600))) == [(1, 900, ["P0", "P1"], 0), (3, 700, ["P2"], 0)]
    assert shape(places(standings(900, 800, 800, 800))) == [(1, 900, ["P0"], 0), (2, 800, ["P1", "P2", "P3"], 0)]


def test_a_tie_of_the_whole_room_names_a_few_and_counts_the_rest():
    podium = places(standings(*[500] * 30))
    assert shape(podium) == [(1, 500, ["P0", "P1", "P2", "P3"], 26)]


def test_no_one_stands_on_the_podium_without_points():
    assert places(standings(0, 0)) == []
    assert shape(places(standings(400, 0, 0))) == [(1, 400, ["P0"], 0)]


def test_best_streak_counts_right_answers_to_consecutive_questions():
    assert best_streak([]) == 0
    assert best_streak([(0, True), (1, True), (2, False), (3, True)]) == 2
    assert best_streak([(3, True), (0, True), (2, True), (1, True)]) == 4  # order of rows does not matter
    assert best_streak([(0, True), (2, True), (3, True)]) == 2  # question 1 unanswered breaks the streak
    assert best_streak([(0, False), (1, False)]) == 0


def test_speed_points_are_what_a_right_answer_earned_beyond_half():
    assert speed_points(1000, 1.0, 1000) == 500  # answered at once
    assert speed_points(500, 1.0, 1000) == 0  # answered as the countdown ran out
    assert speed_points(375, 0.5, 1000) == 125  # half right, half the time left
    assert speed_points(0, 0.0, 1000) == 0
