"""What the adversarial round on the Kubernetes exercises taught the model and the requirements: values the API
server refuses as written, a Service that selects pods but reaches none, deadlines that bound one attempt, hooks
and probes that do not do what their words say."""

from __future__ import annotations

import base64

import pytest

from courseware.footguns.engine import build_models, check_files
from tests.footguns.test_kubernetes import DEPLOYMENT, SERVICE, _evaluate

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: export
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: export
              image: registry.example.com/export:1.0.0
"""
BUDGET = """\
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
"""


def _invalid(files):
    report = check_files(files, topic="kubernetes")
    return [f.message for f in report.findings if f.rule == "invalid-value"]


@pytest.mark.parametrize(
    ("old", "new"),
    [("apiVersion: policy/v1", "apiVersion: policy/v1beta1"), ("apiVersion: apps/v1", "apiVersion: apps/v1beta2"),
     ("apiVersion: apps/v1", "apiVersion: extensions/v1beta1")],
)  # fmt: skip
def test_an_api_version_no_longer_served_is_refused(old, new):
    files = {"m.yaml": (DEPLOYMENT + BUDGET).replace(old, new, 1)}
    (message,) = _invalid(files)
    assert new.split(": ")[1] in message and "no longer serves" in message
    assert not _invalid({"m.yaml": DEPLOYMENT + BUDGET})
    hpa = "---\napiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec: {}\n"
    assert not _invalid({"m.yaml": DEPLOYMENT + hpa})  # v1 and v2 are both served


@pytest.mark.parametrize(
    ("field", "ok"), [("maxUnavailable: 1", True), ('maxUnavailable: "50%"', True), ('maxUnavailable: "1"', False),
                      ('minAvailable: "1"', False), ("maxUnavailable: one", False)]
)  # fmt: skip
def test_a_budget_count_in_quotes_must_be_a_percentage(field, ok):
    files = {"m.yaml": DEPLOYMENT + BUDGET.replace("maxUnavailable: 1", field)}
    assert (not _invalid(files)) is ok


def test_quoted_probe_timings_and_non_boolean_switches_are_refused():
    probe = '          startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 10, failureThreshold: "30"}\n'
    assert any("failureThreshold" in m and "without quotes" in m for m in _invalid({"m.yaml": DEPLOYMENT + probe}))
    switch = '          securityContext: {privileged: "false"}\n'
    assert any("privileged" in m for m in _invalid({"m.yaml": DEPLOYMENT + switch}))
    assert not _invalid({"m.yaml": DEPLOYMENT + "          securityContext: {privileged: false}\n"})


def test_a_service_reaches_pods_only_on_a_port_they_declare_and_when_some_run():
    spec = {"workload": "Deployment/web", "selected_by": "web"}
    assert _evaluate(spec, {"m.yaml": SERVICE + "---\n" + DEPLOYMENT}).ok
    wrong_port = SERVICE.replace("targetPort: 8080", "targetPort: 80")
    result = _evaluate(spec, {"m.yaml": wrong_port + "---\n" + DEPLOYMENT})
    assert not result.ok and "port 80" in result.detail
    selects = {"service": "web", "selects": "Deployment/web"}
    assert not _evaluate(selects, {"m.yaml": wrong_port + "---\n" + DEPLOYMENT}).ok
    named = SERVICE.replace("targetPort: 8080", "targetPort: http")
    unnamed = _evaluate(spec, {"m.yaml": named + "---\n" + DEPLOYMENT})
    declared = DEPLOYMENT.replace("ports: [{containerPort: 8080}]", "ports: [{name: http, containerPort: 8080}]")
    assert not unnamed.ok and _evaluate(spec, {"m.yaml": named + "---\n" + declared}).ok
    no_ports = DEPLOYMENT.replace("          ports: [{containerPort: 8080}]\n", "")
    assert _evaluate(spec, {"m.yaml": wrong_port + "---\n" + no_ports}).ok  # nothing declared: not judged
    zero = DEPLOYMENT.replace("replicas: 2", "replicas: 0")
    assert "runs no pods" in _evaluate(spec, {"m.yaml": SERVICE + "---\n" + zero}).detail
    external = SERVICE.replace("spec:\n", "spec:\n  type: ExternalName\n  externalName: web.example.com\n")
    assert not _evaluate(spec, {"m.yaml": external + "---\n" + DEPLOYMENT}).ok


def test_the_jobs_own_deadline_bounds_a_run_and_a_suspended_one_never_runs():
    spec = {"workload": "CronJob/export", "active_deadline": {"min": 3600}}
    on_job = CRONJOB.replace("      backoffLimit: 2\n", "      backoffLimit: 2\n      activeDeadlineSeconds: 7200\n")
    assert _evaluate(spec, {"m.yaml": on_job}).ok
    on_pod = CRONJOB.replace("          restartPolicy: Never\n", "          restartPolicy: Never\n"
                             "          activeDeadlineSeconds: 7200\n")  # fmt: skip
    result = _evaluate(spec, {"m.yaml": on_pod})
    assert not result.ok and "one attempt" in result.detail
    assert _evaluate(spec, {"m.yaml": on_pod.replace("backoffLimit: 2", "backoffLimit: 0")}).ok  # no retry
    # The rule is still quiet for either: a pod deadline bounds a hung attempt.
    assert "kubernetes/job-without-deadline" not in {f.rule for f in check_files({"m.yaml": on_pod}).findings}
    suspended = {"workload": "CronJob/export", "not_suspended": True}
    assert _evaluate(suspended, {"m.yaml": CRONJOB}).ok
    for value, ok in (("false", True), ("true", False)):
        files = {"m.yaml": CRONJOB.replace("spec:\n  schedule", f"spec:\n  suspend: {value}\n  schedule")}
        assert _evaluate(suspended, files).ok is ok


def test_never_written_reads_comments_and_base64():
    spec = {"workload": "Deployment/web", "never_written": ["s3cr3t-Value"]}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT}).ok
    assert not _evaluate(spec, {"m.yaml": "# was s3cr3t-Value\n" + DEPLOYMENT}).ok
    encoded = base64.b64encode(b"s3cr3t-Value").decode()
    result = _evaluate(spec, {"m.yaml": DEPLOYMENT + f"---\n# {encoded}\n"})
    assert not result.ok and "base64" in result.detail and result.line is not None


def test_not_privileged_needs_escalation_switched_off_and_reads_the_pods_user():
    spec = {"workload": "Deployment/web", "containers": {"not_privileged": True}}
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT}).ok  # allowPrivilegeEscalation unset: allowed
    off = DEPLOYMENT + "          securityContext: {allowPrivilegeEscalation: false}\n"
    assert _evaluate(spec, {"m.yaml": off}).ok
    pod_root = off.replace("    spec:\n      containers:", "    spec:\n      securityContext: {runAsUser: 0}\n"
                           "      containers:")  # fmt: skip
    assert "user 0" in _evaluate(spec, {"m.yaml": pod_root}).detail
    own_user = pod_root.replace("{allowPrivilegeEscalation: false}", "{allowPrivilegeEscalation: false, "
                                "runAsUser: 1000}")  # fmt: skip
    assert _evaluate(spec, {"m.yaml": own_user}).ok  # the container's own user wins


@pytest.mark.parametrize(
    ("probe", "ok"),
    [("{httpGet: {path: /livez, port: 8080}}", True), ("{tcpSocket: {port: 9999}}", False),
     ("{httpGet: {path: /livez, port: http}}", False),
     ('{exec: {command: [sh, -c, "curl -fs http://localhost:8080/health"]}}', False),
     ('{exec: {command: [wget, -qO-, "127.0.0.1:8080/livez"]}}', True)],
)  # fmt: skip
def test_liveness_asks_a_declared_port_and_an_exec_probe_asks_its_urls(probe, ok):
    spec = {"workload": "Deployment/web", "containers": {"liveness": {"avoid_paths": ["/health"]}}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + f"          livenessProbe: {probe}\n"}).ok is ok


@pytest.mark.parametrize(
    ("command", "seconds"),
    [('["sleep", "15"]', 15), ('["/bin/sleep", "15"]', 15), ('["sleep 15"]', None), ('["sh", "-c", "sleep 15"]', 15),
     ('["sh", "-c", "sleep 15 &"]', None), ('["/bin/sh", "-ec", "echo bye; sleep 12"]', 12)],
)  # fmt: skip
def test_a_pre_stop_sleep_is_read_as_the_hook_runs_it(command, seconds):
    hook = f"          lifecycle: {{preStop: {{exec: {{command: {command}}}}}}}\n"
    (model,) = build_models({"m.yaml": DEPLOYMENT + hook}, "kubernetes")
    sleep = model.workloads[0].pod.containers[0].pre_stop_sleep_s
    assert (sleep.value if sleep else None) == seconds


def test_image_digests_must_be_valid_and_docker_hub_hosts_are_one():
    digest = "sha256:" + "ab" * 32
    spec = {"workload": "Deployment/web", "containers": {"image_matches": ["envoyproxy/envoy:v1.31.2@sha256:*"]}}
    images = (
        (f"envoyproxy/envoy:v1.31.2@{digest}", True),
        (f"index.docker.io/envoyproxy/envoy:v1.31.2@{digest}", True),
        ("envoyproxy/envoy:v1.31.2@sha256:abc123", False),
        (f"quay.io/envoyproxy/envoy:v1.31.2@{digest}", False),
    )
    for image, ok in images:
        files = {"m.yaml": DEPLOYMENT.replace("registry.example.com/web:1.0.0", image)}
        assert _evaluate(spec, files).ok is ok, image
    pinned = {"workload": "Deployment/web", "containers": {"image_pinned": True}}
    bad = DEPLOYMENT.replace("registry.example.com/web:1.0.0", "registry.example.com/web@sha256:XYZ")
    assert "cannot be pulled" in _evaluate(pinned, {"m.yaml": bad}).detail


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n"
        "    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go@sha256:" + "a" * 64 + "}]\n",
        "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: train}\nspec: {tasks: []}\n",
    ],
)
def test_a_custom_resource_that_shares_a_kind_name_is_not_a_removed_api(text):
    report = check_files({"k8s/custom.yaml": text}, topic="kubernetes")
    assert not [f for f in report.findings if f.rule == "invalid-value"]


def test_a_removed_api_version_says_which_version_replaces_it():
    text = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: '0 1 * * *'}\n"
    findings = check_files({"k8s/c.yaml": text}, topic="kubernetes").findings
    (finding,) = [f for f in findings if f.rule == "invalid-value"]
    assert "batch/v1" in finding.message and finding.fix.startswith("Change apiVersion to batch/v1")
