from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from courseware.footguns.cli import main

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
FIXTURES = Path(__file__).parent / "fixtures" / "aws-lambda"
CLEAN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 10
      MemorySize: 512
  ApiLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/${Api}
      RetentionInDays: 14
"""


def run(capsys, *args):
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_clean_file_exits_0(tmp_path, capsys):
    (tmp_path / "template.yaml").write_text(CLEAN)
    code, out = run(capsys, tmp_path / "template.yaml")
    assert code == 0
    assert out.startswith("0 finding(s)")


def test_error_findings_exit_1_and_text_names_file_line_and_rule(capsys):
    code, out = run(capsys, FIXTURES / "default-timeout.fail.yaml")
    assert code == 1
    assert "default-timeout.fail.yaml:3: error aws-lambda/default-timeout [Worker]" in out


def test_fail_on_controls_the_exit_code(capsys):
    path = FIXTURES / "default-memory.pass.yaml"  # only warnings (log retention)
    assert run(capsys, "--fail-on", "error", path)[0] == 0
    assert run(capsys, "--fail-on", "warning", path)[0] == 1
    assert run(capsys, "--fail-on", "never", FIXTURES / "default-timeout.fail.yaml")[0] == 0


def test_parse_error_exits_2(tmp_path, capsys):
    (tmp_path / "template.yaml").write_text("Resources: [unclosed\n")
    code, out = run(capsys, "--format", "json", tmp_path)
    assert code == 2
    (entry,) = json.loads(out)["files"]
    assert entry["status"] == "parse_error"


@pytest.mark.parametrize("args", [[], ["--format", "xml", "x"], ["does-not-exist.yaml"]])
def test_usage_errors_exit_2(capsys, args):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2


def test_directory_is_walked_and_json_is_version_1(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(CLEAN)
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return {}\n")
    (tmp_path / "README.md").write_text("# not checked\n")
    code, out = run(capsys, "--format", "json", tmp_path)
    data = json.loads(out)
    assert data["version"] == 1
    paths = [Path(f["path"]).name for f in data["files"]]
    assert paths == ["app.py", "template.yaml"]
    assert code == 0


def test_sarif_output_validates_against_the_schema(capsys):
    code, out = run(capsys, "--format", "sarif", FIXTURES)
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"aws-lambda/default-timeout", "aws-lambda/wildcard-permissions"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert code == 1


def test_sarif_marks_suppressed_findings(tmp_path, capsys):
    (tmp_path / "template.yaml").write_text(
        CLEAN.replace("  Api:\n", "  Api:  # footgun:ignore aws-lambda/default-timeout reason: demo\n").replace(
            "      Timeout: 10\n", ""
        )
    )
    code, out = run(capsys, "--format", "sarif", tmp_path)
    log = json.loads(out)
    jsonschema.validate(log, SCHEMA)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["suppressions"]) for r in results] == [
        ("aws-lambda/default-timeout", [{"kind": "inSource", "justification": "demo"}])
    ]
    assert code == 0  # a suppressed finding does not fail the run


def test_text_output_escapes_control_characters(tmp_path, capsys):
    (tmp_path / "template.yaml").write_text(CLEAN.replace("Resources:\n  Api:", "Resources:\n  Api:", 1))
    bad = 'Resources:\n  "Evil\\e[31m":\n    Type: AWS::Serverless::Function\n'
    (tmp_path / "evil.yaml").write_text("Transform: AWS::Serverless-2016-10-31\n" + bad)
    code, out = run(capsys, tmp_path / "evil.yaml")
    assert "\x1b" not in out


def test_standard_input_is_checked_under_the_given_name(monkeypatch, capsys):
    import io
    import json

    template = (
        b"Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        b"    Properties:\n      Runtime: python3.13\n      Handler: app.handler\n      MemorySize: 512\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(template)))
    assert main(["--format", "json", "--filename", "rendered.yaml", "-"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["path"], f["format"]) for f in report["files"]] == [("rendered.yaml", "sam")]
    assert report["files"][0]["findings"][0]["rule"] == "aws-lambda/default-timeout"


def test_standard_input_can_be_read_only_once():
    import pytest

    with pytest.raises(SystemExit) as exit_:
        main(["-", "-"])
    assert exit_.value.code == 2


def test_a_sam_template_never_imports_the_hcl_parser():
    import subprocess
    import sys

    code = (
        "import sys; from courseware.footguns.cli import main; "
        "main(['content/aws-lambda/exercises/importer-timeout/solution/template.yaml']); "
        "print(sorted(m for m in sys.modules "
        "if m.startswith(('hcl2', 'lark', 'courseware.footguns.aws_lambda.formats.terraform'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_cli_reads_rendered_charts_larger_than_a_learner_paste(tmp_path, capsys):
    """A learner's paste is capped at 256 KiB; a repository's CRDs and `helm template` output are not."""
    description = "x" * 200
    properties = "".join(f"      f{n}: {{type: string, description: {description}}}\n" for n in range(2000))
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: big}\n"
        "spec:\n  validation:\n    properties:\n" + properties
    )
    path = tmp_path / "crd.yaml"
    path.write_text(crd)
    assert len(crd) > 256 * 1024
    assert main(["--format", "json", str(path)]) == 0
    assert '"status": "ok"' in capsys.readouterr().out


# --- simulate -------------------------------------------------------------------------------------------------

IMPORTER = Path(__file__).resolve().parents[2] / "content" / "aws-lambda" / "exercises" / "importer-timeout"


def test_simulate_prints_outcomes_and_a_timeline(capsys):
    code, out = run(capsys, "simulate", IMPORTER / "starter", "--scenario", "partner-drops")
    assert code == 0
    assert "Function timeouts: work killed mid-way" in out
    assert "PartnerImporter is killed at its 3 s timeout" in out
    assert "This is a model" in out


def test_simulate_json_is_the_result_shape(capsys):
    scenario = IMPORTER.parents[1] / "scenarios" / "partner-drops.yaml"
    code, out = run(capsys, "simulate", IMPORTER / "solution", "--scenario", scenario, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["version"] == 1 and data["scenario"] == "partner-drops"
    counters = {c["key"]: c["value"] for c in data["counters"]}
    assert counters["function_timeout"] == 0 and counters["requests"] == 4
    assert {"series", "latency_ms", "cost_usd", "timeline"} <= set(data)


def test_simulate_with_an_unknown_scenario_exits_2(capsys):
    code = main(["simulate", str(IMPORTER / "starter"), "--scenario", "no-such-night"])
    assert code == 2
    assert "cannot read scenario" in capsys.readouterr().err


def test_simulate_needs_a_scenario(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", str(IMPORTER / "starter")])
    assert exit_info.value.code == 2


def test_a_plain_check_never_imports_the_simulator():
    import subprocess
    import sys

    code = (
        "import sys; from courseware.footguns.cli import main; "
        f"main([{str(IMPORTER / 'starter')!r}]); "
        "print(sorted(m for m in sys.modules if 'simulation' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False).stdout
    assert out.strip().splitlines()[-1] == "[]"
