"""One model of a set of Kubernetes manifests: workloads with their pod templates normalised, and the objects
that select them (Services, HorizontalPodAutoscalers, PodDisruptionBudgets) or shape them (LimitRanges).

Every workload kind keeps its pod template at a different path (a Pod's `spec`; Deployment, StatefulSet,
DaemonSet, ReplicaSet, ReplicationController and Job `spec.template.spec`; CronJob
`spec.jobTemplate.spec.template.spec`); here they are one `PodTemplate`. Values keep their file and line
(`Setting`). A namespace left unset is `None` and matches any namespace: `kubectl apply -n` decides it, and the
files cannot show which.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from courseware.footguns.loading import Loaded
from courseware.footguns.parsers.nodes import line_of
from courseware.footguns.topic import Problem, Unit
from courseware.footguns.values import Setting, unreadable_number, whole_number

WORKLOAD_KINDS = frozenset(
    {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
)
# Kinds that keep a number of replicas of one pod template (a DaemonSet runs one per node).
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
# The API versions current Kubernetes serves for the kinds the model reads. The older ones (extensions/v1beta1
# and apps/v1beta1/v1beta2 workloads until 1.16, policy/v1beta1 and batch/v1beta1 until 1.25, autoscaling/v2beta1
# until 1.25 and v2beta2 until 1.26) are refused by the API server (the deprecated API migration guide).
# API versions that served these kinds once and that current Kubernetes no longer serves (the Deprecated API
# Migration Guide: removed in 1.16, 1.21, 1.25 and 1.26), with the version that replaced them. Only these are
# flagged: a custom resource of the same kind in another group (Knative's serving.knative.dev/v1 Service,
# Volcano's batch.volcano.sh Job) is not Kubernetes' object and is left alone.
REMOVED_VERSIONS = {
    **{(kind, version): "apps/v1" for kind in ("Deployment", "DaemonSet", "ReplicaSet")
       for version in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")},
    **{("StatefulSet", version): "apps/v1" for version in ("apps/v1beta1", "apps/v1beta2")},
    ("CronJob", "batch/v1beta1"): "batch/v1", ("CronJob", "batch/v2alpha1"): "batch/v1",
    ("PodDisruptionBudget", "policy/v1beta1"): "policy/v1",
    ("HorizontalPodAutoscaler", "autoscaling/v2beta1"): "autoscaling/v2",
    ("HorizontalPodAutoscaler", "autoscaling/v2beta2"): "autoscaling/v2",
}  # fmt: skip


@dataclass(frozen=True)
class Probe:
    """A startup, readiness or liveness probe: its handler (what it asks) and its timing."""

    handler: tuple[Any, ...]  # ("http", path, port) | ("tcp", port) | ("exec", command...) | ("grpc", port)
    file: str
    line: int | None
    period_s: int  # defaults applied: period 10 s, failure threshold 3, timeout 1 s
    failure_threshold: int
    failure_threshold_setting: Setting | None
    timeout_s: int
    # Every timing field as written (periodSeconds, failureThreshold...), so a quoted one can be reported.
    numbers: tuple[tuple[str, Setting], ...] = ()
    initial_delay_s: int = 0

    @property
    def tolerance_s(self) -> int:
        """How long the probe may fail before it acts (failures × period)."""
        return self.failure_threshold * self.period_s


@dataclass
class Container:
    """One container of a pod template (init containers and sidecars included), as written."""

    name: str
    file: str
    line: int | None
    init: bool = False  # an init container (a sidecar is an init container with restartPolicy Always)
    sidecar: bool = False
    image: Setting | None = None
    requests: dict[str, Setting] = field(default_factory=dict)
    limits: dict[str, Setting] = field(default_factory=dict)
    resources_line: int | None = None
    readiness: Probe | None = None
    liveness: Probe | None = None
    startup: Probe | None = None
    ports: list[int] = field(default_factory=list)
    port_names: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    command_line: int | None = None
    env: list[EnvVar] = field(default_factory=list)
    pre_stop_sleep_s: Setting | None = None  # `sleep N` in an exec hook or the sleep action
    privileged: Setting | None = None
    allow_privilege_escalation: Setting | None = None
    run_as_user: Setting | None = None
    run_as_non_root: Setting | None = None
    # securityContext switches as written (privileged, allowPrivilegeEscalation, runAsNonRoot...), to catch "false".
    switches: list[tuple[str, Setting]] = field(default_factory=list)
    added_capabilities: list[Setting] = field(default_factory=list)  # securityContext.capabilities.add
    volume_mounts: dict[str, Setting] = field(default_factory=dict)  # volume name → readOnly (or None)

    @property
    def serving(self) -> bool:
        """A container that runs beside the app for the pod's life: an app container or a sidecar."""
        return not self.init or self.sidecar


