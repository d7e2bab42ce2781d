"""Train the category model at build time: `.venv/bin/python -m textbuild.train_model`.

Training data, all written inside the project (never the independent test split, never
the measuring corpora of TICKETWARDEN_EVAL_DIR):
- tests/data/lexicons/<category>.jsonl (the lexicon sets, 15 categories);
- evaluation/training/<category>.jsonl (examples written for the model, issue 16);
- evaluation/independent/<category>.dev.jsonl (the dev split of the independent set).
For each category, positives are its true lines; negatives its false lines and, at a lower
weight, the positives of the other categories. L2-regularised logistic regression by
seeded SGD, pure Python, deterministic. Thresholds come from 5-fold out-of-fold scores:
`threshold` is the lowest probability at which the out-of-fold precision stays >=
TARGET_PRECISION, `flag` the one where it stays >= FLAG_PRECISION (the seller decides).
The weights file records the sha256 of its training data; a unit test checks it is current.
"""
from __future__ import annotations

import hashlib
import json
import math
import random
import sys
from pathlib import Path

from chalicelib.text import lexicons, model
from chalicelib.text import normalise as normalise_module
from chalicelib.text.normalise import for_matching

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "tests" / "data" / "lexicons", ROOT / "evaluation" / "training")
DEV = ROOT / "evaluation" / "independent"
MODELLED = ("threat", "third_party_conflict", "merchant_site_work", "incompatible_developments",
            "customization", "basic_platform_knowledge", "how_do_i", "not_about_product",
            "modified_source")
OTHER_WEIGHT = 0.1
EPOCHS, RATE, L2, SEED = 30, 0.5, 1e-5, 16
TARGET_PRECISION, FLAG_PRECISION, FLAG_FLOOR = 0.95, 0.75, 0.45
FOLDS = 5
MIN_WEIGHT = 1e-3


def training_files() -> list[Path]:
    files = [p for source in SOURCES if source.exists() for p in sorted(source.glob("*.jsonl"))]
    return files + [DEV / f"{name}.dev.jsonl" for name in (*MODELLED, "gaming")
                    if (DEV / f"{name}.dev.jsonl").exists()]


def data_hash() -> str:
    digest = hashlib.sha256()
    for path in training_files():
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for module in (model, normalise_module):
        digest.update(Path(module.__file__).read_bytes())
    for lexicon in sorted(lexicons.LEXICON_DIR.glob("*.yaml")):
        digest.update(lexicon.read_bytes())
    return digest.hexdigest()


def load() -> list[dict]:
    """One row per (text, category, label); `source` says where it came from."""
    rows = []
    gaming = DEV / "gaming.dev.jsonl"
    if gaming.exists():  # the dev split's category tricks are examples too
        for line in gaming.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("check") == "category":
                rows.append({"text": row["text"], "category": row["category"],
                             "label": bool(row["expected"]), "source": "dev"})
    for path in training_files():
        category = path.name.split(".")[0]
        if category == "gaming":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({"text": row["text"], "category": category, "label": bool(row["label"]),
                             "source": "dev" if path.parent == DEV else path.parent.name})
    return rows


def featurise(rows: list[dict]) -> dict[str, tuple[set[str], dict]]:
    """Per text: its n-gram features and its lexicon matches, as lexicons.judge_all builds them."""
    cache: dict[str, tuple[set[str], dict]] = {}
    for row in rows:
        if row["text"] not in cache:
            view = for_matching(row["text"])
            cache[row["text"]] = (model.features(view.text),
                                  lexicons.classify_all(view, MODELLED))
    return cache


def category_features(featured: tuple[set[str], dict], category: str) -> set[str]:
    found, matches = featured
    return found | {f"l:{flag}" for flag in lexicons.lexicon_flag(matches[category])}


def examples(rows: list[dict], category: str) -> list[tuple[str, bool, float]]:
    """(text, label, weight) for one category, one line per distinct text."""
    chosen: dict[str, tuple[bool, float]] = {}
    for row in rows:
        if row["category"] == category:
            chosen[row["text"]] = (row["label"], 1.0)
    for row in rows:
        if row["category"] != category and row["label"] and row["text"] not in chosen:
            chosen[row["text"]] = (False, OTHER_WEIGHT)
    return [(text, label, weight) for text, (label, weight) in sorted(chosen.items())]


