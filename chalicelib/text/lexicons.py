"""EN/FR keyword lexicons kept as data (one YAML file per category), with cheap negation."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Iterable, NoReturn

from chalicelib import yaml_files
from chalicelib.text import model, precompiled
from chalicelib.text.normalise import Normalised, for_matching

LEXICON_DIR = Path(__file__).with_name("lexicons")
CATEGORIES: tuple[str, ...] = (
    "threat", "customization", "basic_platform_knowledge", "third_party_conflict", "how_do_i",
    "not_about_product", "merchant_site_work", "modified_source", "incompatible_developments",
    # CRJ-2 chargeable categories
    "installation_upgrade_error", "compatibility_check", "integration_troubleshooting",
    "performance_tuning", "developer_consultation", "version_swap",
)
LANGUAGES = ("en", "fr")
NEGATION_WINDOW = 3
"""Tokens before a match searched for a cue: reaches "don't want any custom" (3 back) but not
"not working since I customised" (4 back), where the cue negates another verb."""

_KEYS = ("category", "description", "patterns", "negations")
_TOKEN = re.compile(r"[\w']+")
_SCOPE_BREAK = re.compile(r"[.!?;:,()\[\]\n]|\b(?:but|however|mais|cependant|pourtant)\b")
_LOOK_BACK_CHARS = 200
_ESCAPE = re.compile(r"\\.")  # `\W`, `\S`: classes, not upper-case letters
_SPELLING = str.maketrans({"’": "'", "‘": "'", "`": "'", "œ": "oe", "Œ": "oe", "æ": "ae"})


@dataclass(frozen=True)
class LexiconMatch:
    category: str
    matched: tuple[str, ...]
    negated: tuple[str, ...]
    probability: float | None = None
    unsure: tuple[str, ...] = ()

    @property
    def hit(self) -> bool:
        return bool(self.matched)


@dataclass(frozen=True)
class Lexicon:
    category: str
    description: str
    pattern: re.Pattern[str]
    negation: re.Pattern[str]

    def match(self, folded: Normalised) -> LexiconMatch:
        matched: dict[str, None] = {}
        negated: dict[str, None] = {}
        for found in self.pattern.finditer(folded.text):
            words = folded.evidence(found.start(), found.end())
            is_negated = self._is_negated(folded.text, found.start(), found.end())
            (negated if is_negated else matched)[words] = None
        return LexiconMatch(self.category, tuple(matched), tuple(negated))

    def _is_negated(self, text: str, start: int, end: int | None = None) -> bool:
        """A cue just before the match in its clause, or a denial in the next sentence
        ("custom overrides may cause conflicts. We don't have any")."""
        clause = _SCOPE_BREAK.split(text[max(0, start - _LOOK_BACK_CHARS) : start])[-1]
        window = " ".join(_TOKEN.findall(clause)[-NEGATION_WINDOW:])
        if window and self.negation.search(window) is not None:
            return True
        if end is None:
            return False
        following = model.SENTENCE.split(text[end : end + _LOOK_BACK_CHARS], maxsplit=1)
        return len(following) == 2 and model.DENIAL.match(following[1]) is not None


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLING))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fold(text: "str | Normalised") -> Normalised:
    """The matching view of the shared normalisation (analysis.py builds it once per message)."""
    return text if isinstance(text, Normalised) else for_matching(text)


def classify(text: "str | Normalised", category: str) -> LexiconMatch:
    """The lexicon alone; `judge_all` is what the rules read (the model, lexicons as evidence)."""
    return _lexicon(category).match(_fold(text))


def classify_all(text: "str | Normalised", categories: Iterable[str] | None = None) -> dict[str, LexiconMatch]:
    """The lexicons alone (what they match and what is negated), every category by default."""
    folded = _fold(text)
    wanted = CATEGORIES if categories is None else tuple(categories)
    return {category: _lexicon(category).match(folded) for category in wanted}


def judge_all(text: "str | Normalised", categories: Iterable[str]) -> dict[str, LexiconMatch]:
    """Lexicons, then for each modelled category the model over n-grams and lexicon flags:
    above its threshold it is recognised, between the flag and the threshold it is unsure."""
    folded = _fold(text)
    matches = {category: _lexicon(category).match(folded) for category in categories}
    if not any(category in model.weights() for category in matches):
        return matches
    found = model.features(folded.text)
    return {category: _judged(match, found) for category, match in matches.items()}


def lexicon_flag(match: LexiconMatch) -> tuple[str, ...]:
    """The lexicon's verdict as a model feature: matched, only negated, or nothing."""
    return (match.category,) if match.matched else (f"{match.category}!neg",) \
        if match.negated else ()


def _judged(match: LexiconMatch, found: set[str]) -> LexiconMatch:
    found = found | {f"l:{flag}" for flag in lexicon_flag(match)}
    scored = model.score(match.category, found)
    if scored is None:
        return match
    refuse_at, flag_at = model.thresholds(match.category)
    quoted = scored.probability >= min(refuse_at, flag_at)
    evidence = (match.matched or scored.evidence or (f"model p={scored.probability:.2f}",)) \
        if quoted else ()
    if scored.probability >= refuse_at:
        return replace(match, matched=evidence, probability=scored.probability)
    unsure = evidence if scored.probability >= flag_at else ()
    return replace(match, matched=(), negated=match.negated + match.matched,
                   probability=scored.probability, unsure=unsure)


