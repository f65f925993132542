from __future__ import annotations

from courseware.footguns.aws_lambda.units import build_units
from courseware.footguns.limits import ScanLimits
from courseware.footguns.loading import load_file


def app_of(files):
    loaded = [load_file(path, text, ScanLimits()) for path, text in files.items()]
    assert all(item.status == "ok" for item in loaded), [i.error_message for i in loaded]
    (unit,) = [u for u in build_units(loaded) if u.model.functions]
    return unit.model


def test_format_is_detected_from_name_and_content():
    cases = {
        "template.yaml": ("Transform: AWS::Serverless-2016-10-31\nResources: {}\n", "sam"),
        "stack.yaml": ("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", "cloudformation"),
        "stack.json": ('{"Resources": {}}', "cloudformation"),
        "serverless.yml": ("service: a\nprovider: {name: aws}\n", "serverless"),
        "other.yml": ("service: a\nfunctions: {}\n", "serverless"),
        "main.tf": ('variable "x" {}\n', "terraform"),
        "app.py": ("x = 1\n", "python"),
        "ci.yaml": ("on: push\njobs: {}\n", "unknown"),
    }
    for path, (text, expected) in cases.items():
        assert load_file(path, text, ScanLimits()).format == expected, path


def test_sam_globals_apply_to_functions():
    app = app_of(
        {
            "t.yaml": (
                "Transform: AWS::Serverless-2016-10-31\n"
                "Globals:\n  Function:\n    Timeout: 12\n    Runtime: java21\n"
                "    Environment:\n      Variables: {A: '1'}\n"
                "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
                "    Properties:\n      Handler: x\n      Environment:\n        Variables: {B: '2'}\n"
            )
        }
    )
    function = app.functions["F"]
    assert function.effective_timeout == 12 and function.timeout_note == "from Globals"
    assert function.runtime_name == "java21"
    assert set(function.environment) == {"A", "B"}


def test_serverless_framework_defaults_differ_from_aws():
    app = app_of({"serverless.yml": "service: s\nprovider: {name: aws}\nfunctions:\n  f: {handler: a.b}\n"})
    function = app.functions["f"]
    assert function.timeout is None and function.effective_timeout == 6
    assert function.memory is None and function.effective_memory == 1024


def test_serverless_variables_stay_opaque():
    app = app_of(
        {
            "serverless.yml": (
                "service: s\nprovider: {name: aws, timeout: '${self:custom.timeout}'}\n"
                "functions:\n  f: {handler: a.b}\n"
            )
        }
    )
    assert app.functions["f"].effective_timeout is None


def test_cloudformation_links_event_source_mappings_aliases_and_invoke_configs():
    app = app_of(
        {
            "t.yaml": (
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
                "  Q:\n    Type: AWS::SQS::Queue\n"
                "  F:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: java21, Handler: x}\n"
                "  V:\n    Type: AWS::Lambda::Version\n    Properties: {FunctionName: !Ref F}\n"
                "  A:\n    Type: AWS::Lambda::Alias\n"
                "    Properties:\n      FunctionName: !Ref F\n      FunctionVersion: !GetAtt V.Version\n"
                "      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 2}\n"
                "  M:\n    Type: AWS::Lambda::EventSourceMapping\n"
                "    Properties: {FunctionName: !Ref A, EventSourceArn: !GetAtt Q.Arn}\n"
                "  C:\n    Type: AWS::Lambda::EventInvokeConfig\n"
                "    Properties:\n      FunctionName: !Ref F\n      Qualifier: $LATEST\n"
                "      DestinationConfig: {OnFailure: {Destination: !GetAtt Q.Arn}}\n"
            )
        }
    )
    function = app.functions["F"]
    assert function.provisioned_concurrency.value == 2
    assert [(t.kind, t.source) for t in function.triggers] == [("sqs", "Q")]
    assert function.on_failure is not None


