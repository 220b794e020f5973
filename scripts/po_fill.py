"""Fill untranslated entries of every Chinese catalogue from the others.

When code moves between apps its strings move catalogues: makemessages adds them empty to
the new app's catalogue and drops them from the old one. This copies each translation
across (a translation memory made of every catalogue in the tree and, with --rev, of the
catalogues at a git revision), so a move never needs re-translating. Prints what is still
untranslated.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def catalogues(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def memory(paths: list[Path]) -> dict[tuple[str | None, str], polib.POEntry]:
    known: dict[tuple[str | None, str], polib.POEntry] = {}
    for path in paths:
        for entry in polib.pofile(str(path)):
            if entry.translated() and "fuzzy" not in entry.flags:
                known.setdefault((entry.msgctxt, entry.msgid), entry)
    return known


def at_revision(rev: str) -> list[Path]:
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    out = []
    tmp = Path(tempfile.mkdtemp())
    for i, name in enumerate(n for n in names if n.endswith("locale/zh_Hans/LC_MESSAGES/django.po")):
        text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        path = tmp / f"{i}.po"
        path.write_text(text)
        out.append(path)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", action="append", default=[], help="also learn from the catalogues at this git revision")
    args = parser.parse_args()
    paths = catalogues(ROOT)
    sources = list(paths)
    for rev in args.rev:
        sources += at_revision(rev)
    known = memory(sources)
    missing = 0
    for path in paths:
        po = polib.pofile(str(path))
        changed = False
        for entry in po:
            if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            hit = known.get((entry.msgctxt, entry.msgid))
            if hit is None:
                missing += 1
                print(f"untranslated: {path.relative_to(ROOT)}: {entry.msgid!r}")
                continue
            entry.msgstr = hit.msgstr
            entry.msgstr_plural = dict(hit.msgstr_plural)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            changed = True
        if changed:
            po.save(str(path))
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
