"""Measures the credential finder on outside test cases and on our hand-labelled messages."""

import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.text.credentials import find_credentials, redact

from evaluation.data import eval_dir

ROOT = Path(__file__).resolve().parents[1]
NL_CASES = eval_dir() / "secrets" / "nl_cases" / "cases.json"
LABELLED = ROOT / "tests" / "data" / "credentials.jsonl"


@dataclass(frozen=True)
class Sample:
    ref: str  # case id or jsonl line number, to find the message again
    text: str
    has_secret: bool
    secrets: tuple[str, ...] | None  # None when the source only says yes or no


@dataclass(frozen=True)
class Score:
    messages: int
    positives: int
    true_positives: int
    false_positive_refs: tuple[str, ...]
    missed_refs: tuple[str, ...]  # not flagged, or a labelled secret still in the redacted text
    secrets: int
    secrets_gone: int


def nl_cases() -> list[Sample]:
    cases = json.loads(NL_CASES.read_text(encoding="utf-8"))["cases"]
    return [Sample(c["id"], c["text"], c["contains_secret"], None) for c in cases]


def labelled(split: str | None = None, lang: str | None = None) -> list[Sample]:
    samples = []
    for number, line in enumerate(LABELLED.read_text(encoding="utf-8").splitlines(), start=1):
        row = json.loads(line)
        if split in (None, row["split"]) and lang in (None, row["lang"]):
            secrets = tuple(row["secrets"])
            samples.append(Sample(f"line {number}", row["text"], bool(secrets), secrets))
    return samples


def score(samples: list[Sample]) -> Score:
    false_positives, missed, true_positives, secrets, gone = [], [], 0, 0, 0
    for sample in samples:
        redacted = redact(sample.text).text
        flagged = bool(find_credentials(sample.text))
        left = [s for s in sample.secrets or () if s in redacted]
        true_positives += flagged and sample.has_secret
        secrets += len(sample.secrets or ())
        gone += len(sample.secrets or ()) - len(left)
        if flagged and not sample.has_secret:
            false_positives.append(sample.ref)
        if sample.has_secret and (not flagged or left):
            missed.append(sample.ref)
    positives = sum(s.has_secret for s in samples)
    return Score(len(samples), positives, true_positives, tuple(false_positives), tuple(missed),
                 secrets, gone)


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "—"


def _row(name: str, result: Score) -> str:
    flagged = result.true_positives + len(result.false_positive_refs)
    cells = [
        name,
        str(result.messages),
        str(result.positives),
        _ratio(result.true_positives, flagged),
        _ratio(result.true_positives, result.positives),
        _ratio(result.secrets_gone, result.secrets),
        str(len(result.false_positive_refs)),
    ]
    return "| " + " | ".join(cells) + " |"


def report() -> str:
    splits = {
        "nl_cases (llm-guard, detect-secrets)": score(nl_cases()),
        "credentials.jsonl dev (written before the code)": score(labelled("dev")),
        "credentials.jsonl holdout (written after, not tuned on)": score(labelled("holdout")),
    }
    views = {
        "credentials.jsonl English": score(labelled(lang="en")),
        "credentials.jsonl French": score(labelled(lang="fr")),
        "credentials.jsonl all": score(labelled()),
    }
    lines = [
        "## Credential finder (CRJ-3)",
        "",
        "Message level: a message is flagged when at least one credential is found. Secret recall:"
        " share of labelled secret strings absent from the redacted text.",
        "",
        "| data | messages | with secret | precision | recall | secret recall"
        " | false-positive messages |",
        "|---|---|---|---|---|---|---|",
        *(_row(name, result) for name, result in {**splits, **views}.items()),
        "",
        *(_misses(name, result) for name, result in splits.items()),
    ]
    return "\n".join(lines)


def _misses(name: str, result: Score) -> str:
    missed = ", ".join(result.missed_refs) or "none"
    false_positives = ", ".join(result.false_positive_refs) or "none"
    return f"- {name}: missed or partly left: {missed}; false positives: {false_positives}"


if __name__ == "__main__":
    print(report())
