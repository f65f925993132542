"""Replaying a config under traffic, for every topic: scenarios, the result's shape, charts and tables.

A topic that can say what its configs do under load gives its `TopicEngine` a `simulator` (a module with
`KEYS`, `validate(scenario)` and `simulate(models, scenario)`, imported when first asked for, like its rules).
This module names no topic: it reads the parts of a scenario every topic shares (title, clock, duration,
step, seed), keeps the rest for the topic to check, and defines what a simulation returns: time series,
counters by kind of error, latency percentiles, cost and an incident timeline in words, as JSON and as
server-rendered SVG charts with the same numbers in a table. Pure: no Django, no database, no network.

Scenarios live as content in `content/<topic>/scenarios/<name>.yaml` (docs/simulator.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from courseware.footguns.errors import ParseError
from courseware.footguns.parsers.nodes import LineDict, line_of

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
RESULT_VERSION = 1
SHARED_KEYS = ("title", "description", "start", "duration", "step", "seed", "engine")
MAX_STEPS = 200_000  # a scenario longer than this many steps is refused: the budget is per scenario
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$")
_CLOCK_RE = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")
_UNIT_SECONDS = {None: 1.0, "ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}
DAY_S = 86_400


class ScenarioError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ScenarioProblem:
    line: int | None
    message: str


# ---------------------------------------------------------------------------------------------------------------
# Values a scenario writes


def parse_duration(value: Any) -> float | None:
    """Seconds from `90`, `1.5`, `"90ms"`, `"30s"`, `"5m"`, `"2h"`; None when it is not a duration."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 and math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    match = _DURATION_RE.match(value)
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_clock(value: Any) -> int | None:
    """Seconds after midnight from `"17:40"`; None when it is not a clock time."""
    if not isinstance(value, str):
        return None
    match = _CLOCK_RE.match(value)
    if match is None:
        return None
    return int(match.group(1)) * 3600 + int(match.group(2)) * 60


def clock_text(seconds_after_midnight: float) -> str:
    total = int(seconds_after_midnight) % DAY_S
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}"


def number(value: Any, *, minimum: float = 0.0, maximum: float = math.inf) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or not minimum <= value <= maximum:
        return None
    return float(value)


# ---------------------------------------------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class Scenario:
    topic: str
    name: str
    title: str
    description: str
    start_s: int  # the clock at t = 0, in seconds after midnight
    duration_s: int
    step_s: int
    seed: int
    body: LineDict  # the topic's own keys, with their lines
    source: str  # the file it was read from, for messages
    text: str = field(default="", repr=False, compare=False)  # as written: what a sandbox child is sent

    @property
    def steps(self) -> int:
        return max(1, math.ceil(self.duration_s / self.step_s))

    def clock(self, t_s: float) -> str:
        return clock_text(self.start_s + t_s)

    def offset(self, clock_value: Any) -> int | None:
        """Seconds from the scenario's start to a clock time (the next time the clock shows it)."""
        seconds = parse_clock(clock_value)
        if seconds is None:
            return None
        return (seconds - self.start_s) % DAY_S


