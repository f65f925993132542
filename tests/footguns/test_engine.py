from __future__ import annotations

from courseware.footguns.engine import check_files

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
"""


def test_report_is_json_output_version_1():
    report = check_files({"template.yaml": SAM}).to_dict()
    assert report["version"] == 1
    (entry,) = report["files"]
    assert entry["path"] == "template.yaml"
    assert entry["format"] == "sam"
    assert entry["status"] == "ok"
    assert entry["error"] is None
    assert entry["suppressed"] == []
    rules = {(f["rule"], f["line"]) for f in entry["findings"]}
    assert ("aws-lambda/default-timeout", 3) in rules
    finding = next(f for f in entry["findings"] if f["rule"] == "aws-lambda/default-timeout")
    assert finding["footgun"] == "aws-lambda/no-timeout-configuration"
    assert finding["learn"] == "/topics/aws-lambda/footguns/#no-timeout-configuration"
    assert finding["resource"] == "Worker"


def test_parse_failure_is_a_finding_with_a_line():
    report = check_files({"t.json": '{"Resources": {}, "Resources": {}}'}).to_dict()
    (entry,) = report["files"]
    assert entry["status"] == "parse_error"
    assert entry["error"]["line"] == 1
    assert entry["findings"][0]["rule"] == "parse-error"


def test_bytes_and_text_give_the_same_report():
    assert check_files({"t.yaml": SAM}).to_dict() == check_files({"t.yaml": SAM.encode()}).to_dict()
