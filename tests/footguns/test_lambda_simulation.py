"""The Lambda simulator: the anti-primer's consequences come out of its broken stack and not out of the fixed one;
every exercise that names a scenario shows its footgun's consequence on the starter and not on the solution;
properties over random configs; determinism."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from courseware.footguns.aws_lambda import sim_facts
from courseware.footguns.aws_lambda.model import Application, Function, Trigger
from courseware.footguns.aws_lambda.simulation import simulate
from courseware.footguns.simulation import Result, load_scenario, read_scenario, simulate_files
from courseware.footguns.values import Setting

CONTENT = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"
EXERCISES = CONTENT / "exercises"

# The consequence each footgun has under traffic, as the simulator counts it.
CONSEQUENCES = {
    "aws-lambda/cold-start-sync-path": "sync_cold_starts",
    "aws-lambda/default-timeout": "function_timeout",
    "aws-lambda/default-memory": "function_timeout",
    "aws-lambda/async-no-failure-destination": "async_dropped",
    "aws-lambda/sqs-no-partial-batch-response": "sqs_duplicates",
    "aws-lambda/sqs-visibility-timeout-too-short": "sqs_duplicates",
    "aws-lambda/unbounded-concurrency-to-database": "db_refused",
    "aws-lambda/timeout-exceeds-api-gateway": "billed_after_gave_up_s",
    "aws-lambda/sync-lambda-invoke": "waiting_s",
}


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@cache
def run(exercise: str, kind: str, scenario: str) -> Result:
    return simulate_files(files_of(EXERCISES / exercise / kind), load_scenario("aws-lambda", scenario))


def exercises_with_scenarios() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for path in sorted(EXERCISES.glob("*/exercise.yaml")):
        data = yaml.safe_load(path.read_text())
        if data.get("scenario"):
            found.append((path.parent.name, data["scenario"], tuple(data["targets"])))
    return found


# ---------------------------------------------------------------------------------------------------------------
# The anti-primer: "Off the EC2 box by Monday" under the Friday night


@pytest.fixture(scope="module")
def broken() -> Result:
    return run("fix-the-anti-primer", "starter", "friday-night")


@pytest.fixture(scope="module")
def fixed() -> Result:
    return run("fix-the-anti-primer", "solution", "friday-night")


def test_the_anti_primer_names_the_friday_night():
    assert yaml.safe_load((CONTENT / "anti_primer.yaml").read_text())["scenario"] == "friday-night"


def test_cold_starts_after_idle_give_504s(broken, fixed):
    assert broken.counter("gateway_504:InvoiceStatusApi") > 10
    assert broken.counter("sync_cold_starts:InvoiceStatusApi") >= broken.counter("gateway_504:InvoiceStatusApi") - 1
    first = next(e for e in broken.timeline if "504" in e.text)
    assert first.clock == "17:40" and "Init" in first.text  # the first request after the deploy
    assert fixed.counter("gateway_504") == 0
    assert fixed.counter("sync_cold_starts") == 0


def test_the_importer_is_killed_at_the_default_three_seconds(broken, fixed):
    assert broken.counter("function_timeout:PartnerImporter") > 0
    assert any("PartnerImporter is killed at its 3 s timeout" in e.text for e in broken.timeline)
    assert broken.counter("async_dropped:PartnerImporter") > 0  # and then the events are discarded
    assert fixed.counter("function_timeout") == 0
    assert fixed.counter("async_dropped") == 0


def test_the_spike_to_a_thousand_environments_is_refused_by_the_database(broken, fixed):
    worker = broken.series_of("concurrency:InvoiceWorker")
    assert worker.peak >= 800  # the account's 1,000, less what the other functions hold
    db = broken.series_of("db_connections")
    assert db.peak > 5 * db.limit
    assert broken.counter("db_refused:InvoiceWorker") > 1000
    assert any("the database allows 450" in e.text for e in broken.timeline)
    assert fixed.counter("db_refused") == 0
    assert fixed.series_of("db_connections").peak < fixed.series_of("db_connections").limit


def test_the_caller_pays_twice_while_it_waits_and_times_out_when_the_callee_is_slow(broken, fixed):
    waiting, worked = broken.counter("waiting_s:InvoiceWorker"), broken.counter("callee_s:InvoiceWorker")
    assert worked > 0 and waiting >= 0.9 * worked  # billed for the callee's seconds again: about 2x the compute
    assert broken.counter("waiting_gb_s") > 0
    assert broken.counter("function_timeout:InvoiceWorker") > 0
    assert any("InvoiceWorker is killed at its 60 s timeout" in e.text for e in broken.timeline)
    assert fixed.counter("waiting_s") == 0 and fixed.counter("callee_s") == 0


def test_the_fixed_stack_still_does_the_work(fixed):
    assert fixed.counter("sqs_left") == 0  # every invoice processed by the morning
    assert fixed.counter("sqs_dead_lettered") == 1  # the malformed one set aside
    assert fixed.counter("sqs_duplicates") == 0


# ---------------------------------------------------------------------------------------------------------------
# Every exercise that names a scenario


@pytest.mark.parametrize(("exercise", "scenario", "targets"), exercises_with_scenarios(), ids=lambda v: str(v))
def test_starter_shows_the_consequence_and_solution_does_not(exercise, scenario, targets):
    known = [t for t in targets if t in CONSEQUENCES]
    assert known, f"{exercise} names a scenario but none of its targets has a consequence the simulator counts"
    starter, solution = run(exercise, "starter", scenario), run(exercise, "solution", scenario)
    for target in known:
        key = CONSEQUENCES[target]
        assert starter.counter(key) > 0, f"{exercise}: the starter shows no {key} ({target})"
        assert solution.counter(key) == 0, f"{exercise}: the solution still shows {key} ({target})"


def test_most_exercises_name_a_scenario():
    assert len(exercises_with_scenarios()) >= 10


# ---------------------------------------------------------------------------------------------------------------
# Determinism


def test_same_seed_same_result_and_another_seed_another_one():
    files = files_of(EXERCISES / "quote-api-provisioned" / "starter")
    scenario = load_scenario("aws-lambda", "sales-day")
    first, again = simulate_files(files, scenario).to_dict(), simulate_files(files, scenario).to_dict()
    assert first == again
    other = read_scenario(
        (CONTENT / "scenarios" / "sales-day.yaml").read_text().replace("seed: 21", "seed: 22"),
        topic="aws-lambda", name="sales-day", source="sales-day.yaml",
    )[0]  # fmt: skip
    assert simulate_files(files, other).to_dict()["series"] != first["series"]


def test_functions_the_files_do_not_define_are_left_out_with_a_note():
    result = simulate_files({"template.yaml": "Resources: {}\n"}, load_scenario("aws-lambda", "partner-drops"))
    assert result.counter("requests") == 0
    assert result.counter("unserved") == 4  # and counted as damage: deleting the function is no fix
    assert any("PartnerImporter" in note for note in result.notes)


# ---------------------------------------------------------------------------------------------------------------
# Properties over random configs (models built directly: the parsers have their own tests)


def function(*, kind="api", memory=512, timeout=30, reserved=None, pc=0, qualifier="latest", limit_s=29) -> Application:
    trigger = Trigger(kind=kind, file="t.yaml", line=1, qualifier=qualifier, limit_s=limit_s if kind == "api" else None)
    fn = Function(
        name="Fn", file="t.yaml", line=1, format="sam",
        runtime=Setting("python3.13", "t.yaml", 1), memory=Setting(memory, "t.yaml", 1),
        timeout=Setting(timeout, "t.yaml", 1), triggers=[trigger],
    )  # fmt: skip
    if reserved is not None:
        fn.reserved_concurrency = Setting(reserved, "t.yaml", 1)
    if pc:
        fn.provisioned_concurrency = Setting(pc, "t.yaml", 1)
        fn.provisioned_on = {"alias:live"}
        fn.aliases = {"live": 1}
    return Application(functions={"Fn": fn})


def scenario(*, work: dict, traffic: list, connections=None, max_connections=None, step=10, hours=1, seed=1):
    body = {
        "title": "property", "start": "00:00", "duration": f"{hours}h", "step": f"{step}s", "seed": seed,
        "functions": {"Fn": {"work": work, "traffic": traffic}},
    }  # fmt: skip
    if connections is not None:
        body["functions"]["Fn"]["connections"] = connections
    if max_connections is not None:
        body["database"] = {"max_connections": max_connections}
    parsed, problems = read_scenario(yaml.safe_dump(body), topic="aws-lambda", name="property", source="p.yaml")
    assert not problems, problems
    return parsed


works = st.builds(
    lambda median, spread: {"median": f"{median}ms", "p99": f"{int(median * spread)}ms"},
    st.integers(50, 20_000),
    st.floats(1.0, 4.0),
)
rates = st.sampled_from([0.1, 0.5, 2, 10, 50])
bursts = st.integers(1, 400)


def traffic_of(rate: float, burst: int) -> list:
    return [{"from": "00:00", "to": "00:40", "rate": rate}, {"at": "00:20", "burst": burst}]


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(work=works, rate=rates, burst=bursts, short=st.integers(1, 60), extra=st.integers(0, 200),
       kind=st.sampled_from(["api", "s3", "sqs"]))  # fmt: skip
def test_a_longer_timeout_never_kills_more(work, rate, burst, short, extra, kind):
    plan = scenario(work=work, traffic=traffic_of(rate, burst))
    killed_short = simulate([function(kind=kind, timeout=short)], plan).counter("function_timeout")
    killed_long = simulate([function(kind=kind, timeout=short + extra)], plan).counter("function_timeout")
    assert killed_long <= killed_short + 1e-6


@PROPERTY
@given(work=works, rate=rates, burst=bursts, low=st.integers(1, 300), extra=st.integers(0, 300),
       kind=st.sampled_from(["api", "sqs"]), connections=st.integers(1, 5))  # fmt: skip
def test_more_reserved_concurrency_never_lowers_peak_database_connections(work, rate, burst, low, extra, kind,
                                                                          connections):  # fmt: skip
    plan = scenario(work=work, traffic=traffic_of(rate, burst), connections=connections)
    peak_low = simulate([function(kind=kind, reserved=low, timeout=900)], plan).series_of("db_connections").peak
    peak_high = simulate([function(kind=kind, reserved=low + extra, timeout=900)], plan).series_of("db_connections")
    assert peak_high.peak >= peak_low - 1e-6


@PROPERTY
@given(work=works, rate=rates, burst=bursts)
def test_provisioned_concurrency_at_peak_on_the_alias_means_no_cold_starts(work, rate, burst):
    plan = scenario(work=work, traffic=traffic_of(rate, burst))
    on_demand = simulate([function(qualifier="alias:live", timeout=900, limit_s=None)], plan)
    peak = on_demand.series_of("concurrency").peak
    # at the account's limit the peak is a cap, not the demand: no pool of that size is "at peak"
    assume(peak < sim_facts.value("account_concurrency") - 1)
    provisioned = simulate([function(qualifier="alias:live", timeout=900, pc=math.ceil(peak) + 1)], plan)
    assert provisioned.counter("cold_starts") == 0
    # the same provisioned concurrency does nothing for a trigger that calls $LATEST
    latest = simulate([function(qualifier="latest", timeout=900, pc=math.ceil(peak) + 1)], plan)
    assert latest.counter("cold_starts") == on_demand.counter("cold_starts")


@PROPERTY
@given(median=st.integers(50, 5_000), rate=rates, memory=st.integers(128, 4096),
       more_memory=st.integers(0, 4096), longer=st.floats(1.0, 3.0))  # fmt: skip
def test_cost_rises_with_memory_and_duration(median, rate, memory, more_memory, longer):
    def cost(mem: int, ms: int) -> float:
        work = {"median": f"{ms}ms", "p99": f"{ms * 2}ms", "cpu_bound": 0}
        plan = scenario(work=work, traffic=traffic_of(rate, 1))
        return simulate([function(kind="s3", memory=mem, timeout=900)], plan).cost_total

    base = cost(memory, median)
    assert cost(min(memory + more_memory, 10_240), median) >= base - 1e-12
    assert cost(memory, int(median * longer)) >= base - 1e-12


def test_cpu_bound_work_speeds_up_with_memory_up_to_one_vcpu():
    work = {"median": "8400ms", "p99": "11s", "at_memory": 128, "cpu_bound": 1}
    plan = scenario(work=work, traffic=traffic_of(0.5, 1))
    slow = simulate([function(kind="api", memory=128, timeout=10)], plan)
    fast = simulate([function(kind="api", memory=1769, timeout=10)], plan)
    wasted = simulate([function(kind="api", memory=3008, timeout=10)], plan)
    assert slow.counter("function_timeout") > 0 and fast.counter("function_timeout") == 0
    assert fast.latency["Fn"]["p50"] < 1000
    assert wasted.latency["Fn"] == fast.latency["Fn"]  # a single thread gains nothing past one vCPU
    assert wasted.cost_total > fast.cost_total


def test_reserved_concurrency_throttles_a_synchronous_burst():
    plan = scenario(work={"median": "2s", "p99": "3s"}, traffic=[{"at": "00:10", "burst": 500}])
    capped = simulate([function(reserved=50)], plan)
    assert capped.counter("throttled") > 0
    assert capped.series_of("concurrency").peak <= 50 + 1e-6
    assert simulate([function()], plan).counter("throttled") == 0


def test_the_database_limit_comes_from_the_files_before_the_scenario():
    result = run("invoice-worker-concurrency", "starter", "invoice-run-database")
    assert result.series_of("db_connections").limit == sim_facts.max_connections("postgres", "db.t3.medium")
    assert any("in the files" in note for note in result.notes)


def test_every_fact_says_where_it_comes_from():
    for key, fact in sim_facts.FACTS.items():
        assert fact.source.startswith(("lambda-facts.md §", "model assumption")), key


def test_the_docs_page_lists_every_fact_as_the_module_has_it():
    page = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text()
    assert sim_facts.facts_markdown() in page
    assert "This is a model, not a measurement" in page


def test_arm_costs_less_per_gb_second_than_x86():
    plan = scenario(work={"median": "2s", "p99": "3s", "cpu_bound": 0}, traffic=traffic_of(2, 1))
    x86 = function(kind="s3", memory=1024, timeout=60)
    arm_app = function(kind="s3", memory=1024, timeout=60)
    arm_app.functions["Fn"].architecture = Setting(["arm64"], "t.yaml", 1)
    ratio = simulate([arm_app], plan).cost_total / simulate([x86], plan).cost_total
    assert 0.75 < ratio < 0.85  # about 20% less (lambda-facts.md §9), requests cost the same