@dataclass(frozen=True)
class EnvVar:
    """An environment variable of a container: a literal value or a reference."""

    name: str
    value: Any  # a literal `value`, or None when it comes from a reference (valueFrom)
    file: str
    line: int | None
    # valueFrom: ("secret", name, key), ("configmap", name, key), ("field", path, "") or ("other", "", "")
    source: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class HostPath:
    """A hostPath volume: a folder of the node mounted into the pod."""

    volume: str
    path: str
    file: str
    line: int | None


@dataclass
class PodTemplate:
    """The pod a workload runs: its labels, containers, volumes and shutdown settings."""

    labels: dict[str, str]
    containers: list[Container]
    host_paths: list[HostPath]
    grace_period: Setting | None  # terminationGracePeriodSeconds (default 30)
    file: str
    line: int | None
    host_namespaces: list[Setting] = field(default_factory=list)  # hostNetwork, hostPID, hostIPC set to true
    run_as_user: Setting | None = None  # the pod's securityContext, which containers inherit
    run_as_non_root: Setting | None = None


@dataclass
class Workload:
    """A Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet, ReplicationController or Pod."""

    kind: str
    name: str
    namespace: str | None
    file: str
    line: int | None
    pod: PodTemplate
    replicas: Setting | None = None  # spec.replicas as written (default 1 for replicated kinds)
    selector: LabelSelector | None = None  # spec.selector of the kinds that have one (the API requires a match)
    selector_line: int | None = None
    # Jobs and CronJobs
    active_deadline_s: Setting | None = None  # the Job's, else the pod's (either bounds a hung attempt)
    job_deadline_s: Setting | None = None  # the Job's own: it bounds every attempt together
    suspended: Setting | None = None  # a CronJob's or Job's spec.suspend
    backoff_limit: Setting | None = None
    schedule: Setting | None = None
    concurrency_policy: Setting | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass
class Service:
    """A Service and the pods its selector should reach."""

    name: str
    namespace: str | None
    selector: dict[str, str] | None  # None: no selector (endpoints managed by hand or ExternalName)
    file: str
    line: int | None
    selector_line: int | None
    # Where it sends traffic: each port's targetPort (its port when unset), a number or a container port's name.
    target_ports: list[Setting] = field(default_factory=list)


@dataclass
class LabelSelector:
    """matchLabels and matchExpressions; `None` as a whole means the object selects nothing it can show."""

    match_labels: dict[str, str]
    expressions: list[tuple[str, str, tuple[str, ...]]]  # (key, operator, values)

    def matches(self, labels: dict[str, str]) -> bool:
        if any(labels.get(key) != value for key, value in self.match_labels.items()):
            return False
        for key, operator, values in self.expressions:
            if operator == "In" and labels.get(key) not in values:
                return False
            if operator == "NotIn" and labels.get(key) in values:
                return False
            if operator == "Exists" and key not in labels:
                return False
            if operator == "DoesNotExist" and key in labels:
                return False
        return bool(self.match_labels or self.expressions)


@dataclass
class DisruptionBudget:
    """A PodDisruptionBudget: how many selected pods voluntary evictions must leave running."""

    name: str
    namespace: str | None
    selector: LabelSelector | None
    min_available: Setting | None
    max_unavailable: Setting | None
    file: str
    line: int | None


