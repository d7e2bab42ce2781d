"""Detect the language of a customer message (rule CMS-2), or say it cannot.

langdetect is used through our own DetectorFactory, never its module-level one:
- profiles load in `warm_up()` (Lambda init phase), not at import nor on a first request;
- only PROFILE_SUBSET (26 of 55) is loaded: `python -m evaluation.language_eval` measures
  warm-up + first detection at ~40 ms / 27 MB peak instead of ~180 ms / 80 MB, with
  no accuracy loss on the 17 evaluated languages. The subset is those 17, their Latin
  look-alikes, and one or two profiles per major non-Latin script (~+12 ms) so that a
  Russian or Chinese message is not named as Slovenian or Norwegian. A language outside
  the subset is reported as its nearest loaded neighbour (Finnish as Indonesian, Korean as
  Chinese; Welsh as English, a CMS-2 false accept);
- profiles load in sorted order with seed 0, so one text always gets one verdict;
- langdetect reads the first DETECT_CHARS of the cleaned text: its cost grows with length and
  a page of prose says no more than its first 1,000 characters (`make bench`, section b:
  same verdict on 200 of 200 messages of 2-4 KB, and `make eval` is measured with the cap).
"""

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from chalicelib.text.clean import strip_noise

EVALUATED_LANGUAGES = (
    "af", "ca", "da", "de", "en", "es", "fr", "hr", "id", "it", "nl", "no", "pl", "pt",
    "ro", "sv", "tr",
)
LATIN_CONFUSABLES = ("cs", "sk", "sl")
OTHER_SCRIPTS = ("ar", "el", "ja", "ru", "uk", "zh-cn")
PROFILE_SUBSET = tuple(sorted(EVALUATED_LANGUAGES + LATIN_CONFUSABLES + OTHER_SCRIPTS))
SEED = 0
DETECT_CHARS = 1000
ISO_639_1 = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class LanguageGuess:
    """`cleaned_chars` counts the letters left after cleaning; `min_chars` applies to it."""

    language: str | None
    probability: float
    cleaned_chars: int
    reason: str


def all_profile_languages() -> tuple[str, ...]:
    return tuple(sorted(os.listdir(PROFILES_DIRECTORY)))


def load_factory(languages: Iterable[str]) -> DetectorFactory:
    """A seeded factory with the given profiles, in sorted order for reproducible verdicts."""
    profiles = []
    for language in sorted(languages):
        with open(os.path.join(PROFILES_DIRECTORY, language), encoding="utf-8") as profile:
            profiles.append(profile.read())
    factory = DetectorFactory()
    factory.load_json_profile(profiles)
    factory.set_seed(SEED)
    return factory


@functools.cache
def default_factory() -> DetectorFactory:
    return load_factory(PROFILE_SUBSET)


def warm_up() -> None:
    """Load the profiles now, so the first request does not pay for it."""
    default_factory()


def detect_language(
    text: str, *, min_chars: int = 40, factory: DetectorFactory | None = None,
    max_chars: int | None = DETECT_CHARS,
) -> LanguageGuess:
    """Language of the customer's own prose, once code, logs and URLs are removed."""
    return guess_language(strip_noise(text), min_chars=min_chars, factory=factory,
                          max_chars=max_chars)


def guess_language(
    text: str, *, min_chars: int = 40, factory: DetectorFactory | None = None,
    max_chars: int | None = DETECT_CHARS,
) -> LanguageGuess:
    """Language of `text` as given: for text already cleaned, or to measure cleaning."""
    letters = sum(1 for char in text if char.isalpha())
    if letters == 0:
        return LanguageGuess(None, 0.0, letters, "no_letters")
    if letters < min_chars:
        return LanguageGuess(None, 0.0, letters, "too_short")
    detector = (factory or default_factory()).create()
    detector.append(text[:max_chars])
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return LanguageGuess(None, 0.0, letters, "error")
    return LanguageGuess(ISO_639_1.get(best.lang, best.lang), best.prob, letters, "detected")
