"""Message bodies in English and French, of a requested size, from the hand-labelled
support messages in tests/data/questions.jsonl (real wording, question counts known)."""
from __future__ import annotations

import json
import math
import random
from functools import cache

from . import ROOT

CREDENTIAL_LINES = {
    "en": "Here is our FTP access: host ftp.shop.example user shopftp password {s}.",
    "fr": "Voici l'accès admin : identifiant admin, mot de passe {s}.",
}
SELLER_LINES = {
    "en": ["Thank you for your message, we are looking into it.",
           "We have checked your shop: please clear the cache and try again.",
           "The fix is in version 2.3.1, available in your account."],
    "fr": ["Merci pour votre message, nous regardons cela.",
           "Nous avons vérifié votre boutique : videz le cache et réessayez.",
           "Le correctif est dans la version 2.3.1, disponible dans votre compte."],
}


@cache
def texts(language: str, questions: int) -> tuple[str, ...]:
    """Texts of one language with exactly `questions` questions (hand-labelled)."""
    rows = (json.loads(line) for line in
            (ROOT / "tests" / "data" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip())
    return tuple(r["text"] for r in rows if r["lang"] == language and r["questions"] == questions)


def body(rng: random.Random, language: str, size: int, secret: str | None = None) -> str:
    """At most `size` UTF-8 bytes: a question (two, one time in five), then statements without
    questions (context, logs, thanks) up to the size; a planted credential first."""
    parts = [CREDENTIAL_LINES[language].format(s=secret)] if secret else []
    parts += rng.sample(texts(language, 1), 2 if rng.random() < 0.2 else 1)
    text = "\n\n".join(parts)
    while len(text.encode()) < size:
        text += "\n\n" + rng.choice(texts(language, 0))
    return text.encode()[:size].decode("utf-8", "ignore").rstrip()


def seller_body(rng: random.Random, language: str) -> str:
    return " ".join(rng.sample(SELLER_LINES[language], rng.randint(1, 3)))


def log_uniform(rng: random.Random, low: float, high: float) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def secret(rng: random.Random) -> str:
    return "Pw" + "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10)) + "!"
