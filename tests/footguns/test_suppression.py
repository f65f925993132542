from __future__ import annotations

from courseware.footguns.engine import check_files

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  {comment_above}
  Worker:{comment_inline}
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Timeout: 10
"""


def check(above="", inline=""):
    text = TEMPLATE.format(comment_above=above, comment_inline=inline)
    (result,) = check_files({"template.yaml": text}).files
    return result


def rules(items):
    return {f.rule for f in items}


def test_inline_suppression_with_reason_moves_the_finding_to_suppressed():
    result = check(inline="  # footgun:ignore aws-lambda/default-memory reason: I/O-bound, measured")
    assert "aws-lambda/default-memory" not in rules(result.findings)
    (suppressed,) = [s for s in result.suppressed if s.finding.rule == "aws-lambda/default-memory"]
    assert suppressed.reason == "I/O-bound, measured"
    entry = result.to_dict()["suppressed"][0]
    assert entry["rule"] == "aws-lambda/default-memory" and entry["reason"] == "I/O-bound, measured"


def test_comment_on_the_line_above_applies_to_the_next_line():
    result = check(above="# footgun:ignore default-memory reason: short name works too")
    assert "aws-lambda/default-memory" in rules(s.finding for s in result.suppressed)


def test_suppression_without_reason_suppresses_nothing_and_is_reported():
    result = check(inline="  # footgun:ignore aws-lambda/default-memory")
    assert "aws-lambda/default-memory" in rules(result.findings)
    assert "suppression-without-reason" in rules(result.findings)
    assert result.suppressed == []


def test_suppression_for_another_rule_does_not_hide_this_one():
    result = check(inline="  # footgun:ignore aws-lambda/default-timeout reason: n/a")
    assert "aws-lambda/default-memory" in rules(result.findings)
