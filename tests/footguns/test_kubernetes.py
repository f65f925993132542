"""Kubernetes manifests: recognition, the shapes real tools print, the model, and the accept: vocabulary."""

from __future__ import annotations

import subprocess
import sys

import pytest

from courseware.footguns.engine import check_files
from courseware.footguns.kubernetes import requirements
from courseware.footguns.kubernetes.rules.cronjob_allows_overlap import interval_s
from tests.footguns.test_hostile_input import BOMB

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0.0
          ports: [{containerPort: 8080}]
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 256Mi}
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""


def _rules(report):
    return sorted((f.rule, f.line) for f in report.findings)


def test_helm_template_output_with_source_comments_and_empty_documents():
    stream = (
        "---\n# Source: web/templates/empty.yaml\n---\n# Source: web/templates/service.yaml\n" + SERVICE
        + "---\n# Source: web/templates/deployment.yaml\n" + DEPLOYMENT + "---\n"
    )  # fmt: skip
    report = check_files({"rendered.yaml": stream})
    (result,) = report.files
    assert (result.format, result.status) == ("kubernetes", "ok")
    # The Service and Deployment are read together: the readiness probe is missing behind the Service.
    assert ("kubernetes/missing-readiness-probe", 25) in _rules(report)
    assert report.resources == ["Deployment/web", "Service/web"]


def test_kind_list_is_unwrapped_with_lines():
    items = "apiVersion: v1\nkind: List\nmetadata: {resourceVersion: ''}\nitems:\n"
    items += "".join("  - " + line + "\n" if i == 0 else "    " + line + "\n"
                     for i, line in enumerate(SERVICE.splitlines()))  # fmt: skip
    report = check_files({"list.yaml": items, "deploy.yaml": DEPLOYMENT})
    assert {r.format for r in report.files} == {"kubernetes"}
    # Files of one folder are one unit: the Service in the list selects the Deployment in the other file.
    assert ("kubernetes/missing-readiness-probe", 12) in _rules(report)


def test_json_manifest_and_template_are_told_apart():
    manifest = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"selector": {"app": "y"}}}'
    template = '{"Resources": {}}'
    report = check_files({"svc.json": manifest, "t.json": template})
    assert {r.path: r.format for r in report.files} == {"svc.json": "kubernetes", "t.json": "cloudformation"}


def test_a_yaml_file_that_is_neither_is_unknown_and_a_broken_one_says_where():
    report = check_files({"ci.yaml": "on: push\njobs: {}\n", "bad.yaml": "apiVersion: v1\nkind: [\n"})
    by_path = {r.path: r for r in report.files}
    assert (by_path["ci.yaml"].format, by_path["ci.yaml"].status) == ("unknown", "ok")
    assert by_path["bad.yaml"].status == "parse_error" and by_path["bad.yaml"].error["line"] is not None


def test_hostile_input_holds_across_documents():
    bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n" + BOMB
    (result,) = check_files({"bomb.yaml": bomb}).files
    assert result.status == "rejected"


def test_unset_namespaces_match_and_workloads_elsewhere_are_unknown():
    other = SERVICE.replace("name: web\n", "name: web\n  namespace: shop\n", 1)
    report = check_files({"svc.yaml": other})
    assert not [f for f in report.findings if f.rule == "kubernetes/service-selector-no-match"]


def test_stdin_with_a_filename(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "courseware.footguns", "--format", "json", "-"],
        input=(SERVICE + "---\n" + DEPLOYMENT).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert b'"format": "kubernetes"' in result.stdout
    assert b"kubernetes/missing-readiness-probe" in result.stdout


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [("*/5 * * * *", 300), ("@hourly", 3600), ("0 2 * * *", 86400), ("15 * * * *", 3600), ("0 9 * * 1-5", None)],
)
def test_cron_intervals(schedule, seconds):
    assert interval_s(schedule) == seconds


@pytest.mark.parametrize(
    ("value", "expected"), [("250m", "0.250"), ("1", "1"), (2, "2"), ("512Mi", "536870912"), ("1G", "1000000000"),
                            ("²", None), ("1e3", None), (True, None)]
)  # fmt: skip
def test_quantities(value, expected):
    result = requirements.quantity(value)
    assert (str(result) if result is not None else None) == expected


def _evaluate(spec, files):
    report = check_files(files, requirements=[{**spec, "message": "asked"}], topic="kubernetes")
    (result,) = report.requirements
    return result


