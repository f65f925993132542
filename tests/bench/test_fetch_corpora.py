from __future__ import annotations

import hashlib
import io
import lzma
import re
import tarfile

import pytest

from bench import fetch_corpora


def test_a_plain_manifest_is_kept() -> None:
    assert fetch_corpora.kubernetes_manifest("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",  # a Helm template
        "apiVersion: v1\nkind: ConfigMap\n{% if x %}data: {}{% endif %}\n",  # a Jinja template
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
        "replicaCount: 2\nimage:\n  tag: latest\n",  # a values file
    ],
)
def test_templates_kustomizations_and_values_are_not_manifests(text: str) -> None:
    assert not fetch_corpora.kubernetes_manifest(text)


def _deb(files: dict[str, bytes]) -> bytes:
    payload = io.BytesIO()
    with tarfile.open(fileobj=payload, mode="w") as tar:
        for name, body in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    members = [
        (b"debian-binary", b"2.0\n"),
        (b"control.tar.xz", lzma.compress(b"")),
        (b"data.tar.xz", lzma.compress(payload.getvalue())),
    ]
    out = b"!<arch>\n"
    for name, body in members:
        out += name.ljust(16) + b"0".ljust(12) + b"0".ljust(6) + b"0".ljust(6) + b"100644".ljust(8)
        out += str(len(body)).encode().ljust(10) + b"`\n" + body + (b"\n" if len(body) % 2 else b"")
    return out


def test_files_are_read_from_a_debian_package_in_name_order() -> None:
    data = _deb({"./usr/share/x/testdata/b.tf": b"b", "./usr/share/x/testdata/a.tf": b"a"})
    source = fetch_corpora.Source("x", "https://example.invalid/x_1_all.deb", "", "MIT", ())
    assert list(fetch_corpora.members(source, data)) == [
        ("usr/share/x/testdata/a.tf", b"a"),
        ("usr/share/x/testdata/b.tf", b"b"),
    ]


def test_a_download_that_does_not_match_its_pin_is_refused_and_removed(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(fetch_corpora, "DOWNLOADS", tmp_path)
    (tmp_path / "pkg-1.0.tar.gz").write_bytes(b"tampered")
    source = fetch_corpora.Source("pkg", "https://example.invalid/pkg-1.0.tar.gz", "0" * 64, "MIT", ())
    with pytest.raises(SystemExit, match="is not the pinned"):
        fetch_corpora.download(source)
    assert not (tmp_path / "pkg-1.0.tar.gz").exists()


def test_a_download_that_matches_its_pin_is_used_without_the_network(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(fetch_corpora, "DOWNLOADS", tmp_path)
    (tmp_path / "pkg-1.0.tar.gz").write_bytes(b"good")
    pin = hashlib.sha256(b"good").hexdigest()
    source = fetch_corpora.Source("pkg", "https://example.invalid/pkg-1.0.tar.gz", pin, "MIT", ())
    assert fetch_corpora.download(source) == b"good"


def test_every_source_is_pinned_with_a_licence() -> None:
    for source in fetch_corpora.SOURCES:
        assert len(source.sha256) == 64 and source.url.startswith("https://"), source.name
        assert source.licence and source.picks, source.name


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("cluster/addons/dns/nodelocaldns/nodelocaldns.yaml", True),
        ("test/e2e/testing-manifests/statefulset/cassandra/statefulset.yaml", True),
        ("hack/testdata/deployment-revision1.yaml", True),
        ("staging/src/k8s.io/kubectl/testdata/apply/rc.yaml", True),
        ("staging/src/k8s.io/api/testdata/HEAD/apps.v1.Deployment.yaml", False),  # generated round-trip objects
        ("cmd/kubeadm/app/util/config/testdata/conversion/master/v1beta2.yaml", False),  # kubeadm's configuration
        ("hack/testdata/deployment-revision1.json", False),  # the benchmark reads YAML only
    ],
)
def test_the_kubernetes_tree_keeps_the_folders_of_manifests(path: str, kept: bool) -> None:
    assert (re.search(fetch_corpora.KUBERNETES_TREE, path) is not None) is kept
