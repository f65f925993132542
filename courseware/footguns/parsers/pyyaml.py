"""PyYAML for the engine, imported without the one cost it charges every process for a part the engine never uses.

`import yaml` compiles the regular expression with which PyYAML's pure-Python reader refuses unprintable
characters: a large Unicode class whose compilation is a third of a one-file CLI run's instructions (about 69 M
of 413 M, `valgrind --tool=callgrind`). The engine reads YAML only through libyaml (CSafeLoader), which checks
characters in C and never touches that expression, so it is compiled on first use instead: anything that does use
the pure-Python reader still gets the same pattern. Everything in the engine imports PyYAML through this module.
"""

from __future__ import annotations

import re
import sys
from typing import Any

# PyYAML 6's yaml/reader.py, Reader.NON_PRINTABLE; a PyYAML that spells it differently is imported as it is.
NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


class CompiledOnFirstUse:
    """Stands for `re.compile(pattern, flags)` and compiles it the first time any attribute is asked for."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def _import_yaml() -> Any:
    if "yaml" in sys.modules:
        return sys.modules["yaml"]
    compile_now = re.compile

    def compile_deferring_the_reader_class(pattern: Any, flags: int = 0) -> Any:
        if pattern == NON_PRINTABLE and flags == 0:
            return CompiledOnFirstUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_deferring_the_reader_class  # only while PyYAML's modules run, restored below
    try:
        import yaml
    finally:
        re.compile = compile_now
    return yaml


yaml = _import_yaml()
ConstructorError = yaml.constructor.ConstructorError
MappingNode = yaml.nodes.MappingNode
ScalarNode = yaml.nodes.ScalarNode
SequenceNode = yaml.nodes.SequenceNode