@dataclass
class Autoscaler:
    """A HorizontalPodAutoscaler and the workload it scales."""

    name: str
    namespace: str | None
    target_kind: str | None
    target_name: str | None
    min_replicas: int  # default 1
    max_replicas: int | None  # required by the API; None when the files do not say
    # Resource metrics the HPA scales on by utilisation of requests: "cpu", "memory" (CPU 80 % when none given).
    utilization_resources: list[Setting]
    file: str
    line: int | None


@dataclass
class Manifests:
    """The normalised model of the manifests in one folder (or one stream)."""

    workloads: list[Workload] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    budgets: list[DisruptionBudget] = field(default_factory=list)
    autoscalers: list[Autoscaler] = field(default_factory=list)
    # Namespaces (None: unset) where a LimitRange gives containers default requests or limits.
    default_requests: set[str | None] = field(default_factory=set)
    default_limits: set[str | None] = field(default_factory=set)
    # Secrets written out in the files with their values (data or stringData): name → (namespace, file, line).
    secrets_with_data: dict[str, tuple[str | None, str, int | None]] = field(default_factory=dict)
    # Objects the API server would refuse as written (a removed apiVersion, a quoted number).
    refused: list[Problem] = field(default_factory=list)
    # The files as written, comments included: path → text.
    texts: dict[str, str] = field(default_factory=dict)

    def selecting_services(self, workload: Workload) -> list[Service]:
        return [
            service
            for service in self.services
            if service.selector
            and same_namespace(service.namespace, workload.namespace)
            and all(workload.pod.labels.get(k) == v for k, v in service.selector.items())
        ]

    def budgets_for(self, workload: Workload) -> list[DisruptionBudget]:
        return [
            budget
            for budget in self.budgets
            if budget.selector is not None
            and same_namespace(budget.namespace, workload.namespace)
            and budget.selector.matches(workload.pod.labels)
        ]

    def autoscalers_for(self, workload: Workload) -> list[Autoscaler]:
        return [
            hpa
            for hpa in self.autoscalers
            if hpa.target_kind == workload.kind
            and hpa.target_name == workload.name
            and same_namespace(hpa.namespace, workload.namespace)
        ]

    def has_defaults(self, namespace: str | None, kind: str) -> bool:
        found = self.default_requests if kind == "requests" else self.default_limits
        return any(same_namespace(ns, namespace) for ns in found)


