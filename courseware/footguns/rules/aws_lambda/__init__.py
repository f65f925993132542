"""Rules of the AWS Lambda course. Add a rule by importing its module here."""

from __future__ import annotations

from courseware.footguns.rules.aws_lambda import (
    default_memory,
    default_timeout,
)

RULES = (
    default_timeout.RULE,
    default_memory.RULE,
)
