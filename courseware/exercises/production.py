"""The "In production" panel: two simulation results (the starter and the learner's files, or a story's broken
and fixed stacks) side by side, as what the template needs. Pure: no database, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field

from courseware.footguns.simulation import Chart, Event, Result, chart_tops, charts

# Counters shown even at zero on both sides would drown the table; these are the ones worth a row when either
# side has them, in this order (the rest of a result's counters stay in its JSON).
ROWS = (
    "requests",
    "unserved",
    "sync_cold_starts",
    "gateway_504",
    "gateway_502",
    "function_timeout",
    "throttled",
    "db_refused",
    "function_error",
    "async_dropped",
    "async_kept",
    "sqs_duplicates",
    "sqs_dead_lettered",
    "sqs_left",
    "billed_after_gave_up_s",
    "waiting_gb_s",
)
# The outcomes that count as damage: a side with none of them "survives" the scenario. A bad record that fails
# and is set aside (an error, then the dead-letter queue) is the system working, not damage.
DAMAGE = frozenset(ROWS) - {"requests", "async_kept", "sqs_dead_lettered", "function_error"}


@dataclass(frozen=True)
class Row:
    label: str
    left: str
    right: str
    worse: bool  # the right-hand side does worse than the left
    better: bool


@dataclass(frozen=True)
class ChartPair:
    key: str
    title: str
    left: Chart | None
    right: Chart | None


@dataclass
class Panel:
    title: str
    description: str
    left_label: str
    right_label: str
    rows: list[Row] = field(default_factory=list)
    charts: list[ChartPair] = field(default_factory=list)
    left_timeline: list[Event] = field(default_factory=list)
    right_timeline: list[Event] = field(default_factory=list)
    left_survives: bool = False
    right_survives: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def verdicts(self) -> list[tuple[str, bool]]:
        return [(self.left_label, self.left_survives), (self.right_label, self.right_survives)]


def number(value: float) -> str:
    """Counts from an aggregate model are fractional: whole numbers from 10 up, one decimal below."""
    if value == 0:
        return "0"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    return f"{value:,.1f}".removesuffix(".0")


def dollars(value: float) -> str:
    return f"${value:,.2f}" if value >= 1 else f"${value:,.4f}"


def survives(result: Result) -> bool:
    return not any(result.counter(key) >= 0.5 for key in DAMAGE)


def build_panel(
    left: Result, right: Result, *, title: str, description: str, left_label: str, right_label: str
) -> Panel:
    panel = Panel(title=title, description=description, left_label=left_label, right_label=right_label)
    labels = {c.key: c.label for c in (*left.counters, *right.counters)}
    for key in ROWS:
        a, b = left.counter(key), right.counter(key)
        if a < 0.05 and b < 0.05 and key != "requests":
            continue
        harmful = key in DAMAGE
        panel.rows.append(Row(labels.get(key, key), number(a), number(b), harmful and b > a, harmful and b < a))
    for name in sorted(set(left.latency) | set(right.latency)):
        for point in ("p50", "p99", "max"):
            a, b = left.latency.get(name, {}).get(point), right.latency.get(name, {}).get(point)
            if a is None and b is None:
                continue
            panel.rows.append(
                Row(f"{name}: latency {point} (ms)", "–" if a is None else number(a), "–" if b is None else number(b),
                    (a or 0) < (b or 0), (a or 0) > (b or 0))
            )  # fmt: skip
    for key, label in (("concurrency", "Peak concurrency"), ("db_connections", "Peak database connections")):
        a_series, b_series = left.series_of(key), right.series_of(key)
        if a_series is None and b_series is None:
            continue
        limit = (a_series or b_series).limit
        suffix = f" (limit {number(limit)})" if limit is not None else ""
        a, b = (a_series.peak if a_series else 0.0), (b_series.peak if b_series else 0.0)
        panel.rows.append(Row(label + suffix, number(a), number(b), False, False))
    panel.rows.append(
        # neither better nor worse: work that now finishes costs more than work that was killed
        Row("Cost per day at this rate", dollars(left.cost_per_day), dollars(right.cost_per_day), False, False)
    )  # fmt: skip
    tops = chart_tops(left, right)
    left_charts = {c.key: c for c in charts(left, prefix="sim-left", tops=tops)}
    right_charts = {c.key: c for c in charts(right, prefix="sim-right", tops=tops)}
    for key in dict.fromkeys([*left_charts, *right_charts]):
        chosen = left_charts.get(key) or right_charts[key]
        panel.charts.append(ChartPair(key, chosen.title, left_charts.get(key), right_charts.get(key)))
    panel.left_timeline = left.timeline
    panel.right_timeline = right.timeline
    panel.left_survives, panel.right_survives = survives(left), survives(right)
    panel.notes = list(dict.fromkeys([*left.notes, *right.notes]))
    return panel
