"""Set Chinese translations in a catalogue from a JSON object {msgid: msgstr}.

    .venv/bin/python scripts/po_set.py core/locale/zh_Hans/LC_MESSAGES/django.po new.json

Prints what is still untranslated in that catalogue.
"""

import json
import sys

import polib


def main() -> int:
    path, pairs_file = sys.argv[1], sys.argv[2]
    with open(pairs_file, encoding="utf-8") as fh:
        pairs = json.load(fh)
    po = polib.pofile(path)
    for entry in po:
        if entry.msgid in pairs:
            if entry.msgid_plural:  # Chinese has one plural form
                entry.msgstr_plural = {0: pairs[entry.msgid]}
            else:
                entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(path)
    left = [e.msgid for e in po if not e.obsolete and not e.translated()]
    print("left untranslated:", left)
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())
