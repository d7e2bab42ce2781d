"""Measures every lexicon on its hand-labelled set and its false alarms on outside text."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.text.lexicons import CATEGORIES, classify, classify_all

from evaluation.data import eval_dir

ROOT = Path(__file__).resolve().parents[1]
LABELLED_DIR = ROOT / "tests" / "data" / "lexicons"
SHARED_EVAL = eval_dir()
BITEXT = SHARED_EVAL / "messages" / "bitext" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
SENTENCES = SHARED_EVAL / "language" / "sentences"
SLICES = (("en", "en", None), ("fr", "fr", None), ("all", None, None), ("holdout", None, "holdout"))
"""(row name, language, split): `holdout` lines were written after the lexicons were frozen."""


@dataclass(frozen=True)
class Sample:
    text: str
    lang: str
    label: bool
    split: str


@dataclass(frozen=True)
class Score:
    positives: int
    negatives: int
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def labelled(category: str, lang: str | None = None, split: str | None = None) -> list[Sample]:
    lines = (LABELLED_DIR / f"{category}.jsonl").read_text(encoding="utf-8").splitlines()
    samples = [Sample(**json.loads(line)) for line in lines if line.strip()]
    return [s for s in samples if lang in (None, s.lang) and split in (None, s.split)]


def score(category: str, samples: list[Sample]) -> Score:
    flags = [(classify(s.text, category).hit, s.label) for s in samples]
    return Score(
        positives=sum(label for _, label in flags),
        negatives=sum(not label for _, label in flags),
        true_positives=sum(hit and label for hit, label in flags),
        false_positives=sum(hit and not label for hit, label in flags),
    )


def outside_corpora() -> dict[str, list[str]]:
    """Text that belongs to no category: Bitext retail requests, lingua's news-like sentences."""
    corpora = {}
    if BITEXT.exists():
        with BITEXT.open(encoding="utf-8", newline="") as handle:
            corpora["Bitext EN"] = [row["instruction"] for row in csv.DictReader(handle)]
    for lang in ("en", "fr"):
        path = SENTENCES / f"{lang}.txt"
        if path.exists():
            lines = path.read_text(encoding="utf-8").split("\n")
            corpora[f"lingua {lang.upper()}"] = [line for line in lines if line.strip()]
    return corpora


def false_alarms(texts: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(CATEGORIES, 0)
    for text in texts:
        for category, match in classify_all(text).items():
            counts[category] += match.hit
    return counts


def report() -> str:
    lines = [
        "## Lexicon classifiers",
        "",
        f"Hand-labelled sets in `{LABELLED_DIR.relative_to(ROOT)}`; negatives are hard ones (negated",
        "forms, near misses, other categories' texts). The dev lines were written before the",
        "lexicons but by the same author, so their figures are optimistic. `holdout` = long",
        "inbox-style messages written after the lexicons were frozen and never tuned against:",
        "the fairer estimate. The en / fr / all rows include the holdout lines.",
        "",
        "| category | slice | n+ | n− | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for category in CATEGORIES:
        for name, lang, split in SLICES:
            samples = labelled(category, lang, split)
            if samples:
                lines.append(_score_row(category, name, score(category, samples)))
    return "\n".join(lines + [""] + _false_alarm_section())


def _score_row(category: str, name: str, result: Score) -> str:
    return (
        f"| {category} | {name} | {result.positives} | {result.negatives} "
        f"| {result.precision:.2f} | {result.recall:.2f} | {result.f1:.2f} |"
    )


def _false_alarm_section() -> list[str]:
    corpora = outside_corpora()
    if not corpora:
        return [f"Outside corpora not found under `{SHARED_EVAL}`: false-alarm table skipped."]
    counts = {name: false_alarms(texts) for name, texts in corpora.items()}
    header = " | ".join(f"{name} (n={len(texts):,})" for name, texts in corpora.items())
    lines = [
        "False alarms on outside text that belongs to no category (every hit is wrong):",
        "",
        f"| category | {header} |",
        "|---|" + "---:|" * len(corpora),
    ]
    for category in CATEGORIES:
        cells = " | ".join(
            f"{counts[name][category]} ({counts[name][category] / len(corpora[name]):.2%})"
            for name in corpora
        )
        lines.append(f"| {category} | {cells} |")
    return lines


if __name__ == "__main__":
    print(report())