def same_namespace(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


# --- building the model -----------------------------------------------------------------------------------


def build_units(loaded: Sequence[Loaded]) -> list[Unit]:
    """One unit per folder: `helm template` and `kustomize build` give one stream, repositories one file per
    object in a folder; a Service and the Deployment it selects are read together."""
    units: dict[str, Unit] = {}
    for item in loaded:
        folder = posixpath.dirname(item.path)
        unit = units.get(folder)
        if unit is None:
            unit = units[folder] = Unit(Manifests())
        unit.paths.append(item.path)
        unit.model.texts[item.path] = item.text
        for line, obj in item.document:
            _read_object(obj, item.path, line, unit.model)
    for unit in units.values():
        unit.resources = {w.ref for w in unit.model.workloads} | {f"Service/{s.name}" for s in unit.model.services}
        unit.problems = _unreadable_numbers(unit.model) + unit.model.refused
    return list(units.values())


def _unreadable_numbers(model: Manifests) -> list[Problem]:
    """Whole-number fields holding something else ("three", "30s"): the API server would refuse the object."""
    problems = []
    for workload in model.workloads:
        fields = [
            ("replicas", workload.replicas),
            ("terminationGracePeriodSeconds", workload.pod.grace_period),
            ("activeDeadlineSeconds", workload.active_deadline_s),
            ("backoffLimit", workload.backoff_limit),
        ]
        for container in workload.pod.containers:
            for probe in (container.readiness, container.liveness, container.startup):
                if probe is not None:
                    fields.extend(probe.numbers)
        for name, setting in fields:
            if unreadable_number(setting):
                problems.append(
                    Problem(
                        setting.file,
                        setting.line,
                        workload.ref,
                        f"{name} of {workload.kind} {workload.name} is {setting.value!r}, which is not a whole "
                        "number: the API server refuses the object, and no check can say what it would do.",
                        f"Write {name} as a whole number, without units or words.",
                    )
                )
            elif setting is not None and isinstance(setting.value, str) and whole_number(setting.value) is not None:
                # The API server's JSON decoder wants a number: "30" in quotes is refused, unlike in CloudFormation.
                problems.append(
                    Problem(setting.file, setting.line, workload.ref, f"{name} of {workload.kind} {workload.name} is "
                            f"the string \"{setting.value}\": the API server wants a number, without quotes, and "
                            "refuses the object.", f"Remove the quotes: {name}: {setting.value}.")
                )  # fmt: skip
        for container in workload.pod.containers:
            for name, setting in container.switches:
                if not isinstance(setting.value, bool):
                    problems.append(
                        Problem(setting.file, setting.line, workload.ref, f"{name} of container {container.name} in "
                                f"{workload.kind} {workload.name} is {setting.value!r}, not true or false (without "
                                "quotes): the API server refuses the object.",
                                f"Write {name}: true or {name}: false, without quotes.")
                    )  # fmt: skip
    for budget in model.budgets:
        for name, setting in (("minAvailable", budget.min_available), ("maxUnavailable", budget.max_unavailable)):
            if setting is None or isinstance(setting.value, int) and not isinstance(setting.value, bool):
                continue
            text = setting.value if isinstance(setting.value, str) else ""
            if not (text.endswith("%") and whole_number(text[:-1]) is not None):
                problems.append(
                    Problem(setting.file, setting.line, f"PodDisruptionBudget/{budget.name}", f"{name} of "
                            f"PodDisruptionBudget {budget.name} is {setting.value!r}: the API takes a number without "
                            "quotes or a percentage such as \"50%\", and refuses anything else.",
                            f"Write {name} as a number without quotes (1) or as a percentage (\"50%\").")
                )  # fmt: skip
    return problems


def _read_object(obj: dict, file: str, line: int, model: Manifests) -> None:
    kind = obj.get("kind")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name = _text(metadata.get("name")) or _text(metadata.get("generateName")) or "(unnamed)"
    namespace = _text(metadata.get("namespace"))
    line = line_of(obj, None, line) or line
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    version = obj.get("apiVersion")
    replacement = REMOVED_VERSIONS.get((kind, version)) if isinstance(kind, str) and isinstance(version, str) else None
    if replacement is not None:
        model.refused.append(
            Problem(
                file,
                line_of(obj, "apiVersion", line),
                f"{kind}/{name}",
                f"{kind} {name} is written for apiVersion {version}, which current Kubernetes no longer serves (it "
                f"serves {replacement}): the API server refuses the object.",
                f"Change apiVersion to {replacement}, and check the fields that version renamed or made required "
                "(for example a Deployment's spec.selector).",
            )
        )
    if kind in WORKLOAD_KINDS:
        model.workloads.append(_workload(kind, name, namespace, spec, file, line, metadata))
    elif kind == "Service":
        selector = spec.get("selector")
        # An ExternalName Service is a DNS alias: it sends nothing to the pods its selector names.
        labels = _labels(selector) if isinstance(selector, dict) and spec.get("type") != "ExternalName" else None
        where = line_of(spec, "selector", line) if labels else None
        service = Service(name, namespace, labels or None, file, line, where)
        ports = _list(spec.get("ports"))
        for index, port in enumerate(ports):
            if isinstance(port, dict):
                target = port.get("targetPort", port.get("port"))
                if target is not None:
                    service.target_ports.append(Setting(target, file, line_of(ports, index, line)))
        model.services.append(service)
    elif kind == "PodDisruptionBudget":
        model.budgets.append(
            DisruptionBudget(
                name,
                namespace,
                _selector(spec.get("selector")),
                _setting(spec, "minAvailable", file),
                _setting(spec, "maxUnavailable", file),
                file,
                line,
            )
        )
    elif kind == "HorizontalPodAutoscaler":
        model.autoscalers.append(_autoscaler(name, namespace, spec, file, line))
    elif kind == "Secret":
        for key in ("data", "stringData"):
            if isinstance(obj.get(key), dict) and obj[key]:
                model.secrets_with_data[name] = (namespace, file, line_of(obj, key, line))
                break
    elif kind == "LimitRange":
        for limit in spec.get("limits") or []:
            if isinstance(limit, dict) and limit.get("type", "Container") == "Container":
                if isinstance(limit.get("defaultRequest"), dict) or isinstance(limit.get("default"), dict):
                    model.default_requests.add(namespace)  # a default limit also becomes the request
                if isinstance(limit.get("default"), dict):
                    model.default_limits.add(namespace)


def _workload(
    kind: str, name: str, namespace: str | None, spec: dict, file: str, line: int, metadata: dict
) -> Workload:
    job_spec: dict = {}
    schedule = concurrency = None
    if kind == "Pod":  # a bare Pod is its own template: its labels are its metadata's
        template, pod_spec, labels_from = spec, spec, {"metadata": metadata}
    elif kind == "CronJob":
        job_template = _dict(spec.get("jobTemplate"))
        job_spec = _dict(job_template.get("spec"))
        template = _dict(job_spec.get("template"))
        pod_spec = _dict(template.get("spec"))
        labels_from = template
        schedule = _setting(spec, "schedule", file)
        concurrency = _setting(spec, "concurrencyPolicy", file)
    else:
        template = _dict(spec.get("template"))
        pod_spec = _dict(template.get("spec"))
        labels_from = template
        if kind == "Job":
            job_spec = spec
    pod = _pod(pod_spec, labels_from, file, line_of(template, None, line) or line)
    workload = Workload(kind, name, namespace, file, line, pod)
    if kind in REPLICATED_KINDS:
        workload.replicas = _setting(spec, "replicas", file)
    if kind in REPLICATED_KINDS or kind == "DaemonSet":
        workload.selector = _selector(spec.get("selector"))
        workload.selector_line = line_of(spec, "selector", line) if "selector" in spec else None
    if kind in ("Job", "CronJob"):
        workload.job_deadline_s = _setting(job_spec, "activeDeadlineSeconds", file)
        workload.active_deadline_s = workload.job_deadline_s or _setting(pod_spec, "activeDeadlineSeconds", file)
        workload.suspended = _setting(spec if kind == "CronJob" else job_spec, "suspend", file)
        workload.backoff_limit = _setting(job_spec, "backoffLimit", file)
        workload.schedule = schedule
        workload.concurrency_policy = concurrency
    return workload


def _pod(spec: dict, template: dict | None, file: str, line: int | None) -> PodTemplate:
    metadata = _dict(template.get("metadata")) if template is not None else {}
    labels = _labels(metadata.get("labels")) if template is not None else {}
    containers = [_container(c, file, init=False) for c in _list(spec.get("containers")) if isinstance(c, dict)]
    containers += [_container(c, file, init=True) for c in _list(spec.get("initContainers")) if isinstance(c, dict)]
    host_paths = []
    volumes = _list(spec.get("volumes"))
    for index, volume in enumerate(volumes):
        if isinstance(volume, dict) and isinstance(volume.get("hostPath"), dict):
            path = _text(volume["hostPath"].get("path"))
            if path:
                host_paths.append(HostPath(_text(volume.get("name")) or "", path, file, line_of(volumes, index, line)))
    return PodTemplate(
        labels=labels,
        containers=containers,
        host_paths=host_paths,
        grace_period=_setting(spec, "terminationGracePeriodSeconds", file),
        file=file,
        line=line,
        host_namespaces=[
            Setting(key, file, line_of(spec, key))
            for key in ("hostNetwork", "hostPID", "hostIPC")
            if spec.get(key) is True
        ],
        run_as_user=_setting(_dict(spec.get("securityContext")), "runAsUser", file),
        run_as_non_root=_setting(_dict(spec.get("securityContext")), "runAsNonRoot", file),
    )


def _container(raw: dict, file: str, *, init: bool) -> Container:
    line = line_of(raw)
    container = Container(name=_text(raw.get("name")) or "(unnamed)", file=file, line=line, init=init)
    container.sidecar = init and raw.get("restartPolicy") == "Always"
    container.image = _setting(raw, "image", file)
    resources = _dict(raw.get("resources"))
    if resources:
        container.resources_line = line_of(raw, "resources")
    for key, target in (("requests", container.requests), ("limits", container.limits)):
        values = _dict(resources.get(key))
        for resource, value in values.items():
            if value is not None and value != "":
                target[str(resource)] = Setting(value, file, line_of(values, resource))
    container.readiness = _probe(raw, "readinessProbe", file)
    container.liveness = _probe(raw, "livenessProbe", file)
    container.startup = _probe(raw, "startupProbe", file)
    for port in _list(raw.get("ports")):
        number = whole_number(port.get("containerPort")) if isinstance(port, dict) else None
        if number is not None:
            container.ports.append(number)
            if _text(port.get("name")):
                container.port_names.append(port["name"])
    container.command = [str(c) for c in _list(raw.get("command")) if isinstance(c, str | int)]
    container.args = [str(c) for c in _list(raw.get("args")) if isinstance(c, str | int)]
    container.command_line = line_of(raw, "command") if "command" in raw else None
    env = _list(raw.get("env"))
    for index, var in enumerate(env):
        if isinstance(var, dict) and isinstance(var.get("name"), str):
            value = var.get("value") if "valueFrom" not in var else None
            source = _env_source(var["valueFrom"]) if "valueFrom" in var else None
            container.env.append(EnvVar(var["name"], value, file, line_of(env, index, line), source))
    container.pre_stop_sleep_s = _pre_stop_sleep(raw, file)
    security = _dict(raw.get("securityContext"))
    container.privileged = _setting(security, "privileged", file)
    container.allow_privilege_escalation = _setting(security, "allowPrivilegeEscalation", file)
    container.run_as_user = _setting(security, "runAsUser", file)
    container.run_as_non_root = _setting(security, "runAsNonRoot", file)
    container.switches = [
        (key, setting)
        for key in ("privileged", "allowPrivilegeEscalation", "runAsNonRoot", "readOnlyRootFilesystem")
        if (setting := _setting(security, key, file)) is not None
    ]
    added = _list(_dict(security.get("capabilities")).get("add"))
    container.added_capabilities = [
        Setting(str(cap), file, line_of(added, index, line_of(security, "capabilities")))
        for index, cap in enumerate(added)
    ]
    mounts = _list(raw.get("volumeMounts"))
    for index, mount in enumerate(mounts):
        if isinstance(mount, dict) and isinstance(mount.get("name"), str):
            container.volume_mounts[mount["name"]] = Setting(mount.get("readOnly"), file, line_of(mounts, index))
    return container


def _probe(container: dict, key: str, file: str) -> Probe | None:
    raw = container.get(key)
    if not isinstance(raw, dict):
        return None
    handler: tuple[Any, ...]
    if isinstance(raw.get("httpGet"), dict):
        get = raw["httpGet"]
        handler = ("http", _text(get.get("path")) or "/", str(get.get("port")), _text(get.get("scheme")) or "HTTP")
    elif isinstance(raw.get("tcpSocket"), dict):
        handler = ("tcp", str(raw["tcpSocket"].get("port")))
    elif isinstance(raw.get("exec"), dict):
        handler = ("exec", *(str(c) for c in _list(raw["exec"].get("command"))))
    elif isinstance(raw.get("grpc"), dict):
        handler = ("grpc", str(raw["grpc"].get("port")), _text(raw["grpc"].get("service")) or "")
    else:
        handler = ("unknown",)
    threshold = _setting(raw, "failureThreshold", file)
    return Probe(
        handler=handler,
        file=file,
        line=line_of(container, key),
        period_s=_number(raw.get("periodSeconds"), 10),
        failure_threshold=_number(threshold.value if threshold else None, 3),
        failure_threshold_setting=threshold,
        timeout_s=_number(raw.get("timeoutSeconds"), 1),
        numbers=tuple((key, setting) for key in _PROBE_NUMBERS if (setting := _setting(raw, key, file)) is not None),
        initial_delay_s=_number(raw.get("initialDelaySeconds"), 0),
    )


_PROBE_NUMBERS = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold")


def _env_source(raw: Any) -> tuple[str, str, str]:
    for key, kind in (("secretKeyRef", "secret"), ("configMapKeyRef", "configmap")):
        ref = _dict(_dict(raw).get(key))
        if ref:
            return (kind, _text(ref.get("name")) or "", _text(ref.get("key")) or "")
    field_ref = _dict(_dict(raw).get("fieldRef"))
    if field_ref:
        return ("field", _text(field_ref.get("fieldPath")) or "", "")
    return ("other", "", "")


def _pre_stop_sleep(container: dict, file: str) -> Setting | None:
    pre_stop = _dict(_dict(container.get("lifecycle")).get("preStop"))
    if not pre_stop:
        return None
    if isinstance(pre_stop.get("sleep"), dict):  # the sleep action (Kubernetes 1.30+)
        seconds = whole_number(pre_stop["sleep"].get("seconds"))
        return Setting(seconds, file, line_of(pre_stop, "sleep")) if seconds is not None else None
    command = [str(c) for c in _list(_dict(pre_stop.get("exec")).get("command"))]
    # The hook runs its command as argv, without a shell: ["sleep", "15"] pauses, ["sleep 15"] names no program.
    if len(command) == 2 and posixpath.basename(command[0]) == "sleep":
        seconds = whole_number(command[1])
        return Setting(seconds, file, line_of(pre_stop, "exec")) if seconds is not None else None
    shell = len(command) >= 3 and posixpath.basename(command[0]) in _SHELLS
    script = command[2] if shell and command[1].startswith("-") and "c" in command[1] else ""
    # In a shell script, the first sleep the shell waits for: not one sent to the background with `&`.
    for step in re.split(r"&&|\|\||;|\n", script):
        words = step.split()
        if len(words) == 2 and posixpath.basename(words[0]) == "sleep" and "&" not in step:
            seconds = whole_number(words[1])
            if seconds is not None:
                return Setting(seconds, file, line_of(pre_stop, "exec"))
    return None


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def _autoscaler(name: str, namespace: str | None, spec: dict, file: str, line: int) -> Autoscaler:
    target = _dict(spec.get("scaleTargetRef"))
    resources: list[Setting] = []
    metrics = _list(spec.get("metrics"))
    for index, metric in enumerate(metrics):
        if not isinstance(metric, dict):
            continue
        resource = _dict(metric.get("resource")) or _dict(metric.get("containerResource"))
        if metric.get("type") not in ("Resource", "ContainerResource") or not resource:
            continue
        target_spec = _dict(resource.get("target"))
        utilization = target_spec.get("type") == "Utilization" or "targetAverageUtilization" in resource
        if utilization and isinstance(resource.get("name"), str):
            resources.append(Setting(resource["name"], file, line_of(metrics, index, line)))
    if "targetCPUUtilizationPercentage" in spec:  # autoscaling/v1
        resources.append(Setting("cpu", file, line_of(spec, "targetCPUUtilizationPercentage", line)))
    if not metrics and "targetCPUUtilizationPercentage" not in spec:
        resources.append(Setting("cpu", file, line))  # no metrics: 80 % average CPU utilisation
    return Autoscaler(
        name=name,
        namespace=namespace,
        target_kind=_text(target.get("kind")),
        target_name=_text(target.get("name")),
        min_replicas=_number(spec.get("minReplicas"), 1),
        max_replicas=whole_number(spec.get("maxReplicas")),
        utilization_resources=resources,
        file=file,
        line=line,
    )


def _selector(raw: Any) -> LabelSelector | None:
    if not isinstance(raw, dict):
        return None
    expressions = []
    for expression in _list(raw.get("matchExpressions")):
        if isinstance(expression, dict) and isinstance(expression.get("key"), str):
            values = tuple(str(v) for v in _list(expression.get("values")))
            expressions.append((expression["key"], str(expression.get("operator")), values))
    selector = LabelSelector(_labels(raw.get("matchLabels")), expressions)
    return selector if selector.match_labels or selector.expressions else None


def _labels(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): _label_value(v) for k, v in raw.items()}


def _label_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _setting(container: Any, key: str, file: str) -> Setting | None:
    if not isinstance(container, dict) or key not in container or container[key] is None:
        return None
    return Setting(container[key], file, line_of(container, key))


def _number(value: Any, default: int) -> int:
    number = whole_number(value)
    return default if number is None else number


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
