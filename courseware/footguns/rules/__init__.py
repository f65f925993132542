"""Every rule of every topic, registered by an explicit list (no plugin loader)."""

from __future__ import annotations

from courseware.footguns.rules import aws_lambda
from courseware.footguns.rules.aws_lambda import requirements as aws_lambda_requirements
from courseware.footguns.rules.base import Rule

RULES: tuple[Rule, ...] = (*aws_lambda.RULES,)
# Each topic's `accept:` vocabulary for exercises (courseware.footguns.acceptance).
REQUIREMENT_VOCABULARIES = {"aws-lambda": aws_lambda_requirements}
