from __future__ import annotations

from collections.abc import Iterator

from courseware.footguns.kubernetes.model import Manifests
from courseware.footguns.kubernetes.rules._facts import label
from courseware.footguns.rule import Context, Hit, Rule


def tag_of(image: str) -> str | None:
    """The image's tag; "" for none, None when it is pinned by digest."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


def check(model: Manifests, context: Context) -> Iterator[Hit]:
    for workload in model.workloads:
        for container in workload.pod.containers:
            if container.image is None or not isinstance(container.image.value, str):
                continue
            image = container.image.value
            tag = tag_of(image)
            if tag is None or (tag and tag != "latest"):
                continue
            said = "no tag, which means latest" if tag == "" else "the tag latest"
            yield Hit(
                file=container.image.file,
                line=container.image.line,
                resource=workload.ref,
                message=(
                    f"{label(workload, container)} runs {image}, with {said}. The image is pulled again on "
                    "every start, replicas on different nodes can run different builds, and a rollback "
                    "to 'latest' goes nowhere."
                ),
                fix="Use an immutable tag per build (a version or commit) or pin the digest (image@sha256:...).",
            )


RULE = Rule(
    id="kubernetes/mutable-image-tag",
    footgun="kubernetes/mutable-image-tag",
    severity="warning",
    summary="An image without a tag or tagged latest can differ from pod to pod.",
    formats=("kubernetes",),
    check=check,
)
