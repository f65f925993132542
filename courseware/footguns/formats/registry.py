"""The one list of config formats: the CLI, rule fixtures, content validation, rendering and feedback read it.

Plain data, no parser imported: each format names how it is written (file suffixes), the fixture extension that
stands for it in rule tests, and the Pygments lexer that highlights it. Which parser reads a file is decided by
`courseware.footguns.loading` from the name and then the content (a `.yaml` file that is neither a template nor
a serverless.yml is reported as unknown, never parsed as SAM).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    fixture_extension: str
    lexer: str


FORMATS: tuple[Format, ...] = (
    Format("sam", "SAM YAML", "yaml", "yaml"),
    Format("cloudformation", "CloudFormation JSON or YAML", "json", "json"),
    Format("terraform", "Terraform HCL", "tf", "terraform"),
    Format("serverless", "serverless.yml", "yml", "yaml"),
    Format("python", "Python handler code", "py", "python"),
    Format("kubernetes", "Kubernetes manifests", "k8s.yaml", "yaml"),
)
BY_NAME = {f.name: f for f in FORMATS}
NAMES = tuple(BY_NAME)
# Course snippets may also show plain JSON (an IAM policy, an event), which no rule reads.
SNIPPET_LEXERS = {**{f.name: f.lexer for f in FORMATS}, "json": "json", "hcl": "terraform"}
_SUFFIX_LEXERS = {".json": "json", ".tf": "terraform", ".py": "python", ".yaml": "yaml", ".yml": "yaml"}


def lexer_for_path(path: str) -> str:
    """The lexer for a learner's file by its name (YAML where the suffix says nothing)."""
    return _SUFFIX_LEXERS.get(PurePosixPath(path).suffix.lower(), "yaml")
