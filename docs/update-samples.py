#!/usr/bin/env python3
"""Regenerates the README's sample outputs from real runs of the built binary.

Each sample in README.md sits between
    <!-- sample: ARGUMENTS -->
and
    <!-- end sample -->
as a fenced block that starts with `$ tcpflow-audit ARGUMENTS` and holds what that command wrote
to standard output, run from the repository's root. The test suite (ReadmeSampleTests) runs the
same commands and fails when a sample no longer matches; then run

    python3 docs/update-samples.py "$(swift build --show-bin-path)/tcpflow-audit"
"""
import re
import shlex
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/tcpflow-audit")
readme = root / "README.md"
text = readme.read_text()
pattern = re.compile(r"(<!-- sample: (.*?) -->\n)```\n.*?```\n(<!-- end sample -->)", re.S)


def render(match):
    arguments = match.group(2)
    output = subprocess.run([binary] + shlex.split(arguments), cwd=root, capture_output=True, text=True).stdout
    return f"{match.group(1)}```\n$ tcpflow-audit {arguments}\n{output}```\n{match.group(3)}"


updated, count = pattern.subn(render, text)
readme.write_text(updated)
print(f"{count} samples regenerated", file=sys.stderr)
