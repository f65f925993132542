"""Rules of the Kubernetes course. Add a rule by importing its module here."""

from __future__ import annotations

from courseware.footguns.kubernetes.rules import (
    cronjob_allows_overlap,
    grace_period_too_short,
    hpa_without_requests,
    job_without_deadline,
    liveness_equals_readiness,
    liveness_no_tolerance,
    missing_memory_limit,
    missing_pdb,
    missing_readiness_probe,
    missing_requests,
    mutable_image_tag,
    pdb_blocks_eviction,
    privileged_container,
    replicas_with_hpa,
    secret_in_env_value,
    sensitive_host_path,
    service_selector_no_match,
    shell_form_entrypoint,
    single_replica,
)

RULES = (
    service_selector_no_match.RULE,
    missing_readiness_probe.RULE,
    missing_requests.RULE,
    hpa_without_requests.RULE,
    missing_memory_limit.RULE,
    liveness_no_tolerance.RULE,
    liveness_equals_readiness.RULE,
    grace_period_too_short.RULE,
    shell_form_entrypoint.RULE,
    single_replica.RULE,
    missing_pdb.RULE,
    pdb_blocks_eviction.RULE,
    replicas_with_hpa.RULE,
    mutable_image_tag.RULE,
    privileged_container.RULE,
    secret_in_env_value.RULE,
    sensitive_host_path.RULE,
    cronjob_allows_overlap.RULE,
    job_without_deadline.RULE,
)
