"""The footgun CLI against its peers on real corpora, side by side in one run (issues 12 and 13).

Setup, once (everything git-ignored):
    make corpora       # bench/fetch_corpora.py: bench/corpora/{sam,terraform,kubernetes}
    make bench-peers   # bench/.venv-cfnlint: cfn-lint==1.58.0 cfn-lint-serverless==0.3.6
                       # bench/.venv-checkov: checkov==3.3.30
Run:
    .venv/bin/python bench/corpus_bench.py [--runs 3] [--sample 30]     SAM vs cfn-lint, Terraform vs checkov
    .venv/bin/python bench/corpus_bench.py --kubernetes                  manifests vs checkov --framework kubernetes

Every measurement runs each tool as a fresh process on the same files, the two tools alternating so both see
the same machine load: the whole corpus in one process (wall time and peak RSS of the process tree's largest
process, from wait4), then process start to exit for each file of a fixed random sample (median). Then the
agreement on the rules both tools have, (file, rule, resource) by (file, rule, resource), and every file our
CLI could not parse or check. Results also go to bench/results/corpus-<mode>.json.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "bench" / "corpora"
RESULTS = ROOT / "bench" / "results"
CFN_LINT = ROOT / "bench" / ".venv-cfnlint" / "bin" / "cfn-lint"
CHECKOV = ROOT / "bench" / ".venv-checkov" / "bin" / "checkov"
SUFFIXES = {
    "sam": (".yaml", ".yml", ".json", ".template"),
    "terraform": (".tf",),
    "kubernetes": (".yaml", ".yml"),
}

# cfn-lint-serverless rule id -> our rule (the same mapping as bench/cfnlint_bench.py)
CFN_LINT_SHARED = {
    "ES1006": "aws-lambda/default-timeout",
    "ES1005": "aws-lambda/default-memory",
    "ES1007": "aws-lambda/async-no-failure-destination",
    "WS1003": "aws-lambda/wildcard-permissions",
    "WS1004": "aws-lambda/log-retention-unset",
}
# checkov Terraform check -> our rule, only where the two ask the same question of the same resource.
# Left out on purpose: CKV_AWS_115 (reserved concurrency on every function; ours asks only for functions that
# reach a database), CKV_AWS_117 (VPC), CKV_AWS_173 (environment encryption), CKV_AWS_272 (code signing),
# CKV_AWS_50 (X-Ray): no rule of ours. CKV_AWS_116 (a dead-letter queue on every function) is compared
# separately below because ours asks it only of asynchronously invoked functions and accepts a destination.
CHECKOV_TERRAFORM_SHARED = {
    "CKV_AWS_45": "aws-lambda/secret-in-environment",
    "CKV_AWS_363": "aws-lambda/deprecated-runtime",
    "CKV_AWS_116": "aws-lambda/async-no-failure-destination",
}
# checkov Kubernetes check -> our rule: to be filled in when the Kubernetes rules exist (issue 13).
# checkov's Kubernetes checks that ask what one of our rules asks (kubernetes-facts.md §15). Not mapped:
# CKV_K8S_8 (liveness probe: we do not require one), CKV_K8S_11 (CPU limits: contested, we do not require them),
# CKV_K8S_20 (checkov fails an unset allowPrivilegeEscalation; our rule fires on an explicit true), CKV_K8S_35
# (checkov prefers secret files to secretKeyRef env; our rule fires on literal values).
CHECKOV_KUBERNETES_SHARED: dict[str, str] = {
    "CKV_K8S_10": "kubernetes/missing-requests",  # CPU requests
    "CKV_K8S_12": "kubernetes/missing-requests",  # memory requests
    "CKV_K8S_13": "kubernetes/missing-memory-limit",
    "CKV_K8S_9": "kubernetes/missing-readiness-probe",
    "CKV_K8S_14": "kubernetes/mutable-image-tag",
    "CKV_K8S_16": "kubernetes/privileged-container",
    "CKV_K8S_27": "kubernetes/sensitive-host-path",  # the docker socket
}


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    exit_code: int
    stdout: str = field(repr=False)


def run(command: list[str]) -> Run:
    """Process start to exit; peak RSS from wait4 (the largest of the process and its waited-for children)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return Run(seconds, usage.ru_maxrss, process.returncode, out.read().decode("utf-8", "replace"))


