"""Operator commands: ``python -m courseware.sandbox selftest`` and ``... bench``.

``selftest`` starts a runner, prints each canary and exits 1 if any escaped.
``bench`` measures the cost of start-up (zygote + self-test) and of ``check()`` on a
typical SAM template, one check at a time, and prints p50/p95.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from courseware.sandbox import Limits, Runner, RunnerUnavailable

TYPICAL_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Orders API with a queue worker
Globals:
  Function:
    Runtime: python3.12
    MemorySize: 512
    Timeout: 10
    Tracing: Active
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  CreateOrder:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.create
      Timeout: 25
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
          DB_PASSWORD: hunter2
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders
            Method: post
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: worker.handle
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            BatchSize: 10
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 5
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courseware.sandbox")
    parser.add_argument("command", choices=["selftest", "bench"])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    runner = Runner(Limits(), allow_unsafe=True)
    try:
        report = runner.start()
        start_ms = (time.perf_counter() - started) * 1000
        if args.command == "selftest":
            for canary in report.canaries:
                print(f"{'contained' if canary.contained else 'ESCAPED':9}  {canary.name:16}  {canary.detail}")
            print(f"engine: {report.engine}; self-test {report.duration_ms:.0f} ms")
            return 0 if report.contained else 1
        return _bench(runner, args.runs, start_ms, report.duration_ms)
    except RunnerUnavailable as exc:
        print(f"runner unavailable: {exc}", file=sys.stderr)
        return 1
    finally:
        runner.close()


def _bench(runner: Runner, runs: int, start_ms: float, self_test_ms: float) -> int:
    files = {"template.yaml": TYPICAL_SAM}
    first = runner.check(files, learner_key="bench")
    if first.status != "ok":
        print(f"check failed: {first.status} {first.detail}", file=sys.stderr)
        return 1
    timings = []
    for _ in range(runs):
        outcome = runner.check(files, learner_key="bench")
        assert outcome.status == "ok", outcome.detail
        timings.append(outcome.duration_ms)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    findings = first.report.get("findings_total")
    print(f"start (zygote + self-test): {start_ms:.0f} ms, of which self-test {self_test_ms:.0f} ms")
    print(f"check() on a {len(TYPICAL_SAM.splitlines())}-line SAM template, {findings} findings, {runs} runs:")
    print(f"  p50 {p50:.1f} ms  p95 {p95:.1f} ms  min {timings[0]:.1f} ms  max {timings[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
