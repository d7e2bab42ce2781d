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
- langdetect reads at most DETECT_CHARS of the cleaned text, sampled across the whole
  message (issue 16: 1,000 characters of English filler before French no longer hide it):
  the text is cut into paragraphs and groups of whole sentences (segments), at most
  MAX_SEGMENTS of them spread evenly over the message are detected one by one (first
  SEGMENT_CHARS characters each), and the main language is the one with most letters
  among them; a message of one segment is detected as a whole (first DETECT_CHARS).
  `segments` keeps each verdict so CMS-2 can refuse a message that switches language.
- the text judged is what a reader sees: the reader view of normalise.py (invisibles and
  look-alikes), prose in code fences, backticks and indents included, code and logs left
  out; prose in quotes and `>` lines counts when it is most of the message (a request
  pasted in quotes) but not when the customer's own words around it are (a quoted review).
"""

import functools
import os
import random
from operator import mul
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

import re

from chalicelib.text import precompiled
from chalicelib.text.clean import strip_noise
from chalicelib.text.normalise import Normalised, reader

EVALUATED_LANGUAGES = (
    "af", "ca", "da", "de", "en", "es", "fr", "hr", "id", "it", "nl", "no", "pl", "pt",
    "ro", "sv", "tr",
)
LATIN_CONFUSABLES = ("cs", "sk", "sl")
OTHER_SCRIPTS = ("ar", "el", "ja", "ru", "uk", "zh-cn")
PROFILE_SUBSET = tuple(sorted(EVALUATED_LANGUAGES + LATIN_CONFUSABLES + OTHER_SCRIPTS))
SEED = 0
DETECT_CHARS = 1000
SEGMENT_LETTERS = 120
MIN_SEGMENT_LETTERS = 50
MAX_SEGMENTS = 4
SEGMENT_CHARS = 200
SEGMENT_TRIALS = 2
"""langdetect averages 7 seeded random trials; 3 per segment halve its cost (`make bench`)."""
SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+|\n+")
QUOTES = re.compile("[\"“”«»'>]")
PARAGRAPH = re.compile(r"\n[ \t]*\n")
LIST_MARK = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+", re.M)
ISO_639_1 = {"zh-cn": "zh", "zh-tw": "zh"}


@dataclass(frozen=True)
class Segment:
    """The verdict on one stretch of whole sentences of the message."""

    language: str
    probability: float
    letters: int


@dataclass(frozen=True)
class LanguageGuess:
    """`cleaned_chars` counts the letters left after cleaning; `min_chars` applies to it."""

    language: str | None
    probability: float
    cleaned_chars: int
    reason: str
    segments: tuple[Segment, ...] = ()


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
    """PROFILE_SUBSET, from its precompiled table (precompiled.py) when that is current."""
    inputs = _subset_digest()
    table = precompiled.load("langdetect", inputs)
    if table is not None:
        return _factory_from(*table)
    factory = load_factory(PROFILE_SUBSET)
    if precompiled.writable():
        precompiled.save("langdetect", inputs, subset_table(factory))
    return factory


def _subset_digest() -> str:
    """The inputs of the table: the subset, its profile files and langdetect's loading code."""
    import langdetect.detector_factory as source

    parts = [" ".join(PROFILE_SUBSET), Path(source.__file__).read_bytes()]
    for language in PROFILE_SUBSET:
        parts += [language, Path(PROFILES_DIRECTORY, language).read_bytes()]
    return precompiled.digest(*parts)


def subset_table(factory: DetectorFactory) -> tuple[list[str], dict[str, tuple[float, ...]]]:
    """What `load_json_profile` built: languages in order, n-gram -> probability per language."""
    return list(factory.langlist), {gram: tuple(probabilities)
                                    for gram, probabilities in factory.word_lang_prob_map.items()}


def _factory_from(langlist: list[str], table: dict) -> DetectorFactory:
    factory = DetectorFactory()
    factory.langlist = list(langlist)
    factory.word_lang_prob_map = table
    factory.set_seed(SEED)
    return factory


def warm_up() -> None:
    """Load the profiles now, so the first request does not pay for it."""
    default_factory()


