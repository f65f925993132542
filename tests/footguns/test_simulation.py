"""The topic-neutral simulator core: scenario files, the result's shape, charts and tables."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from courseware.footguns.simulation import (
    Counter,
    Event,
    Result,
    ScenarioError,
    Series,
    chart_svg,
    charts,
    clock_text,
    downsample,
    load_scenario,
    parse_clock,
    parse_duration,
    percentiles,
    read_scenario,
    table_rows,
)

GOOD = """\
title: A quiet hour
start: "23:30"
duration: 1h
step: 10s
seed: 4
functions:
  Api:
    work: 100ms
    traffic:
      - {from: "23:30", to: "00:30", rate: 1}
"""


def read(text: str):
    return read_scenario(text, topic="aws-lambda", name="quiet", source="quiet.yaml")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(90, 90.0), (1.5, 1.5), ("90ms", 0.09), ("30s", 30.0), ("5m", 300.0), ("2h", 7200.0), ("2 h", 7200.0)],
)
def test_durations_are_read_with_units(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["soon", "-3s", True, None, "1d", float("nan"), -1])
def test_what_is_not_a_duration_is_none(text):
    assert parse_duration(text) is None


def test_clock_times_and_offsets_wrap_past_midnight():
    assert parse_clock("17:40") == 17 * 3600 + 40 * 60
    assert parse_clock("24:00") is None
    assert parse_clock(1060) is None  # YAML 1.1 reads 17:40 unquoted as a number; a number is refused
    scenario, problems = read(GOOD)
    assert problems == []
    assert scenario.offset("00:10") == 40 * 60
    assert scenario.clock(45 * 60) == "00:15"
    assert clock_text(86_400 + 60) == "00:01"


def test_a_good_scenario_has_its_shared_parts():
    scenario, problems = read(GOOD)
    assert problems == []
    assert (scenario.title, scenario.duration_s, scenario.step_s, scenario.seed) == ("A quiet hour", 3600, 10, 4)
    assert scenario.steps == 360


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("duration: 1h", "duration: forever"), 3, "'duration' is required"),
        (("step: 10s", "step: 0.5"), 4, "whole number of seconds"),
        (('start: "23:30"', "start: noon"), 2, "clock time"),
        (("seed: 4", "seed: four"), 5, "'seed'"),
        (("seed: 4", "seed: 4\nweather: rain"), 6, "unknown key 'weather'"),
        (("work: 100ms", "work: slow"), 8, "'work' must be a duration"),
        (("rate: 1}", "rate: -1}"), 10, "'rate'"),
        (("  Api:", "  Api:\n    colour: blue"), 8, "unknown key 'colour'"),
    ],
)
def test_bad_values_are_problems_with_their_line(change, line, words):
    scenario, problems = read(GOOD.replace(*change))
    assert scenario is None
    assert any(p.line == line and words in p.message for p in problems), problems


def test_a_broken_yaml_file_is_one_problem_with_a_line():
    scenario, problems = read("title: x\n  bad: [\n")
    assert scenario is None
    assert problems and problems[0].line is not None


def test_a_topic_without_a_simulator_cannot_have_scenarios():
    scenario, problems = read_scenario(GOOD, topic="kubernetes", name="quiet", source="quiet.yaml")
    assert scenario is None
    assert "no simulator" in problems[0].message


def test_load_scenario_by_name_and_by_file(tmp_path):
    assert load_scenario("aws-lambda", "friday-night").name == "friday-night"
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    assert load_scenario("aws-lambda", str(path)).title == "A quiet hour"
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario("aws-lambda", "no-such-scenario")
    path.write_text(GOOD.replace("seed: 4", "seed: x"))
    with pytest.raises(ScenarioError, match=r"mine.yaml:5"):
        load_scenario("aws-lambda", str(path))


def small_result() -> Result:
    return Result(
        scenario="quiet",
        title="A <quiet> hour",
        start_s=23 * 3600,
        step_s=60,
        duration_s=600,
        series=[
            Series("requests", "Arrivals", "per s", [0, 1, 5, 2, 0, 0, 1, 1, 0, 3], chart="requests"),
            Series("db", "Connections", "connections", [1, 2, 3, 9, 3, 2, 1, 1, 1, 1], 4, "max_connections", "db"),
        ],
        counters=[Counter("gateway_504", "504s", 2)],
        latency={"Api": {"p50": 90.0}},
        cost=[Counter("requests", "Requests", 0.5), Counter("compute", "Compute", 1.5)],
        timeline=[Event(60, "23:01", "Something <b>happens</b>", "failure")],
    )


def test_a_result_survives_json():
    result = small_result()
    data = json.loads(json.dumps(result.to_dict()))
    again = Result.from_dict(data)
    assert again.to_dict() == result.to_dict()
    assert data["cost_total_usd"] == 2.0
    assert result.cost_per_day == pytest.approx(2.0 * 86_400 / 600)


def test_percentiles_of_a_histogram():
    assert percentiles({100: 90, 1000: 9, 10_000: 1}) == {"p50": 100, "p95": 1000, "p99": 1000, "max": 10_000}
    assert percentiles({}) == {}


def test_downsampling_keeps_the_peaks():
    values = [0.0] * 1000
    values[517] = 42.0
    squeezed = downsample(values, 50)
    assert len(squeezed) == 50 and max(squeezed) == 42.0


def test_a_chart_is_accessible_svg_with_escaped_text():
    result = small_result()
    svg = chart_svg(result.series[1:], title="Connections <vs> limit", result=result, chart_id="c1")
    root = ET.fromstring(svg)  # noqa: S314 - our own output; well-formed: every learner-visible string is escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-t c1-d"
    title = root.find("title") if root.find("title") is not None else root.find(f"{ns}title")
    assert title.text == "Connections <vs> limit"
    assert "peak 9" in svg and "limit 4" in svg
    assert "<script" not in svg


def test_every_chart_has_a_table_of_its_numbers():
    result = small_result()
    built = charts(result)
    assert [c.key for c in built] == ["requests", "db"]
    headers, rows = table_rows(result.series[1:], result, rows=5)
    assert headers == ["Time", "Connections (connections)"]
    assert rows[0][0] == "23:00" and rows[1] == ["23:02", "9"]