def test_requirements_read_the_model():
    files = {"m.yaml": SERVICE + "---\n" + DEPLOYMENT}
    assert _evaluate({"workload": "Deployment/web", "replicas": {"min": 2}}, files).ok
    assert _evaluate({"service": "web", "selects": "Deployment/web"}, files).ok
    assert _evaluate({"workload": "Deployment/web", "containers": {"requests": {"cpu": {"min": "200m"}}}}, files).ok
    low = _evaluate({"workload": "Deployment/web", "containers": {"requests": {"cpu": {"min": "500m"}}}}, files)
    assert not low.ok and low.line == 24 and "250m" in low.detail
    assert not _evaluate({"workload": "Deployment/web", "containers": {"readiness": True}}, files).ok
    missing = _evaluate({"workload": "Deployment/gone", "replicas": {"min": 1}}, files)
    assert not missing.ok and "not in your files" in missing.detail


def test_disruption_budget_counts_what_it_allows():
    budget = (
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
        "spec:\n  {rule}\n  selector: {{matchLabels: {{app: web}}}}\n"
    )
    spec = {"workload": "Deployment/web", "disruption_budget": {"allows": {"min": 1}}}
    for rule, ok in (("minAvailable: 2", False), ("minAvailable: 1", True), ("maxUnavailable: 0", False),
                     ("maxUnavailable: 50%", True), ("minAvailable: 100%", False)):  # fmt: skip
        files = {"m.yaml": DEPLOYMENT + "---\n" + budget.replace("{rule}", rule).replace("{{", "{").replace("}}", "}")}
        assert _evaluate(spec, files).ok is ok, rule


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"workload": "web", "replicas": {"min": 1}}, "<Kind>/<name>"),
        ({"workload": "Deployment/web", "replica": {"min": 1}}, "unknown key"),
        ({"workload": "Deployment/web", "containers": {"requests": {"gpu": {"min": 1}}}}, "cpu"),
        ({"workload": "Deployment/web", "concurrency_policy": ["Sometimes"]}, "Forbid"),
        ({"service": "web", "workload": "Deployment/web", "replicas": {"min": 1}}, "exactly one subject"),
    ],
)
def test_vocabulary_refuses_bad_requirements(spec, words):
    problems = requirements.validate({**spec, "message": "m"})
    assert any(words in message for _, message in problems), problems


def test_labels_need_the_pod_template_and_the_workload_selector():
    files = {"m.yaml": DEPLOYMENT}
    assert _evaluate({"workload": "Deployment/web", "labels": {"app": "web"}}, files).ok
    assert not _evaluate({"workload": "Deployment/web", "labels": {"app": "shop"}}, files).ok
    # The template relabelled, the Deployment's own selector left behind: the API server refuses it.
    half = DEPLOYMENT.replace("metadata: {labels: {app: web}}", "metadata: {labels: {app: shop}}")
    result = _evaluate({"workload": "Deployment/web", "labels": {"app": "shop"}}, {"m.yaml": half})
    assert not result.ok and "selector" in result.detail and result.line == 7


def test_service_selector_is_exact():
    files = {"m.yaml": SERVICE + "---\n" + DEPLOYMENT}
    assert _evaluate({"service": "web", "selector": {"app": "web"}}, files).ok
    assert not _evaluate({"service": "web", "selector": {"app": "web", "tier": "api"}}, files).ok


def test_drain_time_is_the_grace_period_after_the_longest_pre_stop_sleep():
    hook = "          lifecycle: {preStop: {sleep: {seconds: 10}}}\n"
    spec = {"workload": "Deployment/web", "drain_time": {"min": 25}}
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + hook}).ok  # 30 s default - 10 s = 20 s
    longer = DEPLOYMENT.replace("      containers:\n", "      terminationGracePeriodSeconds: 30\n      containers:\n")
    assert not _evaluate(spec, {"m.yaml": longer + hook}).ok
    assert _evaluate(spec, {"m.yaml": longer.replace("Seconds: 30", "Seconds: 45") + hook}).ok


def test_host_paths_only_those_and_read_only():
    pod = (
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: a}}\n"
        "  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers:\n        - name: a\n"
        "          image: a:1.0\n          volumeMounts: [{name: logs, mountPath: /var/log, readOnly: RO}]\n"
        "      volumes: [{name: logs, hostPath: {path: PATH}}]\n"
    )
    spec = {"workload": "DaemonSet/agent", "host_paths": {"only": ["/var/log"], "read_only": True}}
    assert _evaluate(spec, {"m.yaml": pod.replace("RO", "true").replace("PATH", "/var/log/")}).ok
    assert not _evaluate(spec, {"m.yaml": pod.replace("RO", "false").replace("PATH", "/var/log")}).ok
    assert not _evaluate(spec, {"m.yaml": pod.replace("RO", "true").replace("PATH", "/var")}).ok