def read_scenario(text: str, *, topic: str, name: str, source: str) -> tuple[Scenario | None, list[ScenarioProblem]]:
    """A scenario file's shared keys, then its topic's checks. Never raises for bad content: problems come back."""
    from courseware.footguns.parsers.yaml_lines import load_yaml

    try:
        data = load_yaml(text)
    except ParseError as error:
        return None, [ScenarioProblem(error.line, error.message)]
    if not isinstance(data, LineDict):
        return None, [ScenarioProblem(1, "a scenario is a mapping (title, start, duration, step, seed, …)")]
    problems: list[ScenarioProblem] = []

    def bad(key: str, message: str) -> None:
        problems.append(ScenarioProblem(line_of(data, key), message))

    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        bad("title", "'title' is required and must be text")
        title = name
    description = data.get("description", "")
    if not isinstance(description, str):
        bad("description", "'description' must be text")
        description = ""
    start = parse_clock(data.get("start", "00:00"))
    if start is None:
        bad("start", "'start' must be a clock time in quotes, such as \"17:00\"")
        start = 0
    duration = parse_duration(data.get("duration"))
    if duration is None or duration < 1:
        bad("duration", "'duration' is required: how long the scenario runs, such as 4h, 90m or 3600")
        duration = 3600.0
    step = parse_duration(data.get("step", 1))
    if step is None or step < 1 or step != int(step):
        bad("step", "'step' must be a whole number of seconds, 1 or more, such as 1s or 10s")
        step = 1.0
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        bad("seed", "'seed' must be a whole number")
        seed = 0
    engine = data.get("engine", topic)  # a content topic named differently from its engine names the engine
    if not isinstance(engine, str) or not engine:
        bad("engine", "'engine' must name a topic engine, such as aws-lambda")
        engine = topic
    topic = engine
    if duration / step > MAX_STEPS:
        bad("step", f"{duration:.0f} s in steps of {step:.0f} s is more than {MAX_STEPS:,} steps; use a longer step")
        step = math.ceil(duration / MAX_STEPS)
    scenario = Scenario(
        topic=topic,
        name=name,
        title=title.strip(),
        description=" ".join(description.split()),
        start_s=start,
        duration_s=int(duration),
        step_s=int(step),
        seed=seed,
        body=data,
        source=source,
        text=text,
    )
    simulator = simulator_of(topic)
    if simulator is None:
        problems.append(ScenarioProblem(1, f"topic '{topic}' has no simulator, so it cannot have scenarios"))
        return None, problems
    for key in data:
        if key not in SHARED_KEYS and key not in simulator.KEYS:
            bad(key, f"unknown key '{key}' (known: {', '.join(SHARED_KEYS + tuple(simulator.KEYS))})")
    problems.extend(simulator.validate(scenario))
    return (scenario if not problems else None), problems


def simulator_of(topic: str) -> Any:
    from courseware.footguns.registry import engine

    topic_engine = engine(topic)
    if topic_engine is None or topic_engine.simulator is None:
        return None
    return topic_engine.simulator()


def scenario_path(topic: str, name: str, content_dir: Path = CONTENT_DIR) -> Path:
    return content_dir / topic / "scenarios" / f"{name}.yaml"


def load_scenario(topic: str, name_or_path: str, content_dir: Path = CONTENT_DIR) -> Scenario:
    """A scenario by name (`content/<topic>/scenarios/<name>.yaml`) or by file path; ScenarioError if bad."""
    path = Path(name_or_path)
    if NAME_RE.match(name_or_path):
        path = scenario_path(topic, name_or_path, content_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"cannot read scenario {name_or_path!r}: {error}", None) from error
    name = path.stem
    scenario, problems = read_scenario(text, topic=topic, name=name, source=str(path))
    if scenario is None:
        first = problems[0] if problems else ScenarioProblem(None, "invalid scenario")
        raise ScenarioError(f"{path}:{first.line or 1}: {first.message}", first.line)
    return scenario


def simulate_files(files: Mapping[str, str | bytes], scenario: Scenario, *, label: str = "") -> Result:
    """Build the models of `files` for the scenario's topic and run its simulator (trusted files: content, the
    CLI; a learner's files go through the sandbox's `simulate` job)."""
    result = simulate_models(files, scenario)
    result.label = label
    return result


def simulate_models(files: Mapping[str, str | bytes], scenario: Scenario, *, limits: Any = None) -> Result:
    from courseware.footguns.engine import build_models
    from courseware.footguns.limits import ScanLimits

    simulator = simulator_of(scenario.topic)
    if simulator is None:
        raise ScenarioError(f"topic '{scenario.topic}' has no simulator", None)
    return simulator.simulate(build_models(files, scenario.topic, limits=limits or ScanLimits()), scenario)


# ---------------------------------------------------------------------------------------------------------------
# Results


