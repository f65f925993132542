"""The `accept:` vocabulary of the Kubernetes topic (docs/authoring.md "Acceptance checks").

A requirement names one subject, `workload: <Kind>/<name>` (as findings name it: `Deployment/orders-api`) or
`service: <name>`, and one or more properties, all of which must hold. Container properties sit under
`containers:` and hold for every container that serves (app containers and sidecars), or for the one named by
`container:`. A value the files do not show is unknown, and an unknown value never meets a requirement.
"""

from __future__ import annotations

import base64
import fnmatch
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from courseware.footguns.acceptance import COMMON_KEYS, Outcome, validate_range, validate_requirement
from courseware.footguns.kubernetes.model import Container, Manifests, Probe, Service, Workload, same_namespace
from courseware.footguns.kubernetes.rules._facts import replica_floor
from courseware.footguns.kubernetes.rules.mutable_image_tag import tag_of
from courseware.footguns.kubernetes.rules.sensitive_host_path import is_sensitive
from courseware.footguns.kubernetes.rules.shell_form_entrypoint import shell_script
from courseware.footguns.values import Setting, whole_number

WORKLOAD_KEYS = frozenset(
    {
        "replicas", "replicas_unset", "selected_by", "disruption_budget", "autoscaler", "containers",
        "container", "grace_period", "concurrency_policy", "active_deadline", "no_sensitive_host_path",
        "labels", "selector", "drain_time", "host_paths", "replicas_ceiling", "no_host_namespaces",
        "commands_mention", "not_suspended", "never_written",
    }
)  # fmt: skip
CONTAINER_KEYS = frozenset(
    {"requests", "limits", "readiness", "liveness", "startup", "image_pinned", "pre_stop_sleep", "secret_env",
     "exec_form", "not_privileged", "image_matches", "no_added_capabilities"}
)  # fmt: skip
SERVICE_KEYS = frozenset({"selects", "selector"})
SECURITY_KEYS = frozenset({"not_privileged", "no_added_capabilities"})
RESOURCES = ("cpu", "memory")
DEFAULT_GRACE_S = 30  # terminationGracePeriodSeconds when unset
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
_SUFFIX = {
    None: Decimal(1), "m": Decimal("0.001"), "k": Decimal(10**3), "M": Decimal(10**6), "G": Decimal(10**9),
    "T": Decimal(10**12), "P": Decimal(10**15), "E": Decimal(10**18), "Ki": Decimal(2**10), "Mi": Decimal(2**20),
    "Gi": Decimal(2**30), "Ti": Decimal(2**40), "Pi": Decimal(2**50), "Ei": Decimal(2**60),
}  # fmt: skip


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes quantity ("500m", "1.5", "512Mi", 2) as a number of cores or bytes; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    match = _QUANTITY.match(value.strip()) if isinstance(value, str) and len(value) < 40 else None
    if match is None:
        return None
    try:
        return Decimal(match.group(1)) * _SUFFIX[match.group(2)]
    except InvalidOperation:
        return None


# -- validation (content load time) -------------------------------------------------------------