def test_secret_env_comes_from_a_secret_not_written_in_the_files():
    env = "          env:\n            - name: DB_PASSWORD\n              valueFrom: {KIND: {name: db, key: pw}}\n"
    spec = {"workload": "Deployment/web", "containers": {"secret_env": ["DB_PASSWORD"]}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + env.replace("KIND", "secretKeyRef")}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + env.replace("KIND", "configMapKeyRef")}).ok
    written = "---\napiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {pw: hunter2}\n"
    result = _evaluate(spec, {"m.yaml": DEPLOYMENT + env.replace("KIND", "secretKeyRef") + written})
    assert not result.ok and result.line == 25


@pytest.mark.parametrize(
    ("command", "ok"),
    [('["java", "-jar", "app.jar"]', True), ('["sh", "-c", "export X=1; exec java -jar app.jar"]', True),
     ('["sh", "-c", "exec 2>&1; java -jar app.jar"]', False), ('["sh", "-c", "java -jar app.jar"]', False)],
)  # fmt: skip
def test_exec_form_means_the_script_ends_in_exec(command, ok):
    files = {"m.yaml": DEPLOYMENT + f"          command: {command}\n"}
    assert _evaluate({"workload": "Deployment/web", "containers": {"exec_form": True}}, files).ok is ok


def test_image_matches_and_liveness_avoid_paths():
    spec = {"workload": "Deployment/web", "containers": {"image_matches": ["registry.example.com/web:1.0.0"]}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT.replace("web:1.0.0", "web:1.0")}).ok
    probe = "          livenessProbe: {httpGet: {path: /health/, port: 8080}, failureThreshold: 6}\n"
    spec = {"workload": "Deployment/web", "containers": {"liveness": {"avoid_paths": ["/health"]}}}
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + probe}).ok
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + probe.replace("/health/", "/livez")}).ok


def test_workload_selector_is_exact():
    files = {"m.yaml": DEPLOYMENT}
    assert _evaluate({"workload": "Deployment/web", "selector": {"app": "web"}}, files).ok
    changed = DEPLOYMENT.replace("selector: {matchLabels: {app: web}}", "selector: {matchLabels: {app: web, v: '2'}}")
    assert not _evaluate({"workload": "Deployment/web", "selector": {"app": "web"}}, {"m.yaml": changed}).ok


def test_secret_env_can_name_the_secret_and_key():
    env = "          env:\n            - name: DB_PASSWORD\n"
    env += "              valueFrom: {secretKeyRef: {name: db, key: KEY}}\n"
    spec = {"workload": "Deployment/web", "containers": {"secret_env": {"DB_PASSWORD": "db/password"}}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + env.replace("KEY", "password")}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + env.replace("KEY", "api-key")}).ok
    assert _evaluate({**spec, "containers": {"secret_env": {"DB_PASSWORD": "db"}}},
                     {"m.yaml": DEPLOYMENT + env.replace("KEY", "api-key")}).ok  # fmt: skip
    assert requirements.validate({**spec, "containers": {"secret_env": {"X": "a/b/c"}}, "message": "m"})


def test_replicas_ceiling_reads_the_autoscaler():
    hpa = (
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
        "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: MAX\n"
    )
    spec = {"workload": "Deployment/web", "replicas_ceiling": {"max": 3}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT}).ok  # replicas: 2
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + hpa.replace("MAX", "3")}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + hpa.replace("MAX", "10")}).ok


def test_the_author_guide_documents_every_property():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = guide.split("#### Kubernetes requirements", 1)[1].split("### ", 1)[0]
    keys = requirements.WORKLOAD_KEYS | requirements.CONTAINER_KEYS | requirements.SERVICE_KEYS
    missing = [key for key in sorted(keys - {"container", "containers"}) if f"`{key}" not in section]
    assert not missing, missing


def test_host_namespaces_capabilities_and_commands():
    spec_ns = {"workload": "Deployment/web", "no_host_namespaces": True}
    assert _evaluate(spec_ns, {"m.yaml": DEPLOYMENT}).ok
    shared = DEPLOYMENT.replace("      containers:\n", "      hostPID: true\n      containers:\n")
    result = _evaluate(spec_ns, {"m.yaml": shared})
    assert not result.ok and result.line == 11 and "hostPID" in result.detail
    caps = DEPLOYMENT + "          securityContext: {capabilities: {drop: [ALL], add: [SYS_ADMIN]}}\n"
    spec_caps = {"workload": "Deployment/web", "containers": {"no_added_capabilities": True}}
    assert _evaluate(spec_caps, {"m.yaml": DEPLOYMENT}).ok
    assert "SYS_ADMIN" in _evaluate(spec_caps, {"m.yaml": caps}).detail
    run = DEPLOYMENT + '          command: ["node", "server.js"]\n'
    spec_run = {"workload": "Deployment/web", "commands_mention": ["server.js", "render-config.js"]}
    assert not _evaluate(spec_run, {"m.yaml": run}).ok
    assert _evaluate(spec_run, {"m.yaml": run.replace('"server.js"', '"render-config.js && exec server.js"')}).ok


