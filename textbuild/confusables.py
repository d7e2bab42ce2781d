"""Build `confusables_latin.json` from the pinned `confusable_homoglyphs` package (build time only).

The package ships Unicode's confusables.txt (UTS #39) as JSON (900 KB, 9,600 entries). The
Lambda only needs the letters that look like a Latin letter, so this keeps the ~1,300 of them
whose look-alike is one ASCII letter and that are not themselves Latin letters (é stays é).
`tests/unit/test_normalise.py` rebuilds the table and fails if it drifts from the package.
Run: `.venv/bin/python -m textbuild.confusables`.
"""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

TABLE = Path(__file__).resolve().parents[1] / "chalicelib" / "text" / "confusables_latin.json"


def build() -> dict[str, str]:
    """Non-Latin character -> the ASCII letter it is confusable with, from the package data."""
    import confusable_homoglyphs

    source = Path(os.path.dirname(confusable_homoglyphs.__file__)) / "confusables.json"
    entries = json.loads(source.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, homoglyphs in sorted(entries.items()):
        if len(char) != 1 or char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
            continue
        if not unicodedata.category(char).startswith("L"):
            continue
        latin = sorted(h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()
                       and h["c"].isalpha())
        if latin:
            table[char] = latin[0].lower() if char.islower() else latin[0]
    for char, latin in list(table.items()):  # к from К: lower case of a capital look-alike
        lower = char.lower()
        if len(lower) == 1 and lower != char and lower not in table:
            table[lower] = latin.lower()
    return dict(sorted(table.items()))


def serialise(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def main() -> None:
    TABLE.write_text(serialise(build()), encoding="utf-8")
    print(f"wrote {TABLE}")


if __name__ == "__main__":
    main()
