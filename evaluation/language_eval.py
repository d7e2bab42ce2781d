"""Measure CMS-2 language detection on lingua-py's test data (`$TICKETWARDEN_EVAL_DIR/language`).

Three tables: "is it English?" error rates by text length; non-English sentences with a
pasted English log, with and without cleaning; the profile subset against all profiles.
Samples are drawn with a fixed seed; sizes are printed with each table.
"""

import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from chalicelib.text.language import (
    EVALUATED_LANGUAGES,
    LATIN_CONFUSABLES,
    OTHER_SCRIPTS,
    PROFILE_SUBSET,
    LanguageGuess,
    all_profile_languages,
    detect_language,
    guess_language,
    load_factory,
)

from evaluation.data import eval_dir

DATA = eval_dir() / "language"
PROJECT = Path(__file__).resolve().parents[1]
LANGUAGES = (
    "af", "ca", "da", "de", "en", "es", "fr", "hr", "id", "it", "nb", "nl", "pl", "pt", "ro",
    "sv", "tr",
)
LANGDETECT_CODE = {"nb": "no"}
BANDS = ("<20", "20–39", "40–200", ">200")
ENGLISH_PER_BAND, OTHER_PER_LANGUAGE_PER_BAND = 300, 60
LOG_LANGUAGES, LOG_SENTENCES_PER_LANGUAGE = ("fr", "de", "es", "it", "pt", "nl"), 100
ACCURACY_PER_LANGUAGE, COLD_RUNS = 150, 5
FIRST_TEXT = "Hello, my module stopped working after the upgrade to Magento 2.4.7."
ENGLISH_LOGS = (
    "PHP Fatal error:  Uncaught Error: Call to a member function getStoreId() on null in "
    "/var/www/html/app/code/Vendor/Feed/Model/Export.php:118\nStack trace:\n"
    "#0 /var/www/html/app/code/Vendor/Feed/Cron/Generate.php(42): Vendor\\Feed\\Model\\"
    "Export->run()\n#1 /var/www/html/vendor/magento/module-cron/Observer/ProcessCronQueue"
    "Observer.php(378): Vendor\\Feed\\Cron\\Generate->execute()\n#2 {main}\n"
    "  thrown in /var/www/html/app/code/Vendor/Feed/Model/Export.php on line 118",
    "[2024-03-11 02:00:01] main.CRITICAL: Could not send the order confirmation email: "
    "Unable to connect to the SMTP server, connection timed out [] []\n"
    "[2024-03-11 02:00:03] main.ERROR: Invalid response from the carrier API, expected a "
    "list of rates but received an empty body [] []",
    "java.lang.IllegalStateException: Unable to process the product import, the connection "
    "pool is exhausted\n\tat com.shop.erp.sync.ProductImporter.run(ProductImporter.java:211)"
    "\n\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor"
    ".java:1136)\nCaused by: java.sql.SQLTransientConnectionException: Connection is not "
    "available, request timed out after 30000ms",
    "Traceback (most recent call last):\n  File \"/opt/sync/orders.py\", line 88, in "
    "export_orders\n    response = session.post(endpoint, json=payload, timeout=30)\n"
    "requests.exceptions.ReadTimeout: The read operation timed out while waiting for the "
    "shop to answer",
    "[Wed Mar 13 09:12:44.123456 2024] [php:error] [pid 2231] [client 10.0.0.5:51422] PHP "
    "Warning:  Undefined array key \"id_carrier\" in /var/www/prestashop/modules/shipping/"
    "shipping.php on line 512, referer: https://shop.example.com/order?step=3",
    "```\nUncaught TypeError: Cannot read properties of undefined (reading 'street')\n"
    "    at Object.initialize (checkout-address.js:45:12)\n    at UiClass.initialize "
    "(uiElement.js:112:9)\n    at new Component (component.js:88:5)\n```",
)


def report() -> str:
    rng = random.Random(0)
    return "\n\n".join(
        ["## Language detection (CMS-2)", _length_bands(), _pasted_logs(rng), _subset(rng)]
    )


