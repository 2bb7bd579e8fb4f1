"""Run Beancount's own checker, `bean-check`, on a ledger file: the proof is Beancount's, not ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BeanCheck:
    passed: bool
    output: str


def bean_check_executable() -> Path:
    """The `bean-check` installed beside this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("bean-check")
    if beside.exists():
        return beside
    found = shutil.which("bean-check")
    if found is None:
        raise FileNotFoundError("bean-check not found: install Beancount into the project's environment "
                                "(uv pip install beancount)")
    return Path(found)


def bean_check(path: Path, timeout_seconds: float = 600) -> BeanCheck:
    done = subprocess.run([str(bean_check_executable()), str(path)], capture_output=True, text=True,
                          timeout=timeout_seconds)
    return BeanCheck(passed=done.returncode == 0, output=(done.stdout + done.stderr).strip())
