"""What makes a sign-in password acceptable: long enough and not one people choose most often."""

from __future__ import annotations

import functools
from pathlib import Path

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, casefolded."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, name: str = "") -> str | None:
    """Why *password* may not be used (for the account *name*), or ``None`` when it may."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if password.strip() != password:
        return "a password may not start or end with spaces"
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) < 4:
        return "this password is among the most common ones; choose another"
    if name and name.casefold() in folded:
        return "a password may not contain the account's name"
    return None