def test_a_budget_with_both_fields_is_refused():
    budget = (
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
        "spec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n"
    )
    result = _evaluate({"workload": "Deployment/web", "disruption_budget": {"allows": {"min": 1}}},
                       {"m.yaml": DEPLOYMENT + budget})  # fmt: skip
    assert not result.ok and "both" in result.detail


def test_liveness_only_paths_leave_other_handlers_alone():
    probe = "          livenessProbe: {httpGet: {path: PATH, port: 8080}}\n"
    spec = {"workload": "Deployment/web", "containers": {"liveness": {"only_paths": ["/livez"]}}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + probe.replace("PATH", "/livez")}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + probe.replace("PATH", "/health/db")}).ok
    tcp = "          livenessProbe: {tcpSocket: {port: 8080}}\n"
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + tcp}).ok


def test_a_request_above_its_limit_is_refused():
    above = DEPLOYMENT.replace(
        "memory: 256Mi}\n            limits: {memory: 256Mi}", "memory: 2Gi}\n            limits: {memory: 1Gi}"
    )
    spec = {"workload": "Deployment/web", "containers": {"limits": {"memory": {"min": "512Mi"}}}}
    result = _evaluate(spec, {"m.yaml": above})
    assert not result.ok and "API refuses" in result.detail


def test_whole_numbers_written_as_strings_are_refused():
    quoted = DEPLOYMENT.replace("replicas: 2", 'replicas: "2"')
    result = _evaluate({"workload": "Deployment/web", "replicas": {"min": 2}}, {"m.yaml": quoted})
    assert not result.ok and "without quotes" in result.detail and result.line == 6


def test_privileges_count_in_init_containers_too():
    init = DEPLOYMENT.replace(
        "      containers:\n",
        "      initContainers:\n        - name: setup\n          image: busybox:1.37.0\n"
        "          securityContext: {capabilities: {add: [SYS_ADMIN]}}\n      containers:\n",
    )
    spec = {"workload": "Deployment/web", "containers": {"no_added_capabilities": True}}
    assert not _evaluate(spec, {"m.yaml": init}).ok
    # Other container properties still hold for the containers that serve, not for init containers.
    limits = {"workload": "Deployment/web", "containers": {"limits": {"memory": {"min": "128Mi"}}}}
    assert _evaluate(limits, {"m.yaml": init}).ok  # the init container sets no limit


def test_readiness_only_paths():
    probe = "          readinessProbe: {httpGet: {path: PATH, port: 8080}}\n"
    spec = {"workload": "Deployment/web", "containers": {"readiness": {"only_paths": ["/ready"]}}}
    assert _evaluate(spec, {"m.yaml": DEPLOYMENT + probe.replace("PATH", "/ready")}).ok
    assert not _evaluate(spec, {"m.yaml": DEPLOYMENT + probe.replace("PATH", "/livez")}).ok
    tcp = "          readinessProbe: {tcpSocket: {port: 8080}}\n"
    assert "tcp check" in _evaluate(spec, {"m.yaml": DEPLOYMENT + tcp}).detail


def test_a_manifest_that_a_template_test_also_claims_is_still_read_as_a_manifest():
    ingress = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n"
        "    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n"
        "              service:\n                name: web\n                port: {number: 80}\n"
    )
    report = check_files({"all.yaml": ingress + "---\n" + SERVICE})
    assert (report.files[0].format, report.files[0].status) == ("kubernetes", "ok")


def test_a_whole_document_indented_is_still_recognised():
    template = "  AWSTemplateFormatVersion: '2010-09-09'\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n"
    manifest = "".join("  " + line + "\n" for line in SERVICE.splitlines())
    report = check_files({"t.yaml": template, "m.yaml": manifest})
    assert {r.path: r.format for r in report.files} == {"t.yaml": "cloudformation", "m.yaml": "kubernetes"}


def test_a_bare_pods_labels_are_what_services_select():
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n  labels: {app.kubernetes.io/name: proxy}\n"
        "spec:\n  containers:\n    - name: nginx\n      image: nginx:1.27\n      ports: [{containerPort: 80}]\n"
    )
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app.kubernetes.io/name: proxy}\n"
    )
    rules = {f.rule for f in check_files({"m.yaml": pod + "---\n" + service}).findings}
    assert "kubernetes/service-selector-no-match" not in rules
    assert "kubernetes/missing-readiness-probe" in rules
