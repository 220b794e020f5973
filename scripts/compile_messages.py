"""Compile each .po catalogue whose .mo is missing or older than it (the .mo files are not
committed), with polib: no gettext binaries and no Django start (a fraction of a second
when nothing changed). Used by the run and test commands and by tests/conftest.py.
    .venv/bin/python scripts/compile_messages.py
"""

import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def compile_catalogues(root: Path = ROOT) -> list[Path]:
    """Returns the catalogues it compiled."""
    compiled = []
    for po in sorted(root.glob("*/locale/*/LC_MESSAGES/*.po")) + sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        if po.relative_to(root).parts[0].startswith(".") or "node_modules" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written aside then renamed: the test workers (pytest -n) may compile at the same time.
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        polib.pofile(str(po)).save_as_mofile(str(partial))
        os.replace(partial, mo)
        compiled.append(po)
    return compiled


if __name__ == "__main__":
    compile_catalogues(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
