"""Jobs that run inside a confined child (and the zygote's warm-up).

A job takes the JSON arguments the runner sent and returns a JSON value. The engine is
imported by module path here, so the zygote can preload it and a missing or broken
engine shows up as a failed job, never as an import error in the web process.
"""

from __future__ import annotations

from typing import Any

from courseware.footguns.registry import TOPICS

# Every topic's sample files, each topic under its own folder.
WARM_UP_FILES = {f"{topic.slug}/{path}": text for topic in TOPICS for path, text in topic.sample_files.items()}


def warm_up(_args: dict[str, Any]) -> str:
    """Build every parser once in the zygote so each forked child finds them ready."""
    from courseware.footguns.engine import check_files

    checked = 0
    for topic in TOPICS:
        report = check_files(topic.sample_files, requirements=topic.sample_requirements, topic=topic.slug)
        checked += len(report.files)
    return f"engine warm ({checked} files)"


def check(args: dict[str, Any]) -> dict[str, Any]:
    from courseware.footguns.engine import check_files
    from courseware.footguns.limits import ScanLimits

    report = check_files(
        args["files"], limits=ScanLimits(**args["scan"]), requirements=args.get("accept", ()), topic=args.get("topic")
    ).to_dict()
    return cap_report(report, max_findings=args["max_findings"])


def simulate(args: dict[str, Any]) -> dict[str, Any]:
    """Learner files under a scenario: the model is built here, in the confined child, never in the web process.

    The scenario is trusted content, sent as text (the child reads no files); the result comes back compacted to
    the points the charts draw.
    """
    from courseware.footguns.limits import ScanLimits
    from courseware.footguns.simulation import read_scenario, simulate_models

    scenario, problems = read_scenario(
        args["scenario"], topic=args["topic"], name=args["name"], source=f"scenarios/{args['name']}.yaml"
    )
    if scenario is None:
        raise ValueError(f"scenario {args['name']} does not load: {problems[:1]}")
    result = simulate_models(args["files"], scenario, limits=ScanLimits(**args["scan"]))
    return result.compact(args.get("points", 240)).to_dict()


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