def detect_language(
    text: "str | Normalised", *, min_chars: int = 40, factory: DetectorFactory | None = None,
    max_chars: int | None = DETECT_CHARS,
) -> LanguageGuess:
    """Language of the customer's own prose, once code, logs and URLs are removed."""
    view = text if isinstance(text, Normalised) else reader(text)
    cleaned = LIST_MARK.sub("", _judged_text(view.text, min_chars))
    letters = _letters(cleaned)
    segments = tuple(_detect_segments(cleaned, factory)) \
        if letters >= 2 * MIN_SEGMENT_LETTERS and letters >= min_chars else ()
    if len(segments) >= 2:
        return _vote(segments, letters)
    guess = guess_language(_sample(cleaned, max_chars), min_chars=min_chars, factory=factory,
                           max_chars=None)
    if guess.language is None:
        return guess
    return LanguageGuess(guess.language, guess.probability, letters, guess.reason)


def _vote(segments: tuple[Segment, ...], letters: int) -> LanguageGuess:
    """The main language of a long message: most letters among its segments' verdicts; its
    probability is the letter-weighted mean (a segment in another language counts as 0)."""
    weight: dict[str, float] = {}
    for segment in segments:
        weight[segment.language] = weight.get(segment.language, 0.0) + segment.letters
    main = max(sorted(weight), key=weight.__getitem__)
    total = sum(segment.letters for segment in segments)
    probability = sum(s.probability * s.letters for s in segments if s.language == main) / total
    return LanguageGuess(main, probability, letters, "detected", segments)


def _judged_text(text: str, min_chars: int) -> str:
    """The customer's own prose; quoted prose too when it is most of what the reader sees
    (a message that is a quote is judged by the quote; "our customer wrote: «...»" is not)."""
    own = strip_noise(text, drop_quoted=True)
    seen = strip_noise(text, keep_quoted=True) if QUOTES.search(text) else own
    own_letters = _letters(own)
    seen_letters = own_letters if seen is own else _letters(seen)
    return seen if own_letters < min_chars or seen_letters > 2 * own_letters else own


def _segments(text: str) -> list[str]:
    """Paragraphs; a long one cut into groups of whole sentences of >= SEGMENT_LETTERS letters.
    A paragraph too short to judge (< MIN_SEGMENT_LETTERS) joins the next one."""
    groups: list[str] = []
    pending = ""
    for paragraph in PARAGRAPH.split(text):
        paragraph = f"{pending} {paragraph}".strip()
        if _letters(paragraph) < MIN_SEGMENT_LETTERS:
            pending = paragraph
            continue
        pending = ""
        groups += _sentence_groups(paragraph) if _letters(paragraph) > 2 * SEGMENT_LETTERS \
            else [paragraph]
    if pending:
        if groups:
            groups[-1] = f"{groups[-1]} {pending}"
        else:
            groups.append(pending)
    return groups


