from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ScanLimits:
    """Bounds on what one check may read and report (reference/security.md §2, §5)."""

    max_file_bytes: int = 256 * 1024
    max_total_bytes: int = 1024 * 1024
    max_files: int = 20
    max_depth: int = 64
    max_alias_nodes: int = 100_000
    max_keys: int = 5_000
    max_scalar_bytes: int = 64 * 1024
    # Terraform: arithmetic and logical operators per file. Real configurations use a handful; a long chain
    # (`1 + 1 + ...`) costs the parser superlinear time (15,000 terms: over a second of CPU).
    max_operators: int = 2_000
    # Output bounds (reference/security.md §5): a flood of findings must not flood the caller.
    max_findings: int = 500
    max_message_chars: int = 1_000


DEFAULT_LIMITS = ScanLimits()
# The limits of the file being loaded (set by loading.load_file), for the YAML loader's measurement of what it
# composed; a loader called on its own uses the defaults.
ACTIVE_LIMITS: ContextVar[ScanLimits | None] = ContextVar("active_scan_limits", default=None)


def active_limits() -> ScanLimits:
    return ACTIVE_LIMITS.get() or DEFAULT_LIMITS
