"""An exercise is a test suite: the starter fails, the solution passes, wrong/ cases are refused, right/ pass.

`verdict_in_process` grades author-written files with the in-process engine (content is trusted: this is how
`manage.py check` proves every exercise); learner files only ever go through the sandbox (`services`,
`check_exercise`). Both grade with the same `grading.grade`, the same rules and the same requirements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import checker, grading
from .content import Exercise


@dataclass(frozen=True)
class SuiteProblem:
    source: str  # file or folder, relative to the content root
    line: int
    message: str


def report_in_process(exercise: Exercise, files: dict[str, str]) -> dict:
    from courseware.footguns.engine import check_files

    return check_files(files, requirements=exercise.accept, topic=exercise.engine).to_dict()


def verdict_for(exercise: Exercise, report: dict) -> grading.Verdict:
    return grading.grade(
        targets=exercise.targets,
        starter_report=checker.starter_report(exercise),
        report=report,
        requirements=len(exercise.accept),
    )


def verdict_in_process(exercise: Exercise, files: dict[str, str]) -> grading.Verdict:
    return verdict_for(exercise, report_in_process(exercise, files))


def reasons(verdict: grading.Verdict) -> list[str]:
    """Why a verdict is not a pass, for authors: rules by id, requirements by number with what the checker saw."""
    found = [f"rule {rule} still fires" for rule in verdict.remaining]
    found += [f"rule {rule} fires (new)" for rule in verdict.regressions]
    found += [f"requirement {u.index + 1}: {u.detail or u.message}" for u in verdict.unmet]
    found += [f"{e.path} does not parse (line {e.line}): {e.message}" for e in verdict.parse_errors]
    found += [f"{name} was deleted" for name in verdict.removed]
    return found


def subject_problems(exercise: Exercise) -> list[SuiteProblem]:
    """Requirements that name a function, queue or resource the starter does not define."""
    from courseware.footguns.acceptance import vocabulary

    words = vocabulary(exercise.engine)
    if words is None or not exercise.accept:
        return []
    report = checker.starter_report(exercise)
    resources = set(report.get("resources", ()))
    stores = set(_starter_stores(exercise))
    problems = []
    for spec, line in zip(exercise.accept, exercise.accept_lines, strict=True):
        for kind, name in words.subjects(spec):
            known = resources if kind == "function" else stores if kind == "queue" else resources | stores
            if name not in known:
                problems.append(SuiteProblem(exercise.source, line, f"the starter has no {kind} named '{name}'"))
    return problems


def _starter_stores(exercise: Exercise) -> list[str]:
    from courseware.footguns.engine import build_models

    models = build_models(exercise.starter_files(), exercise.engine)
    return [name for model in models for name in getattr(model, "stores", ())]


def scenario_problems(exercise: Exercise, scenario: Any) -> list[SuiteProblem]:
    """A scenario that drives a function the starter or the solution does not define replays nothing."""
    from courseware.footguns.simulation import simulator_of

    simulator = simulator_of(scenario.topic)
    names = getattr(simulator, "function_names", None)
    if names is None:
        return []
    problems = []
    for kind, files in (("starter", exercise.starter_files()), ("solution", exercise.solution_files())):
        resources = set(report_in_process(exercise, files).get("resources", ()))
        for name, _line in names(scenario):
            if name not in resources:
                problems.append(
                    SuiteProblem(
                        exercise.source, exercise.scenario_line,
                        f"scenario '{scenario.name}' drives function '{name}', which the {kind} does not define",
                    )
                )  # fmt: skip
    return problems


def suite_problems(exercise: Exercise, scenarios: Mapping[str, Any] | None = None) -> list[SuiteProblem]:
    from .content import read_cases

    problems = subject_problems(exercise)
    if exercise.scenario is not None and scenarios and exercise.scenario in scenarios:
        problems += scenario_problems(exercise, scenarios[exercise.scenario])
    problems += [SuiteProblem(e.path, e.line, e.message) for e in read_cases(exercise)[1]]
    starter = verdict_in_process(exercise, exercise.starter_files())
    if starter.passed:
        problems.append(SuiteProblem(exercise.source, 1, "the starter passes: it must fail"))
    solution = verdict_in_process(exercise, exercise.solution_files())
    if not solution.passed:
        problems.append(SuiteProblem(exercise.source, 1, "the solution does not pass: " + "; ".join(reasons(solution))))
    for case in exercise.cases:
        verdict = verdict_in_process(exercise, case.file_map())
        if case.kind == "wrong" and verdict.passed:
            problems.append(SuiteProblem(case.source, 1, f"this wrong case passes, but must be refused ({case.why})"))
        elif case.kind == "right" and not verdict.passed:
            problems.append(SuiteProblem(case.source, 1, "this right case is refused: " + "; ".join(reasons(verdict))))
    return problems
