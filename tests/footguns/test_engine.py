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


def test_one_fact_found_by_two_routes_is_reported_once():
    module = """\
resource "aws_s3_bucket" "in" {
  bucket = "acme-in"
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  timeout       = 10
}

resource "aws_lambda_permission" "s3" {
  function_name = aws_lambda_function.f.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.in.arn
}

resource "aws_s3_bucket_notification" "in" {
  bucket = aws_s3_bucket.in.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.f.arn
  }
}

resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = jsonencode({ Statement = [{
    Effect = "Allow", Action = "s3:PutObject", Resource = "${aws_s3_bucket.in.arn}/*"
  }] })
}
"""
    report = check_files({"main.tf": module})
    recursive = [f for f in report.findings if f.rule == "aws-lambda/recursive-trigger"]
    assert len(recursive) == 1


def test_the_report_lists_the_functions_it_found():
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n"
        "      Handler: app.handler\n      Timeout: 10\n"
    )
    report = check_files({"template.yaml": template}).to_dict()
    assert report["resources"] == ["Worker"]
    assert check_files({"template.yaml": "Resources: {}\n"}).to_dict()["resources"] == []