def corpus_files(kind: str) -> list[str]:
    base = CORPORA / kind
    if not base.is_dir():
        raise SystemExit(f"{base.relative_to(ROOT)} is missing: run .venv/bin/python bench/fetch_corpora.py first")
    return sorted(p.relative_to(ROOT).as_posix() for p in base.rglob("*") if p.suffix in SUFFIXES[kind])


def ours(paths: list[str]) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "python"), "-m", "courseware.footguns", "--format", "json", *paths]


def cfn_lint(paths: list[str]) -> list[str]:
    return [str(CFN_LINT), "--format", "json", "-a", "cfn_lint_serverless.rules", "--", *paths]


def checkov(framework: str, paths: list[str], directory: str | None = None) -> list[str]:
    target = ["-d", directory] if directory else [arg for path in paths for arg in ("-f", path)]
    return [str(CHECKOV), "--framework", framework, "-o", "json", "--quiet", "--skip-download", "--compact", *target]


BARE = "python -c pass"  # the floor of any Python CLI's start, measured alongside


@dataclass(frozen=True)
class Side:
    name: str
    whole: list[str]
    one: object  # callable: path -> command


def our_side(files: list[str]) -> Side:
    return Side("footgun CLI", ours(files), lambda p: ours([p]))


def checkov_side(framework: str, files: list[str]) -> Side:
    """checkov on the corpus folder in one run, and on one file (`-f`) per process."""
    return Side(f"checkov ({framework})", checkov(framework, files, f"bench/corpora/{framework}"),
                lambda p: checkov(framework, [p]))  # fmt: skip


def compare(label: str, files: list[str], us: Side, them: Side, runs: int, sample: int) -> dict:
    print(f"\n## {label}: {len(files)} files", flush=True)
    whole: dict[str, list[Run]] = {us.name: [], them.name: []}
    for _ in range(runs):  # alternate, so both see the same load
        for side in (us, them):
            whole[side.name].append(run(side.whole))
            last = whole[side.name][-1]
            print(
                f"  whole corpus  {side.name:<28} {last.seconds:7.2f} s  {last.max_rss_kb / 1024:6.0f} MB", flush=True
            )
    picked = sorted(random.Random(20261207).sample(files, min(sample, len(files))))
    single: dict[str, list[float]] = {us.name: [], them.name: [], BARE: []}
    for path in picked:
        for side in (us, them):
            single[side.name].append(run(side.one(path)).seconds)  # type: ignore[operator]
        single[BARE].append(run([str(ROOT / ".venv" / "bin" / "python"), "-c", "pass"]).seconds)
    summary = {
        "files": len(files),
        "runs": runs,
        "sample": len(picked),
        "whole": {
            name: {
                "median_s": statistics.median(r.seconds for r in rs),
                "all_s": [round(r.seconds, 3) for r in rs],
                "max_rss_mb": max(r.max_rss_kb for r in rs) / 1024,
            }
            for name, rs in whole.items()
        },
        "per_file": {
            name: {"median_s": statistics.median(ts), "min_s": min(ts), "max_s": max(ts)} for name, ts in single.items()
        },
    }
    our_whole, their_whole = summary["whole"][us.name]["median_s"], summary["whole"][them.name]["median_s"]
    our_one, their_one = summary["per_file"][us.name]["median_s"], summary["per_file"][them.name]["median_s"]
    summary["ratio_whole"] = their_whole / our_whole
    summary["ratio_per_file"] = their_one / our_one
    print(
        f"  whole corpus, median of {runs}: {us.name} {our_whole:.2f} s vs {them.name} {their_whole:.2f} s"
        f"  -> {summary['ratio_whole']:.1f}x"
    )
    bare = summary["per_file"][BARE]["median_s"]
    print(f"  interpreter start alone ({BARE}), median: {bare * 1000:.0f} ms")
    print(
        f"  per file, median of {len(picked)}: {us.name} {our_one * 1000:.0f} ms vs {them.name}"
        f" {their_one * 1000:.0f} ms  -> {summary['ratio_per_file']:.1f}x"
    )
    summary["outputs"] = {us.name: whole[us.name][0].stdout, them.name: whole[them.name][0].stdout}
    return summary