def test_terraform_variables_and_locals_are_resolved():
    app = app_of(
        {
            "main.tf": (
                'variable "timeout" {\n  default = 45\n}\n'
                "locals {\n  memory = 2048\n}\n"
                'resource "aws_lambda_function" "f" {\n'
                '  function_name = "f"\n  runtime = "python3.13"\n  handler = "a.b"\n'
                "  timeout = var.timeout\n  memory_size = local.memory\n}\n"
            )
        }
    )
    function = app.functions["aws_lambda_function.f"]
    assert function.effective_timeout == 45 and function.timeout.line == 11
    assert function.effective_memory == 2048


def test_terraform_reserved_minus_one_means_unreserved():
    app = app_of(
        {
            "main.tf": (
                'resource "aws_lambda_function" "f" {\n  function_name = "f"\n'
                "  reserved_concurrent_executions = -1\n}\n"
            )
        }
    )
    assert app.functions["aws_lambda_function.f"].reserved_concurrency is None


def test_python_handler_facts():
    from courseware.footguns.aws_lambda.formats.python_handler import analyse
    from courseware.footguns.aws_lambda.readers import python_module as parse_python

    code = (
        "import boto3, psycopg2\n"
        "conn = psycopg2.connect('')\n"
        "def handler(event, context):\n"
        "    s3 = boto3.client('s3')\n"
        "    lam = boto3.client('lambda')\n"
        "    lam.invoke(FunctionName='a', InvocationType='Event')\n"
        "    lam.invoke(FunctionName='b', **extra)\n"
        "    boto3.client('lambda').invoke(FunctionName='c')\n"
        "    psycopg2.connect('')\n"
    )
    facts = analyse(parse_python(code), "app.py")
    assert [(i.line, i.mode) for i in facts.invocations] == [(6, "Event"), (7, "unknown"), (8, "RequestResponse")]
    assert facts.db_connects_outside == [2] and facts.db_connects_in_handler == [9]
    assert facts.clients_in_handler == [4, 5, 8]


def test_only_a_database_endpoint_counts_as_a_connection():
    app = app_of(
        {
            "main.tf": (
                'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'
                'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  environment {\n'
                "    variables = {\n      SECRET = aws_db_instance.db.master_user_secret[0].secret_arn\n"
                "      HOST = aws_db_instance.db.address\n    }\n  }\n}\n"
                'resource "aws_lambda_function" "g" {\n  function_name = "g"\n  environment {\n'
                "    variables = {\n      SECRET = aws_db_instance.db.master_user_secret[0].secret_arn\n    }\n  }\n}\n"
            )
        }
    )
    assert app.functions["aws_lambda_function.f"].endpoint_refs == {"aws_db_instance.db"}
    assert app.functions["aws_lambda_function.g"].endpoint_refs == set()


def test_cloudformation_endpoint_references():
    app = app_of(
        {
            "t.yaml": (
                "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                "  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n"
                "          A: !GetAtt Db.Endpoint.Address\n          B: !Sub '${Db.Endpoint.Port}'\n"
                "          C: !Ref Db\n"
            )
        }
    )
    assert app.functions["F"].endpoint_refs == {"Db"}


def test_sam_ignore_globals_and_policies_beside_a_role():
    from courseware.footguns.engine import check_files

    template = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 30
Resources:
  Own:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: 512
      IgnoreGlobals: "*"
  Listed:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: 512
      IgnoreGlobals: [Timeout]
  WithRole:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      MemorySize: 512
      Role: arn:aws:iam::123456789012:role/existing
      Policies:
        - Statement:
            - {Effect: Allow, Action: "*", Resource: "*"}
Conditions:
  Ok: !Equals [a, a]
Rules:
  Region:
    Assertions:
      - Assert: !Contains [[eu-west-1], !Ref AWS::Region]
"""
    report = check_files({"t.yaml": template})
    assert report.files[0].status == "ok", report.files[0].error
    no_timeout = {f.resource for f in report.findings if f.rule == "aws-lambda/default-timeout"}
    assert no_timeout == {"Own", "Listed"}
    assert not [f for f in report.findings if f.rule == "aws-lambda/wildcard-permissions"]
