"""One normalisation of a customer message, before every text rule (issue 16).

Two views, each with `origin[i]` = index in the original text of character i, so evidence
always quotes what the customer wrote:
- `reader(text)`: what a reader sees. Unicode NFKC (fullwidth `？` is `?`, ligatures split),
  invisible and format characters removed (zero-width, soft hyphen, bidi marks, BOM,
  variation selectors, blank-looking fillers), every line break as `\\n`, and look-alike
  letters folded to Latin inside words that are otherwise Latin (`kіll` with a Cyrillic
  `і`); a Cyrillic or Greek word stays as written, so language detection still sees it.
  Language detection and question counting read this view.
- `matching(reader view)`: for the lexicons and the classifier. Casefolded, diacritics
  removed, line breaks and `_` as spaces, leetspeak inside words undone (`k1ll` -> `kill`),
  letters spaced out or dotted collapsed (`k i l l`, `k.i.l.l` -> `kill`).
The confusables table is data built from a pinned package (see textbuild/confusables.py).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

CONFUSABLES = Path(__file__).with_name("confusables_latin.json")
LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"
INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
        "!": "i", "|": "l", "€": "e"}
SPELLING = {"’": "'", "‘": "'", "`": "'", "ʼ": "'", "œ": "oe", "æ": "ae", "ß": "ss", "ı": "i"}
"""Spellings folded for matching; `ı` is the one letter casefold leaves that IGNORECASE
would match as `i` (the lexicons match case-sensitively on the folded view)."""
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W\d_][ .\-_*+]){2,}[^\W\d_](?![^\W_])")
"""Three or more single letters, each followed by one separator: `k i l l`, `k.i.l.l`."""
_BLANK_RUN = re.compile(r"[\s_]+")  # `\s` is str.isspace(), character for character


@dataclass(frozen=True)
class Normalised:
    """A view of `source`; `origin[i]` is the source index of `text[i]`."""

    source: str
    text: str
    origin: tuple[int, ...]

    def evidence(self, start: int, end: int) -> str:
        """The customer's own characters behind text[start:end]."""
        if start >= end:
            return ""
        return self.source[self.origin[start] : self.origin[end - 1] + 1]


@cache
def confusables() -> dict[str, str]:
    return json.loads(CONFUSABLES.read_text(encoding="utf-8"))


@cache
def _folding() -> frozenset[str]:
    """The look-alikes that folding changes (the table also maps `k` to itself)."""
    return frozenset(char for char, latin in confusables().items() if char != latin)


def is_blank(value: str | None) -> bool:
    """Empty once invisible characters and spaces are removed (CMS-1: `" "`, a zero-width space)."""
    return not value or not reader(value).text.strip()


def reader(text: str) -> Normalised:
    """The text as a reader sees it: NFKC, invisibles gone, line breaks `\\n`, look-alikes folded."""
    if text.isascii() and not _ASCII_CONTROL.search(text):  # most messages: nothing to do
        return Normalised(text, text, tuple(range(len(text))))
    distinct = set(text)
    if all(map(_plain, distinct)):  # accents and the like, each already as a reader sees it
        if distinct.isdisjoint(_folding()):
            return Normalised(text, text, tuple(range(len(text))))
        chars = list(text)
        _fold_lookalikes(chars)
        return Normalised(text, "".join(chars), tuple(range(len(text))))
    chars: list[str] = []
    origin: list[int] = []
    after_cr = False
    for start, cluster in _clusters(text):
        for char in _nfkc(cluster):
            if char in LINE_BREAKS:
                if char == "\n" and after_cr:
                    after_cr = False
                    continue
                after_cr, char = char == "\r", "\n"
            elif _invisible(char):
                continue
            else:
                after_cr = False
            chars.append(char)
            origin.append(start)
    _fold_lookalikes(chars)
    return Normalised(text, "".join(chars), tuple(origin))


