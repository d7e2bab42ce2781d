"""The independent evaluation set (issue 16): refusal categories, CMS-3 questions, gaming.

Written by three helpers who had read POLICIES.md and the category descriptions, never the
patterns; frozen with `evaluation/independent/MANIFEST.sha256` before any tuning. Only the
`dev` split may be read while tuning; `test` is measured, never read. Every judgement goes
through `chalicelib.text.analysis.analyse`, the function the rules read, so the figures are
those of the product. `--json` prints the raw figures (used to record the baseline at the
branch point, `evaluation/independent_baseline.json`).

Run: `.venv/bin/python -m evaluation.independent_eval [--split test|dev] [--json]`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from chalicelib.text.analysis import analyse

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "independent"
BASELINE = Path(__file__).resolve().parent / "independent_baseline.json"
CATEGORIES = ("threat", "third_party_conflict", "merchant_site_work", "incompatible_developments",
              "customization", "basic_platform_knowledge", "how_do_i", "not_about_product",
              "modified_source")
ALLOWED = ("en",)
MIN_PROBABILITY = 0.8  # CMS-2 in profiles/cmsmart.yaml
SEGMENT_PROBABILITY = 0.9  # policy/rules/text_rules.py


def rows(name: str, split: str) -> list[dict]:
    path = DATA / f"{name}.{split}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def manifest_hash() -> str:
    path = DATA / "MANIFEST.sha256"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def language_verdict(text: str) -> str:
    """`not_en` when CMS-2 would refuse the message, else `en` (undetermined is not refused)."""
    facts = analyse(text)
    if facts.language not in (None, *ALLOWED) and facts.language_probability >= MIN_PROBABILITY:
        return "not_en"
    segments = getattr(facts, "language_segments", ())
    if any(s[0] not in ALLOWED and s[1] >= SEGMENT_PROBABILITY for s in segments):
        return "not_en"
    return "en"


def cms3(count: int) -> str:
    return "0" if count == 0 else "1-3" if count <= 3 else ">3"


def judged(text: str, category: str) -> tuple[bool, bool]:
    """(refused, only flagged for the seller): the rule's reading of the analysis."""
    facts = analyse(text, (category,))
    unsure = getattr(facts, "unsure", None)
    return facts.hit(category) is not None, bool(unsure and unsure(category))


def hit(text: str, category: str) -> bool:
    return judged(text, category)[0]


def category_figures(split: str) -> dict:
    figures = {}
    for category in CATEGORIES:
        samples = rows(category, split)
        for lang in ("en", "fr", "all"):
            chosen = [s for s in samples if lang in ("all", s["lang"])]
            flags = [(*judged(s["text"], category), bool(s["label"])) for s in chosen]
            figures[f"{category}/{lang}"] = {
                "pos": sum(label for _, _, label in flags),
                "neg": sum(not label for _, _, label in flags),
                "tp": sum(h and label for h, _, label in flags),
                "fp": sum(h and not label for h, _, label in flags),
                "flag_pos": sum(u and label for _, u, label in flags),
                "flag_neg": sum(u and not label for _, u, label in flags)}
    return figures


def question_figures(split: str) -> dict:
    figures = {}
    samples = rows("questions", split)
    counted = [(s, analyse(s["text"]).question_count) for s in samples]
    for lang in ("en", "fr", "all"):
        chosen = [(s, c) for s, c in counted if lang in ("all", s["lang"])]
        figures[lang] = {"n": len(chosen), "exact": sum(c == s["questions"] for s, c in chosen),
                         "verdict": sum(cms3(c) == cms3(s["questions"]) for s, c in chosen)}
    return figures


def gaming_outcome(attempt: dict) -> tuple[object, bool]:
    """(what we judged, whether the trick changed the verdict it should get)."""
    text, expected = attempt["text"], attempt["expected"]
    if attempt["check"] == "category":
        got = hit(text, attempt["category"])
        return got, got != bool(expected)
    if attempt["check"] == "language":
        got = language_verdict(text)
        return got, got != expected
    got = analyse(text).question_count
    return got, cms3(got) != cms3(int(expected))


def gaming_figures(split: str) -> dict:
    figures: dict = {}
    for attempt in rows("gaming", split):
        got, changed = gaming_outcome(attempt)
        entry = figures.setdefault(attempt["check"], {"n": 0, "changed": 0, "ids": []})
        entry["n"] += 1
        entry["changed"] += changed
        if changed:
            entry["ids"].append(attempt["id"])
    return figures


def figures(split: str) -> dict:
    return {"split": split, "categories": category_figures(split),
            "questions": question_figures(split), "gaming": gaming_figures(split)}


def _pr(cell: dict) -> tuple[float, float]:
    flagged = cell["tp"] + cell["fp"]
    precision = cell["tp"] / flagged if flagged else 1.0
    recall = cell["tp"] / cell["pos"] if cell["pos"] else 1.0
    return precision, recall


def _macro(cats: dict, lang: str) -> tuple[float, float]:
    pairs = [_pr(cats[f"{c}/{lang}"]) for c in CATEGORIES if f"{c}/{lang}" in cats]
    return (sum(p for p, _ in pairs) / len(pairs), sum(r for _, r in pairs) / len(pairs))