@dataclass
class Series:
    key: str
    label: str
    unit: str
    values: list[float]
    limit: float | None = None
    limit_label: str = ""
    chart: str = ""  # series with the same chart key are drawn together

    @property
    def peak(self) -> float:
        return max(self.values, default=0.0)


@dataclass
class Counter:
    key: str
    label: str
    value: float


@dataclass
class Event:
    t_s: float
    clock: str
    text: str
    kind: str = "info"  # info | warning | failure | recovery


@dataclass
class Result:
    scenario: str
    title: str
    start_s: int
    step_s: float
    duration_s: int
    series: list[Series] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    latency: dict[str, dict[str, float]] = field(default_factory=dict)  # per entry point: p50/p95/p99 in ms
    cost: list[Counter] = field(default_factory=list)  # dollars over the scenario, by component
    timeline: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    label: str = ""

    def counter(self, key: str) -> float:
        return sum(c.value for c in self.counters if c.key == key)

    def series_of(self, key: str) -> Series | None:
        return next((s for s in self.series if s.key == key), None)

    @property
    def cost_total(self) -> float:
        return sum(c.value for c in self.cost)

    @property
    def cost_per_day(self) -> float:
        return self.cost_total * DAY_S / self.duration_s

    @property
    def failures(self) -> list[Counter]:
        return [c for c in self.counters if c.value]

    def compact(self, points: int = 240) -> Result:
        """The same result with each series squeezed to at most `points` (peaks kept), for the web: the step of
        the squeezed series is stretched to match."""
        longest = max((len(s.values) for s in self.series), default=0)
        if longest <= points:
            return self
        for item in self.series:
            item.values = downsample(item.values, points)
        self.step_s = self.duration_s / len(self.series[0].values)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": RESULT_VERSION,
            "scenario": self.scenario,
            "title": self.title,
            "label": self.label,
            "start": clock_text(self.start_s),
            "start_s": self.start_s,
            "step_s": self.step_s,
            "duration_s": self.duration_s,
            "series": [
                {
                    "key": s.key,
                    "label": s.label,
                    "unit": s.unit,
                    "chart": s.chart,
                    "limit": s.limit,
                    "limit_label": s.limit_label,
                    "values": [round(v, 3) for v in s.values],
                }
                for s in self.series
            ],  # fmt: skip
            "counters": [{"key": c.key, "label": c.label, "value": round(c.value, 3)} for c in self.counters],
            "latency_ms": self.latency,
            "cost_usd": [{"key": c.key, "label": c.label, "value": round(c.value, 6)} for c in self.cost],
            "cost_total_usd": round(self.cost_total, 6),
            "timeline": [{"t_s": e.t_s, "clock": e.clock, "text": e.text, "kind": e.kind} for e in self.timeline],
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            scenario=data["scenario"],
            title=data["title"],
            label=data.get("label", ""),
            start_s=data["start_s"],
            step_s=data["step_s"],
            duration_s=data["duration_s"],
            series=[
                Series(
                    s["key"],
                    s["label"],
                    s["unit"],
                    list(s["values"]),
                    s.get("limit"),
                    s.get("limit_label", ""),
                    s.get("chart", ""),
                )
                for s in data["series"]
            ],  # fmt: skip
            counters=[Counter(c["key"], c["label"], c["value"]) for c in data["counters"]],
            latency={k: dict(v) for k, v in data["latency_ms"].items()},
            cost=[Counter(c["key"], c["label"], c["value"]) for c in data["cost_usd"]],
            timeline=[Event(e["t_s"], e["clock"], e["text"], e.get("kind", "info")) for e in data["timeline"]],
            notes=list(data.get("notes", [])),
        )


def percentiles(histogram: Mapping[float, float], points: Sequence[float] = (50, 95, 99)) -> dict[str, float]:
    """Percentiles of a histogram {value: count}; empty when nothing was counted."""
    total = sum(histogram.values())
    if total <= 0:
        return {}
    ordered = sorted(histogram.items())
    result = {}
    for point in points:
        wanted = total * point / 100
        running = 0.0
        for value, count in ordered:
            running += count
            if running >= wanted - 1e-9:
                result[f"p{point:g}"] = round(value, 1)
                break
    result["max"] = round(ordered[-1][0], 1)
    return result