# ---- what each tool found


def our_report(output: str) -> dict:
    return json.loads(output)


def our_flags(report: dict, rules: set[str]) -> set[tuple[str, str, str]]:
    flags = set()
    for entry in report["files"]:
        for finding in entry["findings"]:
            if finding["rule"] in rules:
                for resource in (finding["resource"] or "").split(", "):
                    flags.add((entry["path"], finding["rule"], resource))
    return flags


class _TemplateLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, ...) as their long forms, no more."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


_TemplateLoader.add_multi_constructor("!", _intrinsic)


def _resources(path: str) -> dict:
    text = (ROOT / path).read_text(errors="replace")
    try:
        template = json.loads(text) if path.endswith(".json") else yaml.load(text, _TemplateLoader)  # noqa: S506
    except (ValueError, yaml.YAMLError):
        return {}
    resources = template.get("Resources") if isinstance(template, dict) else None
    return resources if isinstance(resources, dict) else {}


def _named(value: object) -> str | None:
    """The logical id a Ref, GetAtt or plain name points at."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Ref" and isinstance(inner, str):
            return inner
        if key == "Fn::GetAtt":
            parts = inner.split(".", 1) if isinstance(inner, str) else inner
            return parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], str) else None
    return None


FUNCTIONS = ("AWS::Lambda::Function", "AWS::Serverless::Function")


def functions_of(resources: dict, name: str) -> list[str]:
    """cfn-lint reports some rules on a permission, an invoke config or a role; ours report on the function."""
    resource = resources.get(name)
    if not isinstance(resource, dict) or resource.get("Type") in FUNCTIONS:
        return [name]
    properties = resource.get("Properties") or {}
    if resource.get("Type") in ("AWS::Lambda::Permission", "AWS::Lambda::EventInvokeConfig"):
        target = _named(properties.get("FunctionName"))
        return [target] if target in resources else [name]
    if resource.get("Type") == "AWS::IAM::Role":
        users = [
            key
            for key, other in resources.items()
            if isinstance(other, dict)
            and other.get("Type") in FUNCTIONS
            and _named((other.get("Properties") or {}).get("Role")) == name
        ]
        return users or [name]
    return [name]


def cfn_lint_flags(output: str) -> set[tuple[str, str, str]]:
    flags = set()
    templates: dict[str, dict] = {}
    for match in json.loads(output or "[]"):
        rule = CFN_LINT_SHARED.get(match["Rule"]["Id"])
        if rule is None:
            continue
        path = match["Location"].get("Path") or []
        resource = path[1] if len(path) > 1 and path[0] == "Resources" else "?"
        filename = match["Filename"]
        if filename not in templates:
            templates[filename] = _resources(filename)
        resources = templates[filename]
        if resource not in resources and resource.endswith("Role") and resource.removesuffix("Role") in resources:
            resource = resource.removesuffix("Role")  # the role SAM generates for <Function>
        for function in functions_of(resources, resource):
            flags.add((filename, rule, function))
    return flags


def checkov_failed(output: str) -> list[dict]:
    data = json.loads(output or "{}")
    reports = data if isinstance(data, list) else [data]
    failed = []
    for report in reports:
        failed.extend((report.get("results") or {}).get("failed_checks") or [])
    return failed


def checkov_path(check: dict) -> str:
    """The checked file, relative to the repository.

    checkov's file_abs_path is right for Terraform and for `-f`, but for `--framework kubernetes -d DIR` with a
    relative DIR it is DIR joined to the path again (DIR/bench/corpora/...); file_path is then the path from the
    working directory with a leading slash. Take whichever names a file that exists.
    """
    candidates = [check.get("file_abs_path"), ROOT / check["file_path"].lstrip("/")]
    path = next((Path(c) for c in candidates if c and Path(c).is_file()), Path(candidates[0] or candidates[1]))
    return path.resolve().relative_to(ROOT).as_posix()


def checkov_flags(output: str, shared: dict[str, str]) -> set[tuple[str, str, str]]:
    flags = set()
    for check in checkov_failed(output):
        rule = shared.get(check["check_id"])
        if rule is not None:
            path = checkov_path(check)
            resource = check["resource"]
            if rule.startswith("kubernetes/"):  # checkov names Kind.namespace.name, findings Kind/name
                kind, _, rest = resource.partition(".")
                resource = f"{kind}/{rest.partition('.')[2] or rest}"
            flags.add((path, rule, resource))
    return flags


def agreement(mine: set, theirs: set, rules: list[str], peer: str) -> dict:
    table = {}
    print(f"\n  agreement, (file, rule, resource), footgun CLI vs {peer}:")
    for rule in rules:
        a = {f for f in mine if f[1] == rule}
        b = {f for f in theirs if f[1] == rule}
        table[rule] = {"both": len(a & b), "only_footgun": len(a - b), "only_peer": len(b - a)}
        print(f"    {rule:<42} both {len(a & b):4}  only footgun {len(a - b):4}  only {peer} {len(b - a):4}")
    for label, items in (("only footgun", mine - theirs), (f"only {peer}", theirs - mine)):
        for item in sorted(items)[:15]:
            print(f"    {label}: {item[0]} {item[1]} {item[2]}")
        if len(items) > 15:
            print(f"    {label}: ... {len(items) - 15} more in the JSON results")
    table["only_footgun"] = sorted(map(list, mine - theirs))
    table["only_peer"] = sorted(map(list, theirs - mine))
    return table


def our_problems(report: dict) -> list[dict]:
    """Every file our CLI could not parse or check, and every rule that crashed."""
    problems = []
    for entry in report["files"]:
        crashed = [f for f in entry["findings"] if f["rule"] == "rule-error"]
        if entry["status"] != "ok" or crashed:
            problems.append(
                {
                    "path": entry["path"],
                    "format": entry["format"],
                    "status": entry["status"],
                    "message": (entry.get("error") or {}).get("message") or "; ".join(f["message"] for f in crashed),
                    "line": (entry.get("error") or {}).get("line"),
                }
            )
    for problem in problems:
        print(f"    {problem['status']:<11} {problem['path']}:{problem['line']}  {problem['message'][:160]}")
    return problems


def formats(report: dict) -> Counter:
    return Counter(f"{entry['format']}/{entry['status']}" for entry in report["files"])


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version()}


def need(tool: Path, setup: str) -> None:
    if not tool.exists():
        raise SystemExit(f"{tool.relative_to(ROOT)} is missing: {setup}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kubernetes", action="store_true", help="manifests vs checkov --framework kubernetes")
    parser.add_argument("--runs", type=int, default=3, help="whole-corpus runs of each tool (default 3)")
    parser.add_argument("--sample", type=int, default=30, help="files timed one by one (default 30)")
    args = parser.parse_args()
    # As an installed tool's are (pip compiles a wheel's modules at install): without .pyc files, and with
    # PYTHONDONTWRITEBYTECODE set, every one of our processes would compile the package again.
    compileall.compile_dir(ROOT / "courseware", quiet=1)
    need(CHECKOV, "see the setup at the top of bench/corpus_bench.py")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    info = machine()
    print(f"{started} · {info['cpus']} CPUs · {info['cpu_model']} · load average {load_before[0]:.2f}")
    results: dict = {"date": started, "machine": info, "load_before": load_before}

    if args.kubernetes:
        files = corpus_files("kubernetes")
        us, them = our_side(files), checkov_side("kubernetes", files)
        k8s = compare("Kubernetes manifests", files, us, them, args.runs, args.sample)
        report = our_report(k8s["outputs"][us.name])
        failed = checkov_failed(k8s["outputs"][them.name])
        print(f"\n  our CLI, files by format/status: {dict(formats(report))}")
        common = Counter(c["check_id"] for c in failed).most_common(8)
        print(f"  checkov: {len(failed)} failed checks, most common: {common}")
        if CHECKOV_KUBERNETES_SHARED:
            rules = sorted(set(CHECKOV_KUBERNETES_SHARED.values()))
            k8s["agreement"] = agreement(
                our_flags(report, set(rules)),
                checkov_flags(k8s["outputs"][them.name], CHECKOV_KUBERNETES_SHARED),
                rules,
                "checkov",
            )
        print("  files our CLI could not parse or check:")
        k8s["problems"] = our_problems(report)
        k8s["formats"] = dict(formats(report))
        k8s["checkov_failed_by_check"] = {
            f"{check_id} {name}": count
            for (check_id, name), count in Counter(
                (c["check_id"], c.get("check_name", "")) for c in failed
            ).most_common()
        }
        for check, count in k8s["checkov_failed_by_check"].items():
            print(f"    {count:4}  {check}")
        del k8s["outputs"]
        results["kubernetes"] = k8s
    else:
        need(CFN_LINT, "see the setup at the top of bench/corpus_bench.py")
        files = corpus_files("sam")
        us = our_side(files)
        them = Side("cfn-lint + serverless rules", cfn_lint(files), lambda p: cfn_lint([p]))
        sam = compare("SAM / CloudFormation templates", files, us, them, args.runs, args.sample)
        report = our_report(sam["outputs"][us.name])
        rules = sorted(set(CFN_LINT_SHARED.values()))
        sam["agreement"] = agreement(
            our_flags(report, set(rules)), cfn_lint_flags(sam["outputs"][them.name]), rules, "cfn-lint"
        )
        print(f"\n  our CLI, files by format/status: {dict(formats(report))}")
        print("  files our CLI could not parse or check:")
        sam["problems"] = our_problems(report)
        sam["formats"] = dict(formats(report))
        del sam["outputs"]
        results["sam"] = sam

        files = corpus_files("terraform")
        us, them = our_side(files), checkov_side("terraform", files)
        tf = compare("Terraform", files, us, them, args.runs, args.sample)
        report = our_report(tf["outputs"][us.name])
        rules = sorted(set(CHECKOV_TERRAFORM_SHARED.values()))
        failed = checkov_failed(tf["outputs"][them.name])
        lambda_checks = Counter(c["check_id"] for c in failed if c["resource"].startswith("aws_lambda"))
        print(f"  checkov failed checks on aws_lambda_* resources: {dict(lambda_checks)}")
        tf["agreement"] = agreement(
            our_flags(report, set(rules)),
            checkov_flags(tf["outputs"][them.name], CHECKOV_TERRAFORM_SHARED),
            rules,
            "checkov",
        )
        tf["our_findings_by_rule"] = dict(Counter(f["rule"] for e in report["files"] for f in e["findings"]))
        tf["checkov_lambda_failed_by_check"] = dict(lambda_checks)
        print(f"\n  our CLI, files by format/status: {dict(formats(report))}; findings {tf['our_findings_by_rule']}")
        print("  files our CLI could not parse or check:")
        tf["problems"] = our_problems(report)
        tf["formats"] = dict(formats(report))
        del tf["outputs"]
        results["terraform"] = tf

    results["load_after"] = os.getloadavg()
    print(f"\nload average before {load_before[0]:.2f}, after {results['load_after'][0]:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"corpus-{'kubernetes' if args.kubernetes else 'sam-terraform'}.json"
    target.write_text(json.dumps(results, indent=2, default=list) + "\n")
    print(f"results: {target.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
