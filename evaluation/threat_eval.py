"""Measures the threat lexicon on ThreatGram 101 (political Telegram replies) and Bitext's
offensive-but-harmless requests: a stress test from outside support, not a tuning target."""

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from chalicelib.text.lexicons import classify

from evaluation.data import eval_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = eval_dir()
THREATGRAM = SHARED_EVAL / "threats" / "Labeled_15076.json"
BITEXT = SHARED_EVAL / "messages" / "bitext" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
THREATGRAM_LABELS = {
    2: "ThreatGram label 2 (explicit threat) — recall",
    1: "ThreatGram label 1 (calls for punishment, arrest) — flag rate, for information",
    0: "ThreatGram label 0 (harsh, not threatening) — false-alarm rate",
}
OFFENSIVE_TAG = "W"


@dataclass(frozen=True)
class FlagRate:
    texts: int
    flagged: int
    evidence: Counter

    @property
    def rate(self) -> float:
        return self.flagged / self.texts if self.texts else 0.0


def flag_rate(texts: list[str]) -> FlagRate:
    evidence: Counter = Counter()
    flagged = 0
    for text in texts:
        match = classify(text, "threat")
        flagged += match.hit
        evidence.update(words.casefold() for words in match.matched)
    return FlagRate(len(texts), flagged, evidence)


def threatgram_by_label() -> dict[int, list[str]]:
    replies = json.loads(THREATGRAM.read_text(encoding="utf-8"))
    return {
        label: [reply["reply"] for reply in replies if reply["Label"] == label]
        for label in THREATGRAM_LABELS
    }


def bitext_offensive() -> list[str]:
    with BITEXT.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        return [row["instruction"] for row in rows if OFFENSIVE_TAG in row["tags"]]


def report() -> str:
    rows = {
        THREATGRAM_LABELS[label]: flag_rate(texts)
        for label, texts in threatgram_by_label().items()
    }
    rows[f"Bitext tag `{OFFENSIVE_TAG}` (offensive language) — false-alarm rate"] = flag_rate(
        bitext_offensive()
    )
    lines = [
        "## Threat lexicon (CMS-11)",
        "",
        "ThreatGram replies are political Telegram chatter, mostly third-person wishes",
        "(\"hang them\"); the lexicon targets threats at the support team (\"I will find you\"),",
        "so low recall on label 2 is expected and was not tuned away.",
        "",
        "| set | texts | flagged | rate | most frequent evidence |",
        "|---|---:|---:|---:|---|",
    ]
    for name, result in rows.items():
        top = ", ".join(f"“{w}” ×{n}" for w, n in result.evidence.most_common(3)) or "—"
        counts = f"{result.texts:,} | {result.flagged:,} | {result.rate:.2%}"
        lines.append(f"| {name} | {counts} | {top} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
