"""Compile the UI message catalogs (``translations/<locale>/LC_MESSAGES/messages.po``) to ``.mo``.

Run as ``python -m translations.build``; the compiled files are build output, not kept in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parent


def compile_catalogs(root: Path = HERE) -> list[Path]:
    """Compile every ``messages.po`` below *root* whose ``.mo`` is missing or older."""
    written = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main() -> int:
    written = compile_catalogs()
    for path in written:
        print(f"compiled {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