def _lexicon(category: str) -> Lexicon:
    if category not in CATEGORIES:
        raise ValueError(f"unknown lexicon category {category!r}; known: {', '.join(CATEGORIES)}")
    return _bundled_lexicons()[category]


@cache
def _bundled_lexicons() -> dict[str, Lexicon]:
    """The bundled lexicons, from their precompiled sources (precompiled.py) when current."""
    inputs = _bundled_digest()
    sources = precompiled.load("lexicons", inputs)
    if sources is not None:
        return {category: Lexicon(category, description, re.compile(*pattern), re.compile(*negation))
                for category, (description, pattern, negation) in sources.items()}
    lexicons = {category: load_lexicon(LEXICON_DIR / f"{category}.yaml") for category in CATEGORIES}
    if precompiled.writable():
        precompiled.save("lexicons", inputs, lexicon_sources(lexicons))
    return lexicons


def _bundled_digest() -> str:
    """The inputs of the lexicons: their YAML files and this module (how they are compiled)."""
    parts: list[str | bytes] = [Path(__file__).read_bytes(), unicodedata.unidata_version]
    for category in CATEGORIES:
        parts += [category, (LEXICON_DIR / f"{category}.yaml").read_bytes()]
    return precompiled.digest(*parts)


def lexicon_sources(lexicons: dict[str, Lexicon]) -> dict[str, tuple]:
    """category -> (description, (pattern source, flags), (negation source, flags))."""
    def source(pattern: re.Pattern[str]) -> tuple[str, int]:
        return pattern.pattern, int(pattern.flags & ~re.UNICODE)  # str patterns: UNICODE anyway

    return {category: (lexicon.description, source(lexicon.pattern), source(lexicon.negation))
            for category, lexicon in lexicons.items()}


def load_lexicon(path: str | Path) -> Lexicon:
    """Validate one lexicon file; every error names the file and the offending key."""
    path = Path(path)
    document = _read_yaml(path)
    _check_keys(path, document)
    if document["category"] != path.stem:
        _fail(path, "category", f"must equal the file name {path.stem!r}")
    if not isinstance(document["description"], str) or not document["description"].strip():
        _fail(path, "description", "must be a non-empty string")
    patterns = _fragments(path, document, "patterns")
    if not patterns:
        _fail(path, "patterns", "must hold at least one pattern")
    negations = _fragments(path, document, "negations")
    return Lexicon(path.stem, document["description"].strip(), _union(path, "patterns", patterns),
                   _union(path, "negations", negations))


def _read_yaml(path: Path) -> dict:
    try:
        document = yaml_files.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml_files.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read lexicon: {exc}") from exc
    if not isinstance(document, dict):
        raise ValueError(f"{path}: a lexicon must be a mapping with keys {', '.join(_KEYS)}")
    return document


def _check_keys(path: Path, document: dict) -> None:
    for key in _KEYS:
        if key not in document:
            _fail(path, key, "is missing")
    for key in document:
        if key not in _KEYS:
            _fail(path, str(key), "is not a lexicon key")


def _fragments(path: Path, document: dict, key: str) -> list[tuple[str, str]]:
    """(where, fragment) pairs; `where` names the entry in error messages."""
    by_language = document[key]
    if not isinstance(by_language, dict):
        _fail(path, key, f"must map languages ({', '.join(LANGUAGES)}) to lists")
    fragments = []
    for language, entries in by_language.items():
        where = f"{key}.{language}"
        if language not in LANGUAGES:
            _fail(path, where, f"language must be one of {', '.join(LANGUAGES)}")
        if not isinstance(entries, list):
            _fail(path, where, "must be a list of strings")
        fragments += [(f"{where}[{i}]", _checked_fragment(path, f"{where}[{i}]", e))
                      for i, e in enumerate(entries)]
    return fragments


def _checked_fragment(path: Path, where: str, entry: object) -> str:
    if not isinstance(entry, str) or not entry.strip():
        _fail(path, where, "must be a non-empty string")
    if any(char.isupper() for char in _ESCAPE.sub("", entry)):
        _fail(path, where, "must be in lower case (messages are matched lower-cased, without diacritics)")
    return _strip_marks(entry.strip())


def _union(path: Path, key: str, fragments: list[tuple[str, str]]) -> re.Pattern[str]:
    """One regex per list, case-sensitive: the matching view is already lower case, and
    IGNORECASE made every lexicon 2-4x slower. Fragments are compiled one by one only to
    name a bad one (cold start)."""
    if not fragments:
        return re.compile(r"(?!)")
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f for _, f in fragments) + r")(?!\w)")
    except re.error as exc:
        for where, fragment in fragments:
            try:
                re.compile(f"(?:{fragment})")
            except re.error as bad:
                _fail(path, where, f"is not a valid regular expression ({bad})")
        _fail(path, key, f"do not combine into one regular expression ({exc})")


def _fail(path: Path, key: str, problem: str) -> NoReturn:
    raise ValueError(f"{path}: key {key!r} {problem}")