def fit(samples: list[tuple[set[str], bool, float]]) -> tuple[float, dict[str, float]]:
    positives = sum(w for _, y, w in samples if y) or 1.0
    negatives = sum(w for _, y, w in samples if not y) or 1.0
    balance = negatives / positives
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(samples)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch)
        for index in order:
            found, label, weight = samples[index]
            scale = 1.0 / math.sqrt(len(found) or 1)
            logit = bias + scale * sum(weights.get(f, 0.0) for f in found)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
            gradient = (p - label) * weight * (balance if label else 1.0)
            bias -= rate * gradient * 0.1
            for f in found:
                old = weights.get(f, 0.0)
                weights[f] = old - rate * (gradient * scale + L2 * old)
    return bias, weights


def scaled(bias: float, weights: dict[str, float], average_features: float) -> tuple[float, dict]:
    """Fold the 1/sqrt(n) scale into the weights at a typical length (inference sums only)."""
    scale = 1.0 / math.sqrt(average_features)
    return bias, {f: round(w * scale, 4) for f, w in weights.items() if abs(w * scale) >= MIN_WEIGHT}


def probability(bias: float, table: dict[str, float], found: set[str]) -> float:
    logit = bias + sum(table.get(f, 0.0) for f in found)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def pick_threshold(scored: list[tuple[float, bool]], precision: float, floor: float = 0.5) -> float:
    """Lowest cut whose out-of-fold precision (over everything above it) stays >= precision."""
    best = 1.01
    ranked = sorted(scored, reverse=True)
    true_positives = flagged = 0
    for p, label in ranked:
        flagged += 1
        true_positives += label
        if true_positives / flagged >= precision and true_positives >= 3:
            best = p
    return max(floor, round(best, 4))


def train_category(rows: list[dict], features: dict, category: str) -> dict:
    chosen = examples(rows, category)
    samples = [(category_features(features[text], category), label, weight)
               for text, label, weight in chosen]
    average = sum(len(f) for f, _, _ in samples) / len(samples)
    out_of_fold: list[tuple[float, bool]] = []
    dev_texts = {r["text"] for r in rows if r["source"] == "dev" and r["category"] == category}
    dev_scores: list[tuple[float, bool]] = []
    for fold in range(FOLDS):
        train = [s for i, s in enumerate(samples) if i % FOLDS != fold]
        bias, table = scaled(*fit(train), average)
        for i, (found, label, weight) in enumerate(samples):
            if i % FOLDS == fold and weight == 1.0:
                out_of_fold.append((probability(bias, table, found), label))
                if chosen[i][0] in dev_texts:
                    dev_scores.append((out_of_fold[-1][0], label))
    threshold = pick_threshold(out_of_fold, TARGET_PRECISION)
    flag = min(threshold, max(FLAG_FLOOR, pick_threshold(out_of_fold, FLAG_PRECISION, FLAG_FLOOR)))
    bias, table = scaled(*fit(samples), average)
    return {"bias": round(bias, 4), "threshold": threshold, "flag": flag, "w": table,
            "cv": _cv(out_of_fold, threshold), "cv_dev": _cv(dev_scores, threshold)}


def _cv(scored: list[tuple[float, bool]], threshold: float) -> dict:
    positives = sum(label for _, label in scored)
    flagged = [(p, label) for p, label in scored if p >= threshold]
    true_positives = sum(label for _, label in flagged)
    return {"n": len(scored), "pos": positives,
            "precision": round(true_positives / len(flagged), 3) if flagged else 1.0,
            "recall": round(true_positives / positives, 3) if positives else 1.0}


def main() -> int:
    rows = load()
    features = featurise(rows)
    categories = {}
    for category in MODELLED:
        categories[category] = train_category(rows, features, category)
        cv = categories[category]
        print(f"{category}: threshold {cv['threshold']} flag {cv['flag']} cv {cv['cv']} "
              f"dev(out-of-fold) {cv['cv_dev']} weights {len(cv['w'])}", file=sys.stderr)
    model.WEIGHTS.parent.mkdir(exist_ok=True)
    document_ = {"data_sha256": data_hash(), "trained_on": [p.relative_to(ROOT).as_posix()
                                                             for p in training_files()],
                 "categories": categories}
    model.WEIGHTS.write_text(json.dumps(document_, sort_keys=True, separators=(",", ":")) + "\n",
                             encoding="utf-8")
    print(f"wrote {model.WEIGHTS} ({model.WEIGHTS.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
