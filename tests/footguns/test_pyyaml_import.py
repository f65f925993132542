"""The engine imports PyYAML through parsers/pyyaml.py, which defers one costly regular expression (issue 12)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
import re, sys
{setup}
import yaml
pattern = yaml.reader.Reader.NON_PRINTABLE
assert type(pattern).__name__ == "CompiledOnFirstUse", type(pattern)
assert re.compile.__module__ == "re", "re.compile was not restored"
assert pattern.search("ok\\x01") is not None and pattern.search("ok \\u00e9") is None
try:
    yaml.load("a: \\x01", Loader=yaml.SafeLoader)
except yaml.reader.ReaderError:
    pass
else:
    raise AssertionError("the pure-Python reader no longer refuses control characters")
print("deferred")
"""


def _run(setup: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHECK.format(setup=setup)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    "setup",
    [
        "from courseware.footguns.parsers.pyyaml import yaml",
        # The CLI's whole path, on a template: nothing on it imports PyYAML before the engine's module does.
        "from courseware.footguns import cli\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['content/aws-lambda/exercises/export-visibility-timeout/starter/template.yaml'])",
    ],
)
def test_the_reader_expression_is_compiled_on_first_use_and_still_works(setup):
    result = _run(setup)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("deferred")


def test_a_process_that_imported_pyyaml_first_keeps_it_as_it_is():
    result = subprocess.run(
        [sys.executable, "-c", "import yaml\nfrom courseware.footguns.parsers.pyyaml import yaml as ours\n"
         "assert ours is yaml and type(yaml.reader.Reader.NON_PRINTABLE).__name__ == 'Pattern'"],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
