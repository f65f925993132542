"""The AWS Lambda topic's engine package: serverless applications from SAM, CloudFormation, Terraform,
serverless.yml and Python handler code, one model (`model.Application`) and the rules over it.

This module is what the registry imports: plain data and functions that import the rest when called.
"""

from __future__ import annotations

from courseware.footguns.aws_lambda import readers
from courseware.footguns.topic import Format, Reader, TopicEngine, on_call

SLUG = "aws-lambda"


ENGINE = TopicEngine(
    slug=SLUG,
    formats=(
        Format("sam", "SAM YAML", "yaml", "yaml"),
        Format("cloudformation", "CloudFormation JSON or YAML", "json", "json"),
        Format("terraform", "Terraform HCL", "tf", "terraform"),
        Format("serverless", "serverless.yml", "yml", "yaml"),
        Format("python", "Python handler code", "py", "python"),
    ),
    readers=(
        Reader(readers.TEMPLATE_SUFFIXES, readers.claims_template, readers.parse_template),
        Reader((".tf",), readers.claims_always, readers.parse_terraform),
        Reader((".py",), readers.claims_always, readers.parse_python),
    ),
    build_units=on_call("courseware.footguns.aws_lambda.units", "build_units"),
    rules=on_call("courseware.footguns.aws_lambda.rules", "RULES"),
    requirements=on_call("courseware.footguns.aws_lambda.requirements"),
    simulator=on_call("courseware.footguns.aws_lambda.simulation"),
    sample_files={
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  Fn:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: python3.12\n"
            "      Handler: app.handler\n"
            "      Timeout: 10\n"
        ),
        "infra/main.tf": (
            'resource "aws_lambda_function" "fn" {\n'
            '  function_name = "fn"\n'
            '  runtime       = "python3.12"\n'
            "  timeout       = 10\n"
            "}\n"
        ),
        "service/serverless.yml": "service: warm\nprovider:\n  name: aws\n  runtime: python3.12\n",
        "app.py": "def handler(event, context):\n    return {'ok': True}\n",
    },
    sample_requirements=({"function": "Fn", "timeout": {"max": 900}, "message": "warm"},),
    preload=(
        "courseware.footguns.aws_lambda.formats.cfn_yaml",
        "courseware.footguns.aws_lambda.formats.cloudformation",
        "courseware.footguns.aws_lambda.formats.serverless",
        "courseware.footguns.aws_lambda.formats.terraform",
        "courseware.footguns.aws_lambda.formats.python_handler",
        "courseware.footguns.aws_lambda.units",
        "courseware.footguns.aws_lambda.rules",
        "courseware.footguns.aws_lambda.requirements",
        "courseware.footguns.simulation",
        "courseware.footguns.aws_lambda.sim_facts",
        "courseware.footguns.aws_lambda.simulation",
    ),
)