# ---------------------------------------------------------------------------------------------------------------
# Rendering: SVG charts and tables, no script


def downsample(values: Sequence[float], buckets: int) -> list[float]:
    """At most `buckets` points, each the largest value of its slice (peaks must survive the squeeze)."""
    if len(values) <= buckets:
        return list(values)
    size = len(values) / buckets
    return [max(values[int(i * size) : max(int((i + 1) * size), int(i * size) + 1)]) for i in range(buckets)]


def _fmt(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


CHART_W, CHART_H, PAD_L, PAD_B, PAD_T = 640, 180, 56, 22, 16
_TICK = 'class="sim-tick" font-size="11"'
# Colours readable on a light and a dark surface; stylesheets may override them by class (sim-c0 …).
_COLOURS = ("#1f6feb", "#c2410c", "#15803d", "#7c3aed", "#b42318")


def chart_svg(
    series: Sequence[Series], *, title: str, result: Result, chart_id: str, points: int = 240, top: float = 0.0
) -> str:
    """One chart: a line per series, a dashed line per limit, clock times on the x axis; title and desc for
    assistive technology (the same numbers are in `table_rows`)."""
    drawn = [(s, downsample(s.values, points)) for s in series]
    top = max([v for _, values in drawn for v in values] + [s.limit or 0 for s in series] + [1.0, top])
    top *= 1.08
    width, height = CHART_W - PAD_L - 8, CHART_H - PAD_B - PAD_T
    desc = "; ".join(
        f"{s.label}: peak {_fmt(s.peak)} {s.unit}" + (f", limit {_fmt(s.limit)}" if s.limit is not None else "")
        for s in series
    )
    parts = [
        f'<svg class="sim-chart" viewBox="0 0 {CHART_W} {CHART_H}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        f'<line class="sim-axis" x1="{PAD_L}" y1="{PAD_T + height}" x2="{PAD_L + width}" y2="{PAD_T + height}"/>',
        f'<text {_TICK} x="{PAD_L - 4}" y="{PAD_T + 8}" text-anchor="end">{_fmt(top / 1.08)}</text>',
        f'<text {_TICK} x="{PAD_L - 4}" y="{PAD_T + height}" text-anchor="end">0</text>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        x = PAD_L + width * fraction
        anchor = ("start", "middle", "end")[int(fraction * 2)]
        clock = clock_text(result.start_s + result.duration_s * fraction)
        parts.append(f'<text {_TICK} x="{x:.1f}" y="{CHART_H - 6}" text-anchor="{anchor}">{clock}</text>')
    legend_x = PAD_L + 6
    for index, (item, values) in enumerate(drawn):
        colour = _COLOURS[index % len(_COLOURS)]
        n = max(len(values) - 1, 1)
        coords = " ".join(
            f"{PAD_L + width * i / n:.1f},{PAD_T + height - height * v / top:.1f}" for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline class="sim-line sim-c{index}" fill="none" stroke="{colour}" stroke-width="1.6" '
            f'points="{coords}"/>'
        )
        if len(drawn) > 1:  # a legend, in the series' colours, along the top
            label = item.label[:24]
            parts.append(
                f'<text class="sim-legend sim-c{index}" font-size="11" x="{legend_x:.0f}" y="{PAD_T + 2}" '
                f'fill="{colour}">{escape(label)}</text>'
            )
            legend_x += len(label) * 6.2 + 14
        if item.limit is not None:
            y = PAD_T + height - height * item.limit / top
            parts.append(
                f'<line class="sim-limit sim-c{index}" x1="{PAD_L}" y1="{y:.1f}" x2="{PAD_L + width}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-dasharray="5 4"/>'
            )
            label = f"{item.limit_label or 'limit'} {_fmt(item.limit)}"
            parts.append(
                f'<text {_TICK} x="{PAD_L + width}" y="{max(y - 3, PAD_T + 8):.1f}" '
                f'text-anchor="end">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def table_rows(series: Sequence[Series], result: Result, rows: int = 12) -> tuple[list[str], list[list[str]]]:
    """The numbers behind a chart: one row per slice of time, each cell the slice's peak."""
    headers = ["Time"] + [f"{s.label} ({s.unit})" for s in series]
    if not series:
        return headers, []
    length = len(series[0].values)
    count = min(rows, length)
    body = []
    for index in range(count):
        lo, hi = index * length // count, max((index + 1) * length // count, index * length // count + 1)
        cells = [clock_text(result.start_s + lo * result.step_s)]
        cells += [_fmt(max(s.values[lo:hi])) for s in series]
        body.append(cells)
    return headers, body


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: str
    headers: list[str]
    rows: list[list[str]]


def chart_tops(*results: Result) -> dict[str, float]:
    """The largest value (or limit) of each chart across results, so charts set side by side share a scale."""
    tops: dict[str, float] = {}
    for result in results:
        for item in result.series:
            key = item.chart or item.key
            tops[key] = max(tops.get(key, 0.0), item.peak, item.limit or 0.0)
    return tops


def charts(result: Result, *, prefix: str = "sim", tops: Mapping[str, float] | None = None) -> list[Chart]:
    """Every chart of a result (series grouped by their `chart` key), each with its table."""
    groups: dict[str, list[Series]] = {}
    for item in result.series:
        groups.setdefault(item.chart or item.key, []).append(item)
    out = []
    for index, (key, members) in enumerate(groups.items()):
        title = CHART_TITLES.get(key, members[0].label)
        chart_id = f"{prefix}-{index}"
        headers, rows = table_rows(members, result)
        top = (tops or {}).get(key, 0.0)
        svg = chart_svg(members, title=title, result=result, chart_id=chart_id, top=top)
        out.append(Chart(key, title, svg, headers, rows))
    return out


CHART_TITLES = {
    "requests": "Requests and events arriving",
    "errors": "Failures by kind",
    "concurrency": "Concurrent executions against the limit",
    "db": "Database connections against max_connections",
    "queue": "Messages waiting in queues",
}


def render_text(result: Result) -> str:
    """The CLI's text form: counters, latency, cost, timeline."""
    lines = [f"Scenario {result.scenario}: {result.title}" + (f" [{result.label}]" if result.label else "")]
    lines.append(f"  {clock_text(result.start_s)} for {result.duration_s / 3600:.1f} h in {result.step_s} s steps")
    lines.append("Outcomes (zeros left out):")
    for counter in result.counters:
        if counter.value and ":" not in counter.key:
            lines.append(f"  {counter.label:<60} {_fmt(counter.value):>12}")
    by_function = [c for c in result.counters if c.value and ":" in c.key]
    if by_function:
        lines.append("By function:")
        for counter in by_function:
            lines.append(f"  {counter.label:<60} {_fmt(counter.value):>12}")
    if result.latency:
        lines.append("Latency seen by callers (ms):")
        for name, values in result.latency.items():
            cells = "  ".join(f"{k} {_fmt(v)}" for k, v in values.items())
            lines.append(f"  {name:<40} {cells}")
    lines.append("Peaks:")
    for item in result.series:
        limit = f" (limit {_fmt(item.limit)})" if item.limit is not None else ""
        lines.append(f"  {item.label:<52} {_fmt(item.peak):>12} {item.unit}{limit}")
    lines.append(
        f"Cost over the scenario: ${result.cost_total:,.4f} (at this rate ${result.cost_per_day:,.2f} per day)"
    )
    for item in result.cost:
        lines.append(f"  {item.label:<52} ${item.value:,.4f}")
    lines.append("Timeline:")
    for event in result.timeline:
        lines.append(f"  {event.clock}  {event.text}")
    for note in result.notes:
        lines.append(f"Note: {note}")
    lines.append("This is a model, not a measurement: docs/simulator.md lists what it knows and assumes.")
    return "\n".join(lines) + "\n"
