from __future__ import annotations

from courseware.exercises.grading import Verdict, fired_rules, grade

TARGET = "aws-lambda/default-timeout"
OTHER = "aws-lambda/default-memory"


def report(*findings, suppressed=(), status="ok", error=None, truncated=False):
    data = {
        "version": 1,
        "files": [
            {
                "path": "template.yaml",
                "format": "sam",
                "status": status,
                "error": error,
                "findings": [{"rule": rule, "line": line} for rule, line in findings],
                "suppressed": [{"rule": rule, "line": line, "reason": "because"} for rule, line in suppressed],
            }
        ],
    }
    if truncated:
        data["truncated"] = True
    return data


STARTER = report((TARGET, 5))


def test_fixing_every_target_passes_and_names_what_was_fixed():
    verdict = grade(targets=[TARGET], starter_report=STARTER, report=report())
    assert verdict == Verdict(True, (TARGET,), (), (), ())


def test_a_target_that_still_fires_fails():
    verdict = grade(targets=[TARGET], starter_report=STARTER, report=report((TARGET, 7)))
    assert not verdict.passed
    assert verdict.remaining == (TARGET,)
    assert verdict.fixed == ()


def test_a_suppressed_target_still_counts_as_firing():
    verdict = grade(targets=[TARGET], starter_report=STARTER, report=report(suppressed=[(TARGET, 5)]))
    assert not verdict.passed
    assert verdict.remaining == (TARGET,)


def test_a_rule_that_did_not_fire_on_the_starter_is_a_regression():
    verdict = grade(targets=[TARGET], starter_report=STARTER, report=report((OTHER, 9)))
    assert not verdict.passed
    assert verdict.fixed == (TARGET,)
    assert verdict.regressions == (OTHER,)


def test_a_rule_that_already_fired_on_the_starter_is_not_a_regression():
    starter = report((TARGET, 5), (OTHER, 5))
    verdict = grade(targets=[TARGET], starter_report=starter, report=report((OTHER, 5)))
    assert verdict.passed


def test_a_parse_error_fails_with_its_line_and_fixes_nothing():
    error = {"message": "mapping values are not allowed here", "line": 3}
    verdict = grade(
        targets=[TARGET],
        starter_report=STARTER,
        report=report(("parse-error", 3), status="parse_error", error=error),
    )
    assert not verdict.passed
    assert verdict.fixed == ()
    assert [(e.path, e.line) for e in verdict.parse_errors] == [("template.yaml", 3)]
    assert verdict.regressions == ()  # parse-error is not a rule of the catalogue


def test_a_truncated_report_never_passes():
    assert not grade(targets=[TARGET], starter_report=STARTER, report=report(truncated=True)).passed


def test_verdict_round_trips_through_json():
    verdict = grade(targets=[TARGET], starter_report=STARTER, report=report((OTHER, 1)))
    assert Verdict.from_dict(verdict.to_dict()) == verdict


def test_fired_rules_includes_suppressed_and_ignores_parse_errors():
    data = report(("parse-error", 1), (OTHER, 2), suppressed=[(TARGET, 3)])
    assert fired_rules(data) == {OTHER, TARGET}


def test_deleting_the_function_a_target_fired_on_does_not_pass():
    starter = {
        "version": 1,
        "resources": ["Importer", "Other"],
        "files": [
            {
                "path": "template.yaml",
                "status": "ok",
                "findings": [{"rule": "aws-lambda/default-timeout", "resource": "Importer", "line": 5}],
            }
        ],
    }
    emptied = {
        "version": 1,
        "resources": ["Other"],
        "files": [{"path": "template.yaml", "status": "ok", "findings": []}],
    }
    verdict = grade(targets=["aws-lambda/default-timeout"], starter_report=starter, report=emptied)
    assert not verdict.passed and verdict.removed == ("Importer",)
    assert Verdict.from_dict(verdict.to_dict()) == verdict
    kept = {**emptied, "resources": ["Importer", "Other"]}
    assert grade(targets=["aws-lambda/default-timeout"], starter_report=starter, report=kept).passed


def test_a_queue_named_by_a_finding_is_not_mistaken_for_a_deleted_function():
    starter = {
        "version": 1,
        "resources": ["Exporter"],
        "files": [{"path": "t.yaml", "status": "ok", "findings": [{"rule": "r/visibility", "resource": "Jobs"}]}],
    }
    fixed = {"version": 1, "resources": ["Exporter"], "files": [{"path": "t.yaml", "status": "ok", "findings": []}]}
    assert grade(targets=["r/visibility"], starter_report=starter, report=fixed).passed


def test_still_wrong_names_every_reason_in_the_learners_terms():
    from courseware.exercises.grading import ParseError, Unmet, Verdict, still_wrong

    verdict = Verdict(
        passed=False, fixed=(), remaining=("aws-lambda/default-timeout",), regressions=("aws-lambda/default-memory",),
        parse_errors=(), removed=("Worker",),
        unmet=(Unmet(0, "End a hung import well before 900 s.", "900 s", "template.yaml", 26, None),),
        requirements_total=1,
    )  # fmt: skip
    assert still_wrong(verdict) == [
        "Worker is gone: deleting it does not fix it",
        "aws-lambda/default-timeout still fires",
        "aws-lambda/default-memory fires, and did not in the starter",
        "End a hung import well before 900 s. (line 26)",
    ]
    broken = Verdict(False, (), (), (), (ParseError("template.yaml", 3, "bad indent"),))
    assert still_wrong(broken) == ["template.yaml does not parse (line 3): bad indent"]
