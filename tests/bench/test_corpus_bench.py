from __future__ import annotations

import json

from bench import corpus_bench

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Poller:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt PollerRole.Arn
  PollerRole:
    Type: AWS::IAM::Role
  PollerPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Poller
  Unused:
    Type: AWS::IAM::Role
"""


def _match(rule: str, filename: str, resource: str) -> dict:
    return {"Rule": {"Id": rule}, "Filename": filename, "Location": {"Path": ["Resources", resource, "Properties"]}}


def test_cfn_lint_findings_on_a_permission_a_role_or_a_generated_role_count_for_the_function(tmp_path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    name = str(template)
    output = json.dumps(
        [
            _match("ES1007", name, "PollerPermission"),  # reported on the permission
            _match("WS1003", name, "PollerRole"),  # reported on the role the function uses
            _match("WS1003", name, "WorkerRole"),  # the role SAM generates for Worker
            _match("WS1003", name, "Unused"),  # a role no function uses stays a role
            _match("E3012", name, "Worker"),  # not a shared rule
        ]
    )
    assert corpus_bench.cfn_lint_flags(output) == {
        (name, "aws-lambda/async-no-failure-destination", "Poller"),
        (name, "aws-lambda/wildcard-permissions", "Poller"),
        (name, "aws-lambda/wildcard-permissions", "Worker"),
        (name, "aws-lambda/wildcard-permissions", "Unused"),
    }


def test_our_findings_with_several_resources_count_for_each() -> None:
    report = {
        "files": [
            {"path": "a.yaml", "findings": [{"rule": "aws-lambda/default-timeout", "resource": "A, B"}]},
            {"path": "b.yaml", "findings": [{"rule": "aws-lambda/recursive-trigger", "resource": "C"}]},
        ]
    }
    assert corpus_bench.our_flags(report, {"aws-lambda/default-timeout"}) == {
        ("a.yaml", "aws-lambda/default-timeout", "A"),
        ("a.yaml", "aws-lambda/default-timeout", "B"),
    }


def test_parse_errors_rejections_and_crashed_rules_are_listed() -> None:
    report = {
        "files": [
            {"path": "ok.yaml", "format": "sam", "status": "ok", "error": None, "findings": []},
            {
                "path": "bad.yaml",
                "format": "unknown",
                "status": "parse_error",
                "error": {"message": "Unknown tag !Contains.", "line": 8},
                "findings": [],
            },
            {
                "path": "crash.yaml",
                "format": "sam",
                "status": "ok",
                "error": None,
                "findings": [{"rule": "rule-error", "message": "KeyError in aws-lambda/x"}],
            },
        ]
    }
    problems = corpus_bench.our_problems(report)
    assert [(p["path"], p["status"], p["line"]) for p in problems] == [
        ("bad.yaml", "parse_error", 8),
        ("crash.yaml", "ok", None),
    ]
    assert problems[1]["message"] == "KeyError in aws-lambda/x"


def test_checkov_results_for_one_or_several_frameworks_are_read(tmp_path) -> None:
    check = {
        "check_id": "CKV_AWS_45",
        "resource": "aws_lambda_function.f",
        "file_path": "/main.tf",
        "file_abs_path": str(corpus_bench.ROOT / "bench" / "main.tf"),
    }
    single = json.dumps({"results": {"failed_checks": [check]}})
    several = json.dumps([{"results": {"failed_checks": [check]}}, {"results": {}}])
    expected = {("bench/main.tf", "aws-lambda/secret-in-environment", "aws_lambda_function.f")}
    assert corpus_bench.checkov_flags(single, corpus_bench.CHECKOV_TERRAFORM_SHARED) == expected
    assert corpus_bench.checkov_flags(several, corpus_bench.CHECKOV_TERRAFORM_SHARED) == expected


def test_checkov_kubernetes_results_from_a_relative_directory_name_the_file_checked(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(corpus_bench, "ROOT", tmp_path)
    manifest = tmp_path / "bench" / "corpora" / "kubernetes" / "src" / "deploy.yaml"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("apiVersion: apps/v1\nkind: Deployment\n")
    check = {  # what checkov 3.3.30 reports for `-d bench/corpora/kubernetes`
        "check_id": "CKV_K8S_14",
        "resource": "Deployment.default.web",
        "file_path": "/bench/corpora/kubernetes/src/deploy.yaml",
        "file_abs_path": str(tmp_path / "bench/corpora/kubernetes/bench/corpora/kubernetes/src/deploy.yaml"),
    }
    output = json.dumps({"results": {"failed_checks": [check]}})
    assert corpus_bench.checkov_flags(output, corpus_bench.CHECKOV_KUBERNETES_SHARED) == {
        ("bench/corpora/kubernetes/src/deploy.yaml", "kubernetes/mutable-image-tag", "Deployment/web")
    }