def matching(view: Normalised) -> Normalised:
    """Lower case without diacritics, one space for any blank, leetspeak and spacing undone."""
    view = _collapse_spaced(view)
    text = view.text
    pieces = list(map(_fold_char, text))
    for index in [i for i, piece in enumerate(pieces) if piece in LEET]:
        if _between_letters(text, index):
            pieces[index] = LEET[pieces[index]]
    folded = "".join(pieces)
    if len(folded) == len(pieces) and "" not in pieces:  # one character for each
        origin = view.origin
    else:
        origin = tuple(o for piece, o in zip(pieces, view.origin) for _ in piece)
    # a run of blanks (white space, `_`) is one space, none at the start
    chars: list[str] = []
    kept: list[int] = []
    at = 0
    for run in _BLANK_RUN.finditer(folded):
        start, end = run.span()
        chars.append(folded[at:start])
        kept.extend(origin[at:start])
        if start:
            chars.append(" ")
            kept.append(origin[start])
        at = end
    if not at:
        return Normalised(view.source, folded, tuple(origin))
    chars.append(folded[at:])
    kept.extend(origin[at:])
    return Normalised(view.source, "".join(chars), tuple(kept))


def for_matching(text: str) -> Normalised:
    return matching(reader(text))


def _clusters(text: str):
    """(start index, base character + its combining marks): NFKC composes within a cluster."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, text[start:index]
            start = index


@lru_cache(maxsize=8192)
def _nfkc(cluster: str) -> str:
    return unicodedata.normalize("NFKC", cluster) if not cluster.isascii() else cluster


@lru_cache(maxsize=8192)
def _plain(char: str) -> bool:
    """The reader view keeps this character as it is, alone or next to any other: no combining
    mark, NFKC-stable, visible, not a line break other than `\\n`."""
    return char == "\n" or (not unicodedata.combining(char) and _nfkc(char) == char
                            and char not in LINE_BREAKS and not _invisible(char))


@lru_cache(maxsize=8192)
def _invisible(char: str) -> bool:
    if char in "\t ":
        return False
    category = unicodedata.category(char)
    return (category in ("Cf", "Cc", "Co", "Cn") or char in INVISIBLE_EXTRA
            or 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF)


def _fold_lookalikes(chars: list[str]) -> None:
    """In a word whose letters are all Latin or Latin look-alikes, replace the look-alikes."""
    table = confusables()
    word: list[int] = []
    for index in range(len(chars) + 1):
        if index < len(chars) and (chars[index].isalnum() or chars[index] in "'’"):
            word.append(index)
            continue
        if word and any(chars[i] in table for i in word) and all(
                chars[i] in table or _latin_or_common(chars[i]) for i in word):
            for i in word:
                chars[i] = table.get(chars[i], chars[i])
        word = []


@lru_cache(maxsize=4096)
def _latin_or_common(char: str) -> bool:
    return char.isascii() or not char.isalpha() or unicodedata.name(char, "").startswith("LATIN")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    char = SPELLING.get(char, char)
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(SPELLING.get(c, c) for c in stripped)


def _between_letters(text: str, index: int) -> bool:
    """A leet digit or sign stands for a letter only inside a word: `k1ll`, not `v1.7` or `#100`."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if text[index] in "!|$@" and not (before.isalpha() and after.isalpha()):
        return False
    return before.isalpha() and (after.isalpha() or (after in LEET and _letter_after(text, index + 1)))


def _letter_after(text: str, index: int) -> bool:
    while index < len(text) and text[index] in LEET:
        index += 1
    return index < len(text) and text[index].isalpha()


def collapse_spaced(text: str) -> str:
    """`H E L P me` -> `HELP me`, on plain text (question counting)."""
    return _SPACED.sub(lambda found: found.group()[::2], text)


def _collapse_spaced(view: Normalised) -> Normalised:
    """Drop the separators of `k i l l` so the word matches; other text is unchanged."""
    if not _SPACED.search(view.text):
        return view
    keep = [True] * len(view.text)
    for found in _SPACED.finditer(view.text):
        for index in range(found.start() + 1, found.end(), 2):
            keep[index] = False
    text = "".join(c for c, k in zip(view.text, keep) if k)
    origin = tuple(o for o, k in zip(view.origin, keep) if k)
    return Normalised(view.source, text, origin)
