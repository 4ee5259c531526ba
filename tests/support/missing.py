"""What a test does when a server it needs cannot run here: skip on a developer's machine, fail in CI."""

from __future__ import annotations

import os
import typing as t

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> t.NoReturn:
    """Skip with *reason*; with ``CI=true`` fail instead (nothing may skip there)."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)
