"""The Kubernetes topic's engine package: workload manifests (multi-document YAML or JSON, `kind: List`, the
output of `helm template` and `kustomize build`), one model of workloads and what selects them, and the rules.

This module is what the registry imports: plain data and functions that import the rest when called.
"""

from __future__ import annotations

from courseware.footguns.kubernetes import readers
from courseware.footguns.topic import Format, Reader, TopicEngine, on_call

SLUG = "kubernetes"


ENGINE = TopicEngine(
    slug=SLUG,
    formats=(Format("kubernetes", "Kubernetes manifests", "yaml", "yaml"),),
    readers=(Reader(readers.SUFFIXES, readers.claims_manifest, readers.parse_manifests),),
    build_units=on_call("courseware.footguns.kubernetes.model", "build_units"),
    rules=on_call("courseware.footguns.kubernetes.rules", "RULES"),
    requirements=on_call("courseware.footguns.kubernetes.requirements"),
    sample_files={
        "manifests.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n"
            "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
            "    spec:\n      containers:\n        - name: web\n          image: web:1.0.0\n"
            "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
        )
    },
    sample_requirements=({"workload": "Deployment/web", "replicas": {"min": 2}, "message": "warm"},),
    preload=(
        "courseware.footguns.kubernetes.model",
        "courseware.footguns.kubernetes.rules",
        "courseware.footguns.kubernetes.requirements",
    ),
)