def _lines(kind: str, language: str) -> list[str]:
    text = (DATA / kind / f"{language}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _joined_sentences(language: str) -> list[str]:
    """Consecutive sentences joined until longer than 200 characters."""
    texts, current = [], ""
    for sentence in _lines("sentences", language):
        current = f"{current} {sentence}".strip()
        if len(current) > 200:
            texts.append(current)
            current = ""
    return texts


def _band(text: str) -> str:
    size = len(text)
    return "<20" if size < 20 else "20–39" if size < 40 else "40–200" if size <= 200 else ">200"


def _banded_texts(language: str, per_band: int, rng: random.Random) -> dict[str, list[str]]:
    kinds = ("single-words", "word-pairs", "sentences")
    pool = [text for kind in kinds for text in _lines(kind, language)]
    pool += _joined_sentences(language)
    bands: dict[str, list[str]] = {band: [] for band in BANDS}
    for text in pool:
        bands[_band(text)].append(text)
    return {band: rng.sample(texts, min(per_band, len(texts))) for band, texts in bands.items()}


def _length_bands() -> str:
    texts = {
        language: _banded_texts(
            language,
            ENGLISH_PER_BAND if language == "en" else OTHER_PER_LANGUAGE_PER_BAND,
            random.Random(0),
        )
        for language in LANGUAGES
    }
    rows = []
    for min_chars, label in ((40, "shipped, min_chars=40"), (1, "raw langdetect, min_chars=1")):
        print(f"length bands: {label}", file=sys.stderr)
        english = {band: [] for band in BANDS}
        others = {band: [] for band in BANDS}
        for language, bands in texts.items():
            target = english if language == "en" else others
            for band, band_texts in bands.items():
                target[band] += [detect_language(text, min_chars=min_chars) for text in band_texts]
        rows += [_band_row(label, band, english[band], others[band]) for band in BANDS]
    header = (
        "| setting | length | EN n | EN false-reject | EN undetermined "
        "| non-EN n | non-EN false-accept | non-EN undetermined |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    intro = (
        f"### Is it English? by length (sample: up to {ENGLISH_PER_BAND} EN texts and "
        f"{OTHER_PER_LANGUAGE_PER_BAND} per other language per band, {len(LANGUAGES) - 1} "
        "other languages; >200 built by joining consecutive sentences)"
    )
    return "\n".join([intro, "", header, *rows])


def _band_row(label: str, band: str, english: list, others: list) -> str:
    rejected = sum(_not_english(g) for g in english)
    accepted = sum(g.language == "en" and not _not_english(g) for g in others)
    return (
        f"| {label} | {band} | {len(english)} | {_pct(rejected, len(english))} "
        f"| {_pct(_undetermined(english), len(english))} | {len(others)} "
        f"| {_pct(accepted, len(others))} | {_pct(_undetermined(others), len(others))} |"
    )


def _not_english(guess: LanguageGuess) -> bool:
    """Judged not English: the main language, or a confidently detected part (issue 16)."""
    return guess.language not in (None, "en") or any(
        s.language != "en" and s.probability >= 0.9 for s in guess.segments)


def _undetermined(guesses: list[LanguageGuess]) -> int:
    return sum(g.language is None for g in guesses)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _pasted_logs(rng: random.Random) -> str:
    rows = []
    for language in LOG_LANGUAGES:
        print(f"pasted logs: {language}", file=sys.stderr)
        sentences = [s for s in _lines("sentences", language) if 40 <= len(s) <= 200]
        sample = rng.sample(sentences, LOG_SENTENCES_PER_LANGUAGE)
        texts = [f"{s}\n\n{ENGLISH_LOGS[i % len(ENGLISH_LOGS)]}" for i, s in enumerate(sample)]
        raw = [guess_language(text) for text in texts]
        cleaned = [detect_language(text) for text in texts]
        own = _judged(cleaned, LANGDETECT_CODE.get(language, language))
        rows.append(
            f"| {language} | {len(texts)} | {_pct(_judged(raw, 'en'), len(texts))} "
            f"| {_pct(_judged(cleaned, 'en'), len(texts))} | {_pct(own, len(texts))} "
            f"| {_pct(_undetermined(cleaned), len(texts))} |"
        )
    return "\n".join(
        [
            f"### Non-English sentence + pasted English log ({len(ENGLISH_LOGS)} log snippets "
            "in rotation: PHP fatal + stack, Magento log lines, Java stack, Python traceback, "
            "Apache log, JS console in a code fence)",
            "",
            "| language | n | judged English, raw | judged English, cleaned "
            "| own language, cleaned | undetermined, cleaned |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


def _judged(guesses: list[LanguageGuess], language: str) -> int:
    return sum(g.language == language for g in guesses)


def _subset(rng: random.Random) -> str:
    variants = {
        "all profiles": all_profile_languages(),
        "Latin only": EVALUATED_LANGUAGES + LATIN_CONFUSABLES,
        "shipped subset": PROFILE_SUBSET,
    }
    samples = {
        (kind, language): rng.sample(_lines(kind, language), ACCURACY_PER_LANGUAGE)
        for kind in ("sentences", "word-pairs")
        for language in LANGUAGES
    }
    cold = _cold_starts(list(variants.values()))
    rows = []
    for name, languages in variants.items():
        cold_ms, rss_mb = cold[languages]
        detect = _detector(languages)
        accuracy = {kind: _accuracy(samples, kind, detect) for kind in ("sentences", "word-pairs")}
        rows.append(
            f"| {name} ({len(languages)}) | {cold_ms:.0f} | {rss_mb:.0f} "
            f"| {accuracy['sentences']} | {accuracy['word-pairs']} |"
        )
    return "\n".join(
        [
            f"### Profile subset vs all profiles (cold = import excluded, warm-up + first "
            f"detection in a fresh process, median of {COLD_RUNS}; accuracy = top-1 on "
            f"{ACCURACY_PER_LANGUAGE} texts per language × {len(LANGUAGES)} languages, "
            "min_chars=1)",
            "",
            "| profiles | cold ms | peak RSS MB | accuracy sentences | accuracy word-pairs |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"Shipped subset: {', '.join(PROFILE_SUBSET)}. Latin only drops the non-Latin-script "
            f"profiles ({', '.join(OTHER_SCRIPTS)}); without them a Russian or Chinese message "
            "is named as some Latin-script language.",
        ]
    )


def _detector(languages: tuple[str, ...]) -> Callable[[str], str | None]:
    factory = load_factory(languages)
    return lambda text: guess_language(text, min_chars=1, factory=factory).language


def _accuracy(samples: dict, kind: str, detect: Callable[[str], str | None]) -> str:
    print(f"subset accuracy: {kind}", file=sys.stderr)
    hits = total = 0
    for (sample_kind, language), texts in samples.items():
        if sample_kind == kind:
            expected = LANGDETECT_CODE.get(language, language)
            hits += sum(detect(text) == expected for text in texts)
            total += len(texts)
    return _pct(hits, total)


COLD_START = """
import re, sys, time
from chalicelib.text import language
started = time.perf_counter()
factory = language.load_factory(sys.argv[1].split(","))
language.detect_language({text!r}, factory=factory)
elapsed_ms = (time.perf_counter() - started) * 1000
peak_kb = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)
print(elapsed_ms, int(peak_kb) / 1024)
"""


def _cold_starts(variants: list[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[float, float]]:
    """Median (ms, MB) of warm-up + first detection in fresh interpreters (Lambda init).

    Variants alternate run by run, so background load slows them alike.
    """
    runs: dict[tuple[str, ...], list[tuple[float, float]]] = {v: [] for v in variants}
    for run in range(COLD_RUNS):
        print(f"cold start: run {run + 1}/{COLD_RUNS}", file=sys.stderr)
        for languages in variants:
            runs[languages].append(_cold_start(languages))
    return {languages: sorted(found)[len(found) // 2] for languages, found in runs.items()}


def _cold_start(languages: tuple[str, ...]) -> tuple[float, float]:
    completed = subprocess.run(
        [sys.executable, "-c", COLD_START.format(text=FIRST_TEXT), ",".join(languages)],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )
    elapsed_ms, peak_mb = (float(value) for value in completed.stdout.split())
    return elapsed_ms, peak_mb


if __name__ == "__main__":
    started = time.perf_counter()
    print(report())
    print(f"language_eval finished in {time.perf_counter() - started:.0f} s", file=sys.stderr)
