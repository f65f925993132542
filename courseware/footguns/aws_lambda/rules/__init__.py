"""Rules of the AWS Lambda course. Add a rule by importing its module here."""

from __future__ import annotations

from courseware.footguns.aws_lambda.rules import (
    async_no_failure_destination,
    cold_start_sync_path,
    default_memory,
    default_timeout,
    deprecated_runtime,
    log_retention_unset,
    recursive_trigger,
    reserved_concurrency_zero,
    secret_in_environment,
    sqs_no_partial_batch_response,
    sqs_visibility_timeout_too_short,
    sync_lambda_invoke,
    timeout_exceeds_api_gateway,
    unbounded_concurrency_to_database,
    wildcard_permissions,
)

RULES = (
    cold_start_sync_path.RULE,
    default_timeout.RULE,
    timeout_exceeds_api_gateway.RULE,
    sqs_visibility_timeout_too_short.RULE,
    unbounded_concurrency_to_database.RULE,
    sync_lambda_invoke.RULE,
    recursive_trigger.RULE,
    sqs_no_partial_batch_response.RULE,
    async_no_failure_destination.RULE,
    secret_in_environment.RULE,
    default_memory.RULE,
    wildcard_permissions.RULE,
    log_retention_unset.RULE,
    deprecated_runtime.RULE,
    reserved_concurrency_zero.RULE,
)
