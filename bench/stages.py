"""(b, detail) Where the CPU of a large customer message goes: each stage of the webhook path
timed alone on the same 2-4 KB bodies (English and French), median and p99 per call."""
from __future__ import annotations

import json
import random
import time
from datetime import datetime, timezone

from tests.builders import SECRET, T0, iso, signed_headers

from . import SEED, percentile
from . import corpus



def _categories(profile: str) -> tuple[str, ...]:
    from chalicelib.policy.catalog import ProfileCatalog
    rules = ProfileCatalog(()).get(profile).rules
    return tuple(dict.fromkeys(c for r in rules if r.type == "lexicon" for c in r.params.categories))


def run(scale) -> dict:
    from chalicelib.api.webhooks import parse_event
    from chalicelib.services import signatures
    from chalicelib.text import analysis, credentials, language, lexicons, questions

    analysis.warm_up()
    rng = random.Random(SEED + 2)
    count = max(4, scale.cpu_webhooks // 10)
    bodies = [corpus.body(rng, "en" if n % 5 < 3 else "fr", rng.randint(2048, 4096)) for n in range(count)]
    categories = _categories("crmjetty")  # the profile with the most lexicon categories
    wires = []
    for n, text in enumerate(bodies):
        raw = json.dumps({"type": "message.created", "timestamp": iso(T0), "data": {
            "message_id": f"m{n}", "thread_id": f"s{n}", "seller_id": "s", "product_id": "p",
            "customer_id": "c", "author": "customer", "body": text, "sent_at": iso(T0)}}).encode()
        wires.append((raw, signed_headers(raw)))
    now = datetime.now(timezone.utc)
    stages = {
        "signature (Standard Webhooks HMAC)": lambda i: signatures.verify(wires[i][0], wires[i][1], (SECRET,), now),
        "JSON + pydantic (parse_event)": lambda i: parse_event(wires[i][0]),
        "credential finder (redact)": lambda i: credentials.redact(bodies[i]),
        f"language (clean + langdetect on {language.DETECT_CHARS:,} characters)":
            lambda i: language.detect_language(bodies[i]),
        "language without the cap (langdetect on the whole text)":
            lambda i: language.detect_language(bodies[i], max_chars=None),
        "lexicons (fold + 8 categories)": lambda i: lexicons.classify_all(bodies[i], categories),
        "questions (count)": lambda i: questions.count_questions(bodies[i], "en" if i % 5 < 3 else "fr"),
        "analyse() total (language + questions + lexicons)": lambda i: analysis.analyse(bodies[i], categories),
    }
    result = {}
    for name, stage in stages.items():
        ms = []
        for index in range(len(bodies)):
            started = time.process_time()
            stage(index)
            ms.append((time.process_time() - started) * 1000)
        result[name] = {"n": len(ms), "p50": percentile(ms, 50), "p99": percentile(ms, 99)}
    same = sum(language.detect_language(b).language
               == language.detect_language(b, max_chars=None).language for b in bodies)
    return {"stages": result, "bytes": sum(len(b.encode()) for b in bodies) / len(bodies),
            "cap_agrees": same, "n": len(bodies)}


def render(result: dict) -> str:
    lines = [f"Stages on customer messages of 2-4 KB (mean {result['bytes']:.0f} B; 60 % EN, 40 % FR):", "",
             "| stage | n | p50 ms | p99 ms |", "|---|--:|--:|--:|"]
    for name, s in result["stages"].items():
        lines.append(f"| {name} | {s['n']} | {s['p50']:.2f} | {s['p99']:.2f} |")
    lines += ["", f"Capped (`language.DETECT_CHARS`), langdetect names the same language as on the "
                  f"whole text for {result['cap_agrees']} of {result['n']} of these messages."]
    return "\n".join(lines)