def validate(spec: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    return validate_requirement(
        spec,
        subjects={"workload": WORKLOAD_KEYS, "service": SERVICE_KEYS},
        subject_help="'workload: <Kind>/<name>' or 'service: <name>'",
        check_name=_name_problem,
        check_property=_validate_property,
        qualifiers=frozenset({"container"}),
    )


QUANTITIES = "quantities such as 250m, 1, 512Mi"


def _name_problem(subject: str, name: Any) -> str | None:
    if not isinstance(name, str) or not name or (subject == "workload" and "/" not in name):
        return "a workload is named '<Kind>/<name>' (Deployment/orders-api)"
    return None


def _validate_resources(value: Any) -> list[str]:
    if not isinstance(value, Mapping) or not value or set(value) - set(RESOURCES):
        return ["requests and limits map 'cpu' and/or 'memory' to a range of quantities"]
    return [problem for item in value.values() for problem in validate_range(item, read=quantity, unit=QUANTITIES)]


def _validate_property(key: str, value: Any) -> list[str]:
    if key in ("replicas", "grace_period", "active_deadline", "drain_time", "replicas_ceiling"):
        return validate_range(value)
    if key in ("labels", "selector"):
        if not isinstance(value, Mapping) or not value or not all(isinstance(v, str) for v in value.values()):
            return [f"'{key}' maps label names to values"]
        return []
    if key == "host_paths":
        only = value.get("only") if isinstance(value, Mapping) else None
        if (
            not isinstance(value, Mapping)
            or set(value) - {"only", "read_only"}
            or not isinstance(only, list)
            or not only
            or not all(isinstance(p, str) and p.startswith("/") for p in only)
        ):
            return ["'host_paths' has 'only': a list of absolute node paths, and optionally 'read_only: true'"]
        return [] if value.get("read_only", True) is True else ["'read_only' can only be true"]
    if key in ("commands_mention", "never_written"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            return [f"'{key}' is a list of strings"]
        return []
    if key in ("replicas_unset", "no_sensitive_host_path", "no_host_namespaces", "not_suspended"):
        return [] if value is True else [f"'{key}' can only be true"]
    if key in ("selected_by", "container", "selects"):
        return [] if isinstance(value, str) and value else [f"'{key}' is a name"]
    if key == "disruption_budget":
        if not isinstance(value, Mapping) or set(value) != {"allows"}:
            return ["'disruption_budget' has 'allows': a range of pods that may be down at once"]
        return validate_range(value["allows"])
    if key == "autoscaler":
        if not isinstance(value, Mapping) or not value or set(value) - {"min_replicas", "resource"}:
            return ["'autoscaler' has 'min_replicas' (a range) and/or 'resource' (cpu or memory)"]
        problems = validate_range(value["min_replicas"]) if "min_replicas" in value else []
        if "resource" in value and value["resource"] not in RESOURCES:
            problems.append("'resource' is cpu or memory")
        return problems
    if key == "concurrency_policy":
        allowed = ("Allow", "Forbid", "Replace")
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            return ["'concurrency_policy' is a list of Allow, Forbid, Replace"]
        return []
    if key == "containers":
        if not isinstance(value, Mapping) or not value or set(value) - CONTAINER_KEYS:
            return [f"'containers' has {', '.join(sorted(CONTAINER_KEYS))}"]
        return [problem for k, v in value.items() for problem in _validate_container_property(k, v)]
    return []


def _validate_container_property(key: str, value: Any) -> list[str]:
    if key in ("requests", "limits"):
        return _validate_resources(value)
    if key == "readiness" and isinstance(value, Mapping):
        paths = value.get("only_paths")
        if set(value) != {"only_paths"} or not isinstance(paths, list) or not paths:
            return ["'readiness' is true, or has 'only_paths: [...]'"]
        return [] if all(isinstance(p, str) for p in paths) else ["'only_paths' is a list of HTTP paths"]
    if key in ("readiness", "image_pinned", "exec_form", "not_privileged", "no_added_capabilities"):
        return [] if value is True else [f"'{key}' can only be true"]
    if key == "image_matches":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            return ["'image_matches' is a list of image patterns (registry/name:1.2.3, registry/name@sha256:*)"]
        return []
    if key == "liveness":
        if (
            not isinstance(value, Mapping)
            or not value
            or set(value) - {"distinct", "min_failure_threshold", "avoid_paths", "only_paths"}
        ):
            return [
                "'liveness' has 'distinct: true', 'min_failure_threshold: N', 'avoid_paths: [...]', 'only_paths: [...]'"
            ]
        for key in ("avoid_paths", "only_paths"):
            paths = value.get(key, ["/"])
            if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
                return [f"'{key}' is a list of HTTP paths"]
        problems = [] if value.get("distinct", True) is True else ["'distinct' can only be true"]
        threshold = value.get("min_failure_threshold", 1)
        if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 1:
            problems.append("'min_failure_threshold' is a whole number from 1")
        return problems
    if key == "startup":
        if not isinstance(value, Mapping) or set(value) != {"min_tolerance_s"}:
            return ["'startup' has 'min_tolerance_s': seconds the startup probe allows (failures × period)"]
        tolerance = value["min_tolerance_s"]
        return [] if isinstance(tolerance, int) and not isinstance(tolerance, bool) else ["a whole number"]
    if key == "pre_stop_sleep":
        return validate_range(value)
    if key == "secret_env":
        if (
            isinstance(value, Mapping)
            and value
            and all(isinstance(v, str) and 1 <= len(v.split("/")) <= 2 and all(v.split("/")) for v in value.values())
        ):
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            return ["'secret_env' is a list of environment variable names, or maps each to '<secret>/<key>'"]
        return []
    return []


def subjects(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, name) of every object a requirement names, so content checks can find them in the starter."""
    found = []
    if isinstance(spec.get("workload"), str):
        found.append(("workload", spec["workload"]))
    if isinstance(spec.get("service"), str):
        found.append(("service", f"Service/{spec['service']}"))
    if isinstance(spec.get("selects"), str):
        found.append(("workload", spec["selects"]))
    if isinstance(spec.get("selected_by"), str):
        found.append(("service", f"Service/{spec['selected_by']}"))
    return found


# -- evaluation (in the sandbox child) ----------------------------------------------------------


def evaluate(spec: Mapping[str, Any], models: Sequence[Manifests]) -> Outcome:
    if "service" in spec:
        return _evaluate_service(spec, models)
    ref = str(spec.get("workload"))
    found = [(model, w) for model in models for w in model.workloads if w.ref == ref]
    if not found:
        return Outcome(False, f"{ref.replace('/', ' ', 1)} is not in your files any more.")
    model, workload = found[0]
    for key, value in spec.items():
        if key in COMMON_KEYS or key in ("workload", "container"):
            continue
        if key == "containers":
            outcome = _containers(model, workload, value, spec.get("container"))
        else:
            outcome = _WORKLOAD_CHECKS[key](model, workload, value)
        if not outcome.ok:
            return outcome
    return Outcome(True, f"{workload.kind} {workload.name} meets it.", workload.file, workload.line)


def _evaluate_service(spec: Mapping[str, Any], models: Sequence[Manifests]) -> Outcome:
    name = spec["service"]
    found = [(model, s) for model in models for s in model.services if s.name == name]
    if not found:
        return Outcome(False, f"Service {name} is not in your files any more.")
    model, service = found[0]
    if "selector" in spec:
        wanted = {str(k): str(v) for k, v in spec["selector"].items()}
        if service.selector != wanted:
            shown = ", ".join(f"{k}={v}" for k, v in (service.selector or {}).items()) or "nothing"
            where = service.selector_line or service.line
            return Outcome(False, f"Service {name} selects {shown}.", service.file, where)
    if "selects" not in spec:
        return Outcome(True, f"Service {name} selects what was asked.", service.file, service.selector_line)
    ref = spec["selects"]
    targets = [w for w in model.workloads if w.ref == ref]
    if not targets:
        return Outcome(False, f"{ref.replace('/', ' ', 1)} is not in your files any more.", service.file, service.line)
    if service not in model.selecting_services(targets[0]):
        wanted = ", ".join(f"{k}={v}" for k, v in (service.selector or {}).items()) or "nothing"
        return Outcome(
            False,
            f"Service {name} selects {wanted}; the pods of {ref} are labelled "
            f"{', '.join(f'{k}={v}' for k, v in targets[0].pod.labels.items()) or 'with nothing'}.",
            service.file,
            service.selector_line or service.line,
        )
    if reached := _traffic_problem(model, service, targets[0]):
        return reached
    return Outcome(True, f"Service {name} selects the pods of {ref}.", service.file, service.selector_line)


def _traffic_problem(model: Manifests, service: Service, workload: Workload) -> Outcome | None:
    """Why a Service that selects a workload's pods still sends them nothing: no pods, or a port none listens on.

    A target port is a number or the name of a container port; containers that declare no ports at all are not
    judged (the port list is informational, and the files then cannot show what listens)."""
    if replica_floor(model, workload) == 0:
        place = workload.replicas or Setting(None, workload.file, workload.line)
        return Outcome(False, f"{workload.ref} runs no pods, so Service {service.name} has nowhere to send "
                       "traffic.", place.file, place.line)  # fmt: skip
    serving = [c for c in workload.pod.containers if c.serving]
    numbers = {port for c in serving for port in c.ports}
    names = {name for c in serving for name in c.port_names}
    if not numbers:
        return None
    for target in service.target_ports:
        number = whole_number(target.value) if not isinstance(target.value, str) else None
        if (number is not None and number not in numbers) or (isinstance(target.value, str) and target.value not in
                                                               names):  # fmt: skip
            listening = ", ".join(str(n) for n in sorted(numbers))
            return Outcome(False, f"Service {service.name} sends traffic to port {target.value}; the containers of "
                           f"{workload.ref} listen on {listening}.", target.file, target.line)  # fmt: skip
    return None


def _in_range(value: int | Decimal | None, bounds: Mapping[str, Any], *, quantities: bool = False) -> bool:
    if value is None:
        return False
    low = quantity(bounds["min"]) if quantities and "min" in bounds else bounds.get("min")
    high = quantity(bounds["max"]) if quantities and "max" in bounds else bounds.get("max")
    return (low is None or value >= low) and (high is None or value <= high)


def _replicas(model: Manifests, workload: Workload, bounds: Mapping[str, Any]) -> Outcome:
    if quoted := _quoted(workload.replicas, "replicas"):
        return quoted
    floor = replica_floor(model, workload)
    place = workload.replicas or Setting(None, workload.file, workload.line)
    return Outcome(
        _in_range(floor, bounds), f"{workload.ref} runs at least {floor} replica(s).", place.file, place.line
    )


def _replicas_ceiling(model: Manifests, workload: Workload, bounds: Mapping[str, Any]) -> Outcome:
    """The most replicas the workload can run: its autoscalers' maxReplicas, or the replicas it sets."""
    autoscalers = model.autoscalers_for(workload)
    if autoscalers:
        ceilings = [hpa.max_replicas for hpa in autoscalers]
        most = None if None in ceilings else max(c for c in ceilings if c is not None)
        hpa = autoscalers[0]
        shown = most if most is not None else "an unknown number of"
        said = f"HorizontalPodAutoscaler {hpa.name} may scale {workload.ref} to {shown} replicas."
        return Outcome(_in_range(most, bounds), said, hpa.file, hpa.line)
    most = replica_floor(model, workload)
    place = workload.replicas or Setting(None, workload.file, workload.line)
    return Outcome(_in_range(most, bounds), f"{workload.ref} runs {most} replica(s).", place.file, place.line)


def _replicas_unset(model: Manifests, workload: Workload, _value: Any) -> Outcome:
    if workload.replicas is None:
        return Outcome(True, f"{workload.ref} leaves replicas to its autoscaler.")
    return Outcome(
        False, f"{workload.ref} still sets replicas: {workload.replicas.value}.", workload.replicas.file,
        workload.replicas.line,
    )  # fmt: skip


def _selected_by(model: Manifests, workload: Workload, name: str) -> Outcome:
    for service in model.selecting_services(workload):
        if service.name == name:
            selected = Outcome(True, f"Service {name} selects {workload.ref}.")
            return _traffic_problem(model, service, workload) or selected
    return Outcome(False, f"Service {name} does not select the pods of {workload.ref}.", workload.file, workload.line)


def _disruption_budget(model: Manifests, workload: Workload, value: Mapping[str, Any]) -> Outcome:
    budgets = model.budgets_for(workload)
    if not budgets:
        return Outcome(False, f"No PodDisruptionBudget in your files selects the pods of {workload.ref}.")
    floor = replica_floor(model, workload)
    budget = budgets[0]
    if budget.min_available is not None and budget.max_unavailable is not None:
        where_both = budget.max_unavailable
        return Outcome(False, f"PodDisruptionBudget {budget.name} sets both minAvailable and maxUnavailable; the API "
                       "refuses it.", where_both.file, where_both.line)  # fmt: skip
    allowed = _allowed_disruptions(budget.min_available, budget.max_unavailable, floor)
    setting = budget.max_unavailable or budget.min_available
    where = (setting.file, setting.line) if setting else (budget.file, budget.line)
    shown = "an unknown number" if allowed is None else str(allowed)
    return Outcome(
        _in_range(allowed, value["allows"]),
        f"PodDisruptionBudget {budget.name} lets {shown} of {floor} pod(s) be evicted at once.",
        *where,
    )


def _allowed_disruptions(
    min_available: Setting | None, max_unavailable: Setting | None, floor: int | None
) -> int | None:
    """Pods a budget lets go at once (percentages of the replica floor: maxUnavailable rounds up, minAvailable too)."""
    if floor is None:
        return None
    if max_unavailable is not None:
        return _count(max_unavailable.value, floor)
    if min_available is not None:
        needed = _count(min_available.value, floor)
        return None if needed is None else max(floor - needed, 0)
    return None


def _count(value: Any, floor: int) -> int | None:
    if isinstance(value, str) and value.endswith("%") and whole_number(value[:-1]) is not None:
        percent = whole_number(value[:-1]) or 0
        return -(-percent * floor // 100)  # rounded up
    return whole_number(value)


def _autoscaler(model: Manifests, workload: Workload, value: Mapping[str, Any]) -> Outcome:
    autoscalers = model.autoscalers_for(workload)
    if not autoscalers:
        return Outcome(False, f"No HorizontalPodAutoscaler in your files targets {workload.ref}.")
    hpa = autoscalers[0]
    if "min_replicas" in value and not _in_range(hpa.min_replicas, value["min_replicas"]):
        return Outcome(
            False, f"HorizontalPodAutoscaler {hpa.name} keeps at least {hpa.min_replicas}.", hpa.file, hpa.line
        )
    resource = value.get("resource")
    if resource and resource not in [m.value for m in hpa.utilization_resources]:
        return Outcome(False, f"HorizontalPodAutoscaler {hpa.name} does not scale on {resource}.", hpa.file, hpa.line)
    return Outcome(True, f"HorizontalPodAutoscaler {hpa.name} scales {workload.ref}.", hpa.file, hpa.line)


def _quoted(setting: Setting | None, field: str) -> Outcome | None:
    """A whole-number field written as a string: the API server refuses the manifest."""
    if setting is None or not isinstance(setting.value, str):
        return None
    return Outcome(False, f"{field} is the string \"{setting.value}\"; the API wants a number, without quotes.",
                   setting.file, setting.line)  # fmt: skip


def _grace_period(model: Manifests, workload: Workload, bounds: Mapping[str, Any]) -> Outcome:
    setting = workload.pod.grace_period
    if quoted := _quoted(setting, "terminationGracePeriodSeconds"):
        return quoted
    value = whole_number(setting.value) if setting is not None else DEFAULT_GRACE_S
    where = (setting.file, setting.line) if setting is not None else (workload.file, workload.line)
    said = f"{value} s" if setting is not None else f"the default {DEFAULT_GRACE_S} s"
    return Outcome(_in_range(value, bounds), f"{workload.ref} has a grace period of {said}.", *where)


def _concurrency_policy(model: Manifests, workload: Workload, allowed: list[str]) -> Outcome:
    setting = workload.concurrency_policy
    value = setting.value if setting is not None else "Allow"
    where = (setting.file, setting.line) if setting is not None else (workload.file, workload.line)
    return Outcome(value in allowed, f"{workload.ref} has concurrencyPolicy {value}.", *where)


def _active_deadline(model: Manifests, workload: Workload, bounds: Mapping[str, Any]) -> Outcome:
    """The Job's activeDeadlineSeconds, which bounds a run with all its retries. The pod's own bounds one attempt:
    it stops a run only when no retry follows (backoffLimit: 0)."""
    setting = workload.job_deadline_s
    if setting is None and workload.active_deadline_s is not None:
        if workload.backoff_limit is None or whole_number(workload.backoff_limit.value) != 0:
            pod_deadline = workload.active_deadline_s
            retries = workload.backoff_limit.value if workload.backoff_limit is not None else "the default 6"
            return Outcome(False, f"{workload.ref} sets activeDeadlineSeconds on the pod, which stops one attempt: "
                           f"with backoffLimit {retries} a new pod starts the run again. The Job's "
                           "activeDeadlineSeconds (beside backoffLimit) stops the run.", pod_deadline.file,
                           pod_deadline.line)  # fmt: skip
        setting = workload.active_deadline_s
    if setting is None:
        return Outcome(False, f"{workload.ref} sets no activeDeadlineSeconds.", workload.file, workload.line)
    if quoted := _quoted(setting, "activeDeadlineSeconds"):
        return quoted
    value = whole_number(setting.value)
    return Outcome(
        _in_range(value, bounds), f"{workload.ref} stops a run after {setting.value} s.", setting.file, setting.line
    )


def _not_suspended(model: Manifests, workload: Workload, _value: Any) -> Outcome:
    setting = workload.suspended
    if setting is not None and setting.value is not False:
        return Outcome(False, f"{workload.ref} is suspended (suspend: {setting.value}): it does not run at all.",
                       setting.file, setting.line)  # fmt: skip
    return Outcome(True, f"{workload.ref} is not suspended.")


def _never_written(model: Manifests, workload: Workload, values: Sequence[str]) -> Outcome:
    """None of the values appears anywhere in the files, comments included, as written or base64-encoded."""
    for value in values:
        encoded = base64.b64encode(value.encode()).decode()
        for path, text in model.texts.items():
            for form in (value, encoded, encoded.rstrip("=")):
                at = text.find(form)
                if at >= 0:
                    said = "" if form == value else ", base64-encoded"
                    line = text.count("\n", 0, at) + 1
                    return Outcome(False, f"{path} still holds, on line {line}{said}, a value that must not be "
                                   "written in the files.", path, line)  # fmt: skip
    return Outcome(True, "None of the values is written in your files.")


def _no_sensitive_host_path(model: Manifests, workload: Workload, _value: Any) -> Outcome:
    for host in workload.pod.host_paths:
        if is_sensitive(host.path):
            return Outcome(False, f"{workload.ref} still declares the node's {host.path}.", host.file, host.line)
    return Outcome(True, f"{workload.ref} mounts no sensitive host path.")


def _labels(model: Manifests, workload: Workload, wanted: Mapping[str, str]) -> Outcome:
    labels = workload.pod.labels
    for key, value in wanted.items():
        if labels.get(key) != str(value):
            have = f"{key}={labels[key]}" if key in labels else f"no {key} label"
            return Outcome(False, f"The pods of {workload.ref} have {have}.", workload.pod.file, workload.pod.line)
    # The API refuses a workload whose selector does not select its own pod template.
    if workload.selector is not None and not workload.selector.matches(labels):
        return Outcome(False, f"The selector of {workload.ref} no longer matches its pod template's labels: the API "
                       "server refuses it.", workload.file, workload.selector_line or workload.line)  # fmt: skip
    return Outcome(True, f"The pods of {workload.ref} carry the labels.")


def _drain_time(model: Manifests, workload: Workload, bounds: Mapping[str, Any]) -> Outcome:
    """Seconds of the grace period left after the longest preStop sleep: the time the process has to drain."""
    setting = workload.pod.grace_period
    if quoted := _quoted(setting, "terminationGracePeriodSeconds"):
        return quoted
    grace = whole_number(setting.value) if setting is not None else DEFAULT_GRACE_S
    sleeps = [
        whole_number(c.pre_stop_sleep_s.value) or 0 for c in workload.pod.containers
        if c.serving and c.pre_stop_sleep_s is not None
    ]  # fmt: skip
    left = None if grace is None else grace - max(sleeps, default=0)
    where = (setting.file, setting.line) if setting is not None else (workload.file, workload.line)
    return Outcome(
        _in_range(left, bounds),
        f"{workload.ref} leaves {left} s of its {grace} s grace period after the preStop pause.",
        *where,
    )


def _host_paths(model: Manifests, workload: Workload, value: Mapping[str, Any]) -> Outcome:
    allowed = {posixpath.normpath(p) for p in value["only"]}
    present = set()
    for host in workload.pod.host_paths:
        path = posixpath.normpath(host.path) if host.path.startswith("/") else host.path
        if path not in allowed:
            return Outcome(False, f"{workload.ref} mounts the node's {host.path}.", host.file, host.line)
        present.add(path)
        if value.get("read_only", True):
            for container in workload.pod.containers:
                mount = container.volume_mounts.get(host.volume)
                if mount is not None and mount.value is not True:
                    return Outcome(False, f"Container {container.name} mounts the node's {host.path} writable.",
                                   mount.file, mount.line)  # fmt: skip
    missing = sorted(allowed - present)
    if missing:
        return Outcome(False, f"{workload.ref} no longer mounts the node's {missing[0]}.", workload.file, workload.line)
    return Outcome(True, f"{workload.ref} mounts only {', '.join(sorted(allowed))}.")


def _selector(model: Manifests, workload: Workload, wanted: Mapping[str, str]) -> Outcome:
    selector = workload.selector
    have = dict(selector.match_labels) if selector is not None and not selector.expressions else None
    where = (workload.file, workload.selector_line or workload.line)
    if have != {str(k): str(v) for k, v in wanted.items()}:
        shown = ", ".join(f"{k}={v}" for k, v in (have or {}).items()) or "something else"
        return Outcome(False, f"The selector of {workload.ref} is {shown}.", *where)
    return Outcome(True, f"The selector of {workload.ref} is unchanged.", *where)


def _no_host_namespaces(model: Manifests, workload: Workload, _value: Any) -> Outcome:
    for setting in workload.pod.host_namespaces:
        return Outcome(False, f"{workload.ref} sets {setting.value}: true.", setting.file, setting.line)
    return Outcome(True, f"{workload.ref} shares no namespace with the node.")


def _commands_mention(model: Manifests, workload: Workload, words: Sequence[str]) -> Outcome:
    """Each string appears in the command or arguments of some container, init containers included."""
    argv = " ".join(part for c in workload.pod.containers for part in (*c.command, *c.args))
    for word in words:
        if word not in argv:
            return Outcome(False, f"No container of {workload.ref} runs {word} any more.", workload.file,
                           workload.line)  # fmt: skip
    return Outcome(True, f"{workload.ref} still runs {', '.join(words)}.")


_WORKLOAD_CHECKS = {
    "no_host_namespaces": _no_host_namespaces,
    "commands_mention": _commands_mention,
    "labels": _labels,
    "selector": _selector,
    "drain_time": _drain_time,
    "host_paths": _host_paths,
    "replicas": _replicas,
    "replicas_unset": _replicas_unset,
    "replicas_ceiling": _replicas_ceiling,
    "selected_by": _selected_by,
    "disruption_budget": _disruption_budget,
    "autoscaler": _autoscaler,
    "grace_period": _grace_period,
    "concurrency_policy": _concurrency_policy,
    "active_deadline": _active_deadline,
    "no_sensitive_host_path": _no_sensitive_host_path,
    "not_suspended": _not_suspended,
    "never_written": _never_written,
}


def _containers(model: Manifests, workload: Workload, value: Mapping[str, Any], name: str | None) -> Outcome:
    # Privileges matter in every container that ever runs, init containers included.
    everyone = set(value) <= SECURITY_KEYS
    containers = [c for c in workload.pod.containers if (c.name == name if name else c.serving or everyone)]
    if not containers:
        what = f"a container named {name}" if name else "a container"
        return Outcome(False, f"{workload.ref} has no {what} any more.", workload.file, workload.line)
    for container in containers:
        for key, expected in value.items():
            if key == "secret_env":
                outcome = _secret_env(model, workload, container, expected)
            else:
                outcome = _CONTAINER_CHECKS[key](workload, container, expected)
            if not outcome.ok:
                return outcome
    return Outcome(True, f"The containers of {workload.ref} meet it.")


def _resources(kind: str) -> Any:
    def check(workload: Workload, container: Container, wanted: Mapping[str, Any]) -> Outcome:
        values = container.requests if kind == "requests" else container.limits
        for resource, bounds in wanted.items():
            setting = values.get(resource)
            # A limit without a request is also the request.
            if setting is None and kind == "requests":
                setting = container.limits.get(resource)
            if setting is None:
                return Outcome(False, f"Container {container.name} of {workload.ref} sets no {resource} {kind[:-1]}.",
                               container.file, container.resources_line or container.line)  # fmt: skip
            amount = quantity(setting.value)
            request, limit = container.requests.get(resource), container.limits.get(resource)
            if request is not None and limit is not None:
                low, high = quantity(request.value), quantity(limit.value)
                if low is not None and high is not None and low > high:
                    return Outcome(False, f"Container {container.name} of {workload.ref} requests more {resource} "
                                   f"({request.value}) than its limit ({limit.value}); the API refuses the pod.",
                                   request.file, request.line)  # fmt: skip
            if not _in_range(amount, bounds, quantities=True):
                return Outcome(False, f"Container {container.name} of {workload.ref} has {resource} {kind[:-1]} "
                               f"{setting.value}.", setting.file, setting.line)  # fmt: skip
        return Outcome(True, "")

    return check


def _probe_port_problem(container: Container, probe: Probe, what: str) -> Outcome | None:
    """A probe of a port the container does not declare: a name it does not declare cannot be resolved, and a
    number it does not list is, when it lists any, not where the application listens."""
    if probe.handler[0] not in ("http", "tcp", "grpc"):
        return None
    port = probe.handler[2] if probe.handler[0] == "http" else probe.handler[1]
    number = whole_number(port) if port.isdigit() else None
    if number is None and port not in container.port_names:
        return Outcome(False, f"The {what} probe of {container.name} asks the port named {port}, which the "
                       "container does not declare.", probe.file, probe.line)  # fmt: skip
    if number is not None and container.ports and number not in container.ports:
        listening = ", ".join(str(n) for n in container.ports)
        return Outcome(False, f"The {what} probe of {container.name} asks port {number}; the container listens on "
                       f"{listening}.", probe.file, probe.line)  # fmt: skip
    return None


_URL_PATH = re.compile(r"(?:://|\blocalhost|\b127\.0\.0\.1)[^/\s'\"]*(/[^\s'\"?#]*)")


def _asked_paths(probe: Probe) -> list[str]:
    """The HTTP paths a probe asks: its httpGet path, or the URLs an exec probe's command fetches (curl, wget)."""
    if probe.handler[0] == "http":
        return [probe.handler[1].split("?")[0].rstrip("/") or "/"]
    if probe.handler[0] == "exec":
        return [p.rstrip("/") or "/" for p in _URL_PATH.findall(" ".join(probe.handler[1:]))]
    return []


def _readiness(workload: Workload, container: Container, value: Any) -> Outcome:
    probe = container.readiness
    if probe is None:
        return Outcome(False, f"Container {container.name} of {workload.ref} has no readiness probe.", container.file,
                       container.line)  # fmt: skip
    if wrong_port := _probe_port_problem(container, probe, "readiness"):
        return wrong_port
    only = {p.rstrip("/") or "/" for p in value.get("only_paths", ())} if isinstance(value, Mapping) else set()
    asked = (probe.handler[1].split("?")[0].rstrip("/") or "/") if probe.handler[0] == "http" else None
    if only and asked not in only:
        shown = probe.handler[1] if asked is not None else f"a {probe.handler[0]} check"
        return Outcome(False, f"The readiness probe of {container.name} asks {shown}.", probe.file, probe.line)
    return Outcome(True, "")


def _liveness(workload: Workload, container: Container, value: Mapping[str, Any]) -> Outcome:
    live, ready = container.liveness, container.readiness
    if live is None:
        return Outcome(False, f"Container {container.name} of {workload.ref} has no liveness probe.", container.file,
                       container.line)  # fmt: skip
    if wrong_port := _probe_port_problem(container, live, "liveness"):
        return wrong_port
    avoid = {p.rstrip("/") or "/" for p in value.get("avoid_paths", ())}
    only = {p.rstrip("/") or "/" for p in value.get("only_paths", ())}
    for asked in _asked_paths(live):
        if asked in avoid or (only and asked not in only):
            return Outcome(False, f"The liveness probe of {container.name} asks {asked}.", live.file,
                           live.line)  # fmt: skip
    if live.failure_threshold < value.get("min_failure_threshold", 1):
        return Outcome(False, f"The liveness probe of {container.name} gives up after {live.failure_threshold} "
                       "failure(s).", live.file, live.line)  # fmt: skip
    if (
        value.get("distinct")
        and ready is not None
        and live.handler == ready.handler
        and live.tolerance_s <= ready.tolerance_s
    ):
        return Outcome(False, f"The liveness probe of {container.name} is the readiness check with no more patience "
                       f"({live.tolerance_s} s vs {ready.tolerance_s} s).", live.file, live.line)  # fmt: skip
    return Outcome(True, "")


def _startup(workload: Workload, container: Container, value: Mapping[str, Any]) -> Outcome:
    probe = container.startup
    if probe is None:
        return Outcome(False, f"Container {container.name} of {workload.ref} has no startup probe.", container.file,
                       container.line)  # fmt: skip
    if wrong_port := _probe_port_problem(container, probe, "startup"):
        return wrong_port
    ok = probe.tolerance_s >= value["min_tolerance_s"]
    return Outcome(ok, f"The startup probe of {container.name} allows {probe.tolerance_s} s "
                   f"({probe.failure_threshold} × {probe.period_s} s).", probe.file, probe.line)  # fmt: skip


_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
# Docker Hub's hosts, which a reference may spell out or leave off ("envoyproxy/envoy" is docker.io/envoyproxy/envoy).
_DOCKER_HUB = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")


def _bad_reference(workload: Workload, container: Container, image: Setting) -> Outcome | None:
    """An image reference the runtime cannot pull: a digest that is not sha256 and 64 lowercase hex digits."""
    if "@" in image.value and not _DIGEST.match(image.value.split("@", 1)[1]):
        return Outcome(False, f"Container {container.name} of {workload.ref} names {image.value}, whose digest is not "
                       "sha256: and 64 lowercase hexadecimal digits: the image cannot be pulled.", image.file,
                       image.line)  # fmt: skip
    return None


def _hub_short(reference: str) -> str:
    """A Docker Hub reference without its host (and without library/ for official images)."""
    for host in _DOCKER_HUB:
        if reference.startswith(host):
            reference = reference[len(host) :]
            return reference[len("library/") :] if reference.startswith("library/") else reference
    return reference


def _unreadable_image(workload: Workload, container: Container) -> Outcome | None:
    """The failed outcome for a container whose image is missing or not a valid reference, else None."""
    image = container.image
    if image is None or not isinstance(image.value, str):
        return Outcome(False, f"Container {container.name} of {workload.ref} names no image.", container.file,
                       container.line)  # fmt: skip
    return _bad_reference(workload, container, image)


def _image_pinned(workload: Workload, container: Container, _value: Any) -> Outcome:
    if unreadable := _unreadable_image(workload, container):
        return unreadable
    image = container.image
    tag = tag_of(image.value)
    ok = tag is None or (tag != "" and tag != "latest")
    return Outcome(ok, f"Container {container.name} runs {image.value}.", image.file, image.line)


def _image_matches(workload: Workload, container: Container, patterns: Sequence[str]) -> Outcome:
    if unreadable := _unreadable_image(workload, container):
        return unreadable
    image = container.image
    short = _hub_short(image.value)
    ok = any(fnmatch.fnmatchcase(image.value, p) or fnmatch.fnmatchcase(short, _hub_short(p)) for p in patterns)
    return Outcome(ok, f"Container {container.name} runs {image.value}.", image.file, image.line)


def _pre_stop_sleep(workload: Workload, container: Container, bounds: Mapping[str, Any]) -> Outcome:
    sleep = container.pre_stop_sleep_s
    if sleep is None:
        return Outcome(False, f"Container {container.name} of {workload.ref} has no preStop sleep.", container.file,
                       container.line)  # fmt: skip
    return Outcome(_in_range(whole_number(sleep.value), bounds), f"The preStop hook of {container.name} sleeps "
                   f"{sleep.value} s.", sleep.file, sleep.line)  # fmt: skip


def _secret_env(
    model: Manifests, workload: Workload, container: Container, names: Iterable[str] | Mapping[str, str]
) -> Outcome:
    by_name = {var.name: var for var in container.env}
    for name in names:
        var = by_name.get(name)
        if var is None:
            return Outcome(False, f"Container {container.name} of {workload.ref} no longer sets {name}.",
                           container.file, container.line)  # fmt: skip
        if var.value is not None:
            return Outcome(False, f"{name} is still a literal value in the manifest.", var.file, var.line)
        if var.source is None or var.source[0] != "secret":
            said = {"configmap": "a ConfigMap", "field": "a field of the Pod"}.get(var.source[0] if var.source else "")
            return Outcome(False, f"{name} comes from {said or 'something other than a Secret'}, not from a Secret.",
                           var.file, var.line)  # fmt: skip
        wanted = names.get(name) if isinstance(names, Mapping) else None
        if wanted is not None and "/".join(var.source[1:] if "/" in wanted else var.source[1:2]) != wanted:
            return Outcome(False, f"{name} comes from Secret {var.source[1]}, key {var.source[2]}; the prompt names "
                           f"{wanted}.", var.file, var.line)  # fmt: skip
        written = model.secrets_with_data.get(var.source[1])
        if written is not None and same_namespace(written[0], workload.namespace):
            return Outcome(False, f"{name} comes from Secret {var.source[1]}, whose value is written out in your "
                           "files.", written[1], written[2])  # fmt: skip
    return Outcome(True, "")


def _exec_form(workload: Workload, container: Container, _value: Any) -> Outcome:
    argv = container.command + container.args
    script = shell_script(argv)
    # The shell hands over only when the command it ends with is `exec`: `exec 2>&1; java ...` keeps it PID 1.
    last = re.split(r"\n|;|&&|\|\|", script.strip())[-1].strip() if script is not None else ""
    if script is not None and not last.startswith("exec "):
        return Outcome(False, f"Container {container.name} of {workload.ref} still starts through a shell that "
                       "does not hand over to the application (no exec).", container.file,
                       container.command_line or container.line)  # fmt: skip
    return Outcome(True, "")


def _not_privileged(workload: Workload, container: Container, _value: Any) -> Outcome:
    """Not privileged, privilege escalation switched off (unset, the runtime allows it), and not declared as user 0
    (the container's runAsUser, else the pod's)."""
    for setting, what in (
        (container.privileged, "privileged"),
        (container.allow_privilege_escalation, "allowPrivilegeEscalation"),
    ):
        if setting is not None and setting.value is True:
            return Outcome(False, f"Container {container.name} still sets {what}: true.", setting.file, setting.line)
    escalation = container.allow_privilege_escalation
    if escalation is None or escalation.value is not False:
        return Outcome(False, f"Container {container.name} does not set allowPrivilegeEscalation: false; unset, a "
                       "process in it may still gain privileges (setuid binaries).", container.file,
                       container.line)  # fmt: skip
    user = container.run_as_user or workload.pod.run_as_user
    if user is not None and whole_number(user.value) == 0:
        return Outcome(False, f"Container {container.name} still runs as user 0.", user.file, user.line)
    return Outcome(True, "")


def _no_added_capabilities(workload: Workload, container: Container, _value: Any) -> Outcome:
    for setting in container.added_capabilities:
        return Outcome(False, f"Container {container.name} adds the capability {setting.value}.", setting.file,
                       setting.line)  # fmt: skip
    return Outcome(True, "")


_CONTAINER_CHECKS = {
    "no_added_capabilities": _no_added_capabilities,
    "requests": _resources("requests"),
    "limits": _resources("limits"),
    "readiness": _readiness,
    "liveness": _liveness,
    "startup": _startup,
    "image_pinned": _image_pinned,
    "pre_stop_sleep": _pre_stop_sleep,
    "secret_env": _secret_env,
    "exec_form": _exec_form,
    "not_privileged": _not_privileged,
    "image_matches": _image_matches,
}
