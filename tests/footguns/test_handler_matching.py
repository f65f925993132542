from __future__ import annotations

from courseware.footguns.engine import check_files

SYNC = """\
import boto3

client = boto3.client("lambda")


def lambda_handler(event, context):
    return client.invoke(FunctionName="payment")
"""
ASYNC = SYNC.replace('FunctionName="payment"', 'FunctionName="payment", InvocationType="Event"')

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Checkout:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: checkout/
      Handler: app.lambda_handler
      Runtime: python3.13
      Timeout: 10
      Environment:
        Variables:
          PAYMENT: !Ref Payment
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Payment
  Payment:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: payment/
      Handler: app.lambda_handler
      Runtime: python3.13
      Timeout: 10
"""


def sync_findings(files):
    report = check_files(files)
    return [
        (r.path, f.line, f.severity, f.resource)
        for r in report.files
        for f in r.findings
        if f.rule == "aws-lambda/sync-lambda-invoke"
    ]


def test_sam_handler_code_confirms_a_sync_invoke_at_the_handler_line():
    found = sync_findings({"template.yaml": SAM, "checkout/app.py": SYNC, "payment/app.py": "x = 1\n"})
    assert found == [("checkout/app.py", 7, "warning", "Checkout")]


def test_sam_handler_code_with_event_invoke_clears_the_grant():
    assert sync_findings({"template.yaml": SAM, "checkout/app.py": ASYNC}) == []


def test_without_handler_code_the_grant_is_reported_with_lower_severity():
    (finding,) = sync_findings({"template.yaml": SAM})
    assert finding[0] == "template.yaml" and finding[2] == "info"


def test_serverless_handler_is_relative_to_the_service_folder():
    service = """\
service: shop
provider: {name: aws, runtime: python3.13, timeout: 10}
functions:
  checkout:
    handler: src/checkout.lambda_handler
"""
    found = sync_findings({"svc/serverless.yml": service, "svc/src/checkout.py": SYNC})
    assert found == [("svc/src/checkout.py", 7, "warning", "checkout")]


def test_terraform_source_dir_and_handler():
    module = """\
data "archive_file" "checkout" {
  type        = "zip"
  source_dir  = "${path.module}/lambda"
  output_path = "build/checkout.zip"
}

resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  role          = "arn:aws:iam::123456789012:role/app"
  runtime       = "python3.13"
  handler       = "handler.lambda_handler"
  filename      = data.archive_file.checkout.output_path
  timeout       = 10
}
"""
    found = sync_findings({"infra/main.tf": module, "infra/lambda/handler.py": SYNC})
    assert found == [("infra/lambda/handler.py", 7, "warning", "aws_lambda_function.checkout")]


def test_database_connection_in_handler_counts_as_reaching_the_database():
    code = "import psycopg2\n\ndef handler(event, context):\n    conn = psycopg2.connect('')\n"
    template = (
        SAM.split("  Payment:")[0]
        .replace("CodeUri: checkout/", "CodeUri: .")
        .replace("Handler: app.lambda_handler", "Handler: app.handler")
    )
    report = check_files({"template.yaml": template, "app.py": code})
    rules = {f.rule for f in report.findings}
    assert "aws-lambda/unbounded-concurrency-to-database" in rules
