"""Every rule of every topic, registered by an explicit list (no plugin loader)."""

from __future__ import annotations

from courseware.footguns.rules import aws_lambda
from courseware.footguns.rules.base import Rule

RULES: tuple[Rule, ...] = (*aws_lambda.RULES,)