def _sentence_groups(paragraph: str) -> list[str]:
    groups: list[str] = []
    current, letters = [], 0
    for sentence in SENTENCE_END.split(paragraph):
        current.append(sentence)
        letters += _letters(sentence)
        if letters >= SEGMENT_LETTERS:
            groups.append(" ".join(current))
            current, letters = [], 0
    if current:
        if groups and letters < MIN_SEGMENT_LETTERS:
            groups[-1] = f"{groups[-1]} {' '.join(current)}"
        else:
            groups.append(" ".join(current))
    return groups


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _spread(items: list[str], count: int) -> list[str]:
    """`count` items spread evenly from first to last."""
    if len(items) <= count:
        return items
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def _sample(text: str, max_chars: int | None) -> str:
    """At most max_chars of the text, taken from segments across the whole message."""
    if max_chars is None or len(text) <= max_chars:
        return text
    chosen = _spread(_segments(text), MAX_SEGMENTS)
    share = max(1, max_chars // len(chosen))
    return " ".join(segment[:share] for segment in chosen)


def _detect_segments(text: str, factory: DetectorFactory | None):
    chosen = _spread(_segments(text), MAX_SEGMENTS)
    if len(chosen) < 2:
        return
    for segment in chosen:
        guess = guess_language(segment, min_chars=MIN_SEGMENT_LETTERS, factory=factory,
                               max_chars=SEGMENT_CHARS, trials=SEGMENT_TRIALS)
        if guess.language is not None:
            yield Segment(guess.language, guess.probability, guess.cleaned_chars)


def detect_part(text: str, factory: DetectorFactory | None = None) -> Segment | None:
    """One part of a message (the sentences that ask), judged like a segment."""
    guess = guess_language(text, min_chars=MIN_SEGMENT_LETTERS, factory=factory,
                           max_chars=SEGMENT_CHARS, trials=SEGMENT_TRIALS)
    return Segment(guess.language, guess.probability, guess.cleaned_chars) if guess.language else None


class _Detector(Detector):
    """langdetect's Detector with the same arithmetic in the same order (so the same verdicts
    and probabilities to the last bit), written with local variables and list comprehensions:
    its per-character and per-n-gram Python loops are most of the CPU of a webhook."""

    _SPACES = re.compile(" {2,}")

    def __init__(self, factory):  # Detector.__init__, but Random is not seeded from os.urandom
        self.word_lang_prob_map = factory.word_lang_prob_map  # (it is reseeded before each use)
        self.langlist = factory.langlist
        self.seed = factory.seed
        self.random = random.Random(self.seed)
        self.text = ""
        self.langprob = None
        self.alpha = self.ALPHA_DEFAULT
        self.n_trial = 7
        self.max_text_length = 10000
        self.prior_map = None
        self.verbose = False

    def cleaning_text(self):
        if self.text and max(self.text) >= "\u0300":  # else no character counts as non-Latin
            super().cleaning_text()

    def append(self, text):
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # langdetect keeps a character unless it and the one before it are both spaces
        self.text += self._SPACES.sub(" ", text[:self.max_text_length])

    def _extract_ngrams(self):
        known = self.word_lang_prob_map
        result = []
        grams, capitalword = " ", False
        for ch in self.text:  # NGram.add_char, then NGram.get(1..3)
            ch = _ngram_char(ch)
            last_char = grams[-1]
            if last_char == " ":
                grams, capitalword = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                if last_char.isupper():
                    capitalword = True
            else:
                capitalword = False
            if capitalword:
                continue
            w = grams[-1:]
            if w != " " and w in known:
                result.append(w)
            if len(grams) >= 2:
                w = grams[-2:]
                if w in known:
                    result.append(w)
                if len(grams) >= 3 and grams in known:
                    result.append(grams)
        return result

    def _detect_block(self):
        if type(self.random) is not random.Random:  # the draws below are Random's own
            return super()._detect_block()
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        self.langprob = [0.0] * len(self.langlist)
        table, n_trial = self.word_lang_prob_map, self.n_trial
        rng = self.random
        rng.seed(self.seed)
        getrandbits, count = rng.getrandbits, len(ngrams)
        bits = count.bit_length()  # Random.choice: _randbelow_with_getrandbits, inlined
        limit, threshold = self.ITERATION_LIMIT, self.CONV_THRESHOLD
        for _ in range(n_trial):
            prob = self._init_probability()
            alpha = self.alpha + rng.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            plus = weight.__add__  # prob[i] *= weight + word_probabilities[i]
            i = 0
            while True:
                r = getrandbits(bits)
                while r >= count:
                    r = getrandbits(bits)
                prob = list(map(mul, prob, map(plus, table[ngrams[r]])))
                if i % 5 == 0:
                    total = sum(prob)
                    prob = [p / total for p in prob]
                    if max(prob) > threshold or i >= limit:
                        break
                i += 1
            self.langprob = [a + p / n_trial for a, p in zip(self.langprob, prob)]


@functools.lru_cache(maxsize=4096)
def _ngram_char(ch: str) -> str:
    return NGram.normalize(ch)


def _create_detector(factory: DetectorFactory) -> Detector:
    """`factory.create()`, with the faster detector above."""
    if not factory.langlist:
        raise LangDetectException(ErrorCode.NeedLoadProfileError, "Need to load profiles.")
    return _Detector(factory)


def guess_language(
    text: str, *, min_chars: int = 40, factory: DetectorFactory | None = None,
    max_chars: int | None = DETECT_CHARS, trials: int | None = None,
) -> LanguageGuess:
    """Language of `text` as given: for text already cleaned, or to measure cleaning."""
    letters = _letters(text)
    if letters == 0:
        return LanguageGuess(None, 0.0, letters, "no_letters")
    if letters < min_chars:
        return LanguageGuess(None, 0.0, letters, "too_short")
    detector = _create_detector(factory or default_factory())
    if trials:
        detector.n_trial = trials
    detector.append(text[:max_chars])
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return LanguageGuess(None, 0.0, letters, "error")
    return LanguageGuess(ISO_639_1.get(best.lang, best.lang), best.prob, letters, "detected")
