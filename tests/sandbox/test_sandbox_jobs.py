from __future__ import annotations

from courseware.sandbox.jobs import cap_report
from courseware.sandbox.outcome import STATUSES, Outcome


def _report(*counts: int) -> dict:
    finding = {"rule": "r", "line": 1, "message": "m" * 5000, "fix": "f"}
    return {
        "version": 1,
        "files": [
            {"path": f"f{i}", "findings": [dict(finding) for _ in range(n)], "suppressed": []}
            for i, n in enumerate(counts)
        ],
    }


def test_findings_are_cut_across_files_in_order():
    report = cap_report(_report(3, 4, 5), max_findings=5)
    assert [len(f["findings"]) for f in report["files"]] == [3, 2, 0]
    assert report["truncated"] is True
    assert report["findings_total"] == 12


def test_messages_are_bounded():
    report = cap_report(_report(1), max_findings=5)
    assert len(report["files"][0]["findings"][0]["message"]) == 1000
    assert "truncated" not in report


def test_only_the_learners_own_input_counts_as_an_attempt():
    counted = {status for status in STATUSES if Outcome(status, "m", None, 1.0).counts_as_attempt}
    assert counted == {"ok", "rejected"}