def _category_table(after: dict, before: dict | None) -> list[str]:
    lines = ["| category | lang | n+ | n− | precision before | recall before | precision | recall "
             "| flagged only (+ / −) |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    cats, old = after["categories"], (before or {}).get("categories", {})
    for category in CATEGORIES:
        for lang in ("en", "fr", "all"):
            cell = cats[f"{category}/{lang}"]
            p, r = _pr(cell)
            bp, br = _pr(old[f"{category}/{lang}"]) if f"{category}/{lang}" in old else (None, None)
            lines.append(f"| {category} | {lang} | {cell['pos']} | {cell['neg']} | {_f(bp)} | {_f(br)} "
                         f"| {p:.2f} | {r:.2f} | {cell.get('flag_pos', 0)} / {cell.get('flag_neg', 0)} |")
    for lang in ("en", "fr", "all"):
        p, r = _macro(cats, lang)
        bp, br = _macro(old, lang) if old else (None, None)
        lines.append(f"| **macro** | {lang} | | | {_f(bp)} | {_f(br)} | **{p:.2f}** | **{r:.2f}** | |")
    return lines


def _question_table(after: dict, before: dict | None) -> list[str]:
    lines = ["| lang | n | exact before | CMS-3 verdict before | exact | CMS-3 verdict |",
             "|---|---:|---:|---:|---:|---:|"]
    for lang in ("en", "fr", "all"):
        cell, old = after["questions"][lang], (before or {}).get("questions", {}).get(lang)
        lines.append(f"| {lang} | {cell['n']} | {_share(old, 'exact')} | {_share(old, 'verdict')} "
                     f"| {_share(cell, 'exact')} | {_share(cell, 'verdict')} |")
    return lines


def _gaming_table(after: dict, before: dict | None) -> list[str]:
    lines = ["| check | attempts | verdicts changed before | verdicts changed | ids changed |",
             "|---|---:|---:|---:|---|"]
    old = (before or {}).get("gaming", {})
    for check in sorted(after["gaming"]):
        cell = after["gaming"][check]
        was = old.get(check, {}).get("changed", "—")
        lines.append(f"| {check} | {cell['n']} | {was} | {cell['changed']} "
                     f"| {', '.join(cell['ids']) or '—'} |")
    total = sum(c["changed"] for c in after["gaming"].values())
    total_before = sum(c["changed"] for c in old.values()) if old else "—"
    lines.append(f"| **all** | {sum(c['n'] for c in after['gaming'].values())} | {total_before} "
                 f"| **{total}** | |")
    return lines


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _share(cell: dict | None, key: str) -> str:
    return "—" if not cell or not cell["n"] else f"{cell[key] / cell['n']:.1%}"


def report(split: str = "test") -> str:
    if not (DATA / "MANIFEST.sha256").exists():
        return "## Independent evaluation set (issue 16)\n\nNot frozen yet: no MANIFEST.sha256."
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    before = baseline.get(split)
    after = figures(split)
    return "\n".join([
        f"## Independent evaluation set (issue 16), split `{split}`",
        "",
        f"`evaluation/independent/`, frozen before tuning; sha256 of MANIFEST.sha256: "
        f"`{manifest_hash()}`. Written by three helper sessions from POLICIES.md and the category",
        "descriptions only; the test split was never read while tuning (dev was). \"before\" ="
        f" the code at the branch point `{baseline.get('commit', '?')}` (recorded in",
        "`evaluation/independent_baseline.json` by running this module on that commit).",
        "",
        *_targets(after), "",
        "### Refusal categories", "",
        "A category counts as recognised when its rule would fire (refuse, redirect or charge);",
        "\"flagged only\" = low confidence, recorded for the seller, nobody refused (positives /",
        "negatives).", "", *_category_table(after, before), "",
        "### Questions (CMS-3: 0 / 1–3 / >3)", "", *_question_table(after, before), "",
        "### Gaming attempts (a verdict is changed when the judgement differs from the expected one;"
        " for questions, the CMS-3 verdict)", "", *_gaming_table(after, before),
    ])


def _targets(after: dict) -> list[str]:
    """The issue's targets against this run, stated plainly."""
    p, r = _macro(after["categories"], "all")
    cells = [_pr(after["categories"][f"{c}/all"]) for c in CATEGORIES]
    low = [c for c, (cp, cr) in zip(CATEGORIES, cells) if cr < 0.75 or cp < 0.9]
    q = after["questions"]["all"]
    changed = sum(c["changed"] for c in after["gaming"].values())
    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"
    return [
        "| target (issue 16) | this run | |", "|---|---|---|",
        f"| macro recall ≥ 0.85 at macro precision ≥ 0.95 | recall {r:.2f}, precision {p:.2f} "
        f"| {met(r >= 0.85 and p >= 0.95)} |",
        f"| no category below recall 0.75 / precision 0.9 | below: {', '.join(low) or 'none'} "
        f"| {met(not low)} |",
        f"| CMS-3 verdict ≥ 95 % | {_share(q, 'verdict')} | {met(q['verdict'] >= 0.95 * q['n'])} |",
        f"| exact question count ≥ 85 % | {_share(q, 'exact')} | {met(q['exact'] >= 0.85 * q['n'])} |",
        f"| gaming attempts that change a verdict: 0 | {changed} | {met(changed == 0)} |",
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(figures(args.split), indent=1, sort_keys=True))
    else:
        print(report(args.split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
