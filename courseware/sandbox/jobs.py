"""Jobs that run inside a confined child (and the zygote's warm-up).

A job takes the JSON arguments the runner sent and returns a JSON value. The engine is
imported by module path here, so the zygote can preload it and a missing or broken
engine shows up as a failed job, never as an import error in the web process.
"""

from __future__ import annotations

from typing import Any

WARM_UP_FILES = {
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
    "main.tf": (
        'resource "aws_lambda_function" "fn" {\n'
        '  function_name = "fn"\n'
        '  runtime       = "python3.12"\n'
        "  timeout       = 10\n"
        "}\n"
    ),
    "serverless.yml": "service: warm\nprovider:\n  name: aws\n  runtime: python3.12\n",
    "src/app.py": "def handler(event, context):\n    return {'ok': True}\n",
}


def warm_up(_args: dict[str, Any]) -> str:
    """Build every parser once in the zygote so each forked child finds them ready."""
    from courseware.footguns.engine import check_files

    warm_requirement = {"function": "Fn", "timeout": {"max": 900}, "message": "warm"}
    report = check_files(WARM_UP_FILES, requirements=[warm_requirement], topic="aws-lambda")
    return f"engine warm ({len(report.files)} files)"


def check(args: dict[str, Any]) -> dict[str, Any]:
    from courseware.footguns.engine import check_files
    from courseware.footguns.limits import ScanLimits

    report = check_files(
        args["files"], limits=ScanLimits(**args["scan"]), requirements=args.get("accept", ()), topic=args.get("topic")
    ).to_dict()
    return cap_report(report, max_findings=args["max_findings"])


def cap_report(report: dict[str, Any], *, max_findings: int, max_text: int = 1000) -> dict:
    """Keep at most max_findings findings (in file order) and bound every message."""
    budgets = {"findings": max_findings, "suppressed": max_findings}
    total = 0
    for result in report.get("files", []):
        total += len(result.get("findings") or [])
        for key, budget in budgets.items():
            kept = (result.get(key) or [])[:budget]
            budgets[key] = budget - len(kept)
            result[key] = [_bound_texts(item, max_text) for item in kept]
    if total > max_findings:
        report["truncated"] = True
    report["findings_total"] = total
    return report


def _bound_texts(item: dict[str, Any], max_text: int) -> dict[str, Any]:
    for key in ("message", "fix", "reason"):
        text = item.get(key)
        if isinstance(text, str) and len(text) > max_text:
            item[key] = text[: max_text - 1] + "…"
    return item
