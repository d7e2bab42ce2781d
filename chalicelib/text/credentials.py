"""Finds credentials pasted into support messages so stored text never keeps them (CRJ-3).

What counts: password values, `user:password` in URLs, API keys and tokens (known shapes, or a
long letter-and-digit string after an "api key"/"token"/"clé API" keyword), private key blocks,
and a login name (or login e-mail) only when a secret is found within USERNAME_REACH characters:
a login next to its password or key is half the credential, a login alone is not secret. Hosts,
ports, URLs, order ids and hashes without a keyword are not credentials.
"""

import re
from dataclasses import dataclass

from chalicelib.text.credential_patterns import (
    PLACEHOLDER,
    QUOTE_PAIRS,
    SECRET_RULES,
    USERNAME_RULES,
    Rule,
)

USERNAME_REACH = 200
_TRAILING_PUNCT = ".,;:"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class FoundCredential:
    kind: str  # password | username | url_userinfo | api_key | token | private_key
    start: int
    end: int
    value: str
    label: str  # the words that introduced it, never the secret


@dataclass(frozen=True)
class Redaction:
    text: str
    found: tuple[FoundCredential, ...]


def find_credentials(text: str) -> tuple[FoundCredential, ...]:
    taken = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
    ranked = sorted(_candidates(text), key=lambda c: (c[0], c[1].start, c[1].start - c[1].end))
    secrets = _take([f for _, f in ranked if f.kind != "username"], taken)
    logins = [f for _, f in ranked if f.kind == "username" and _near_any(f, secrets)]
    logins = _take(logins, taken + [(f.start, f.end) for f in secrets])
    return tuple(sorted(secrets + logins, key=lambda f: f.start))


def redact(text: str) -> Redaction:
    found = find_credentials(text)
    first = 1 + max((int(n) for n in PLACEHOLDER.findall(text)), default=0)
    pieces, cursor = [], 0
    for number, credential in enumerate(found, start=first):
        pieces += [text[cursor : credential.start], f"[redacted credential #{number}]"]
        cursor = credential.end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), found)


def _candidates(text: str):
    for rule in SECRET_RULES + USERNAME_RULES:
        for match in rule.regex.finditer(text):
            yield from _from_match(rule, match)


def _from_match(rule: Rule, match: re.Match):
    start, end = _value_span(match, "value")
    value = match.string[start:end]
    if not rule.accepts(value, match):
        return
    label = rule.label or " ".join(match.group("label").split())
    yield rule.priority, FoundCredential(rule.kind, start, end, value, label)
    if "user" in match.groupdict():
        user_start, user_end = _value_span(match, "user")
        login = match.string[user_start:user_end]
        yield 4, FoundCredential("username", user_start, user_end, login, label)


def _value_span(match: re.Match, group: str) -> tuple[int, int]:
    """Quotes are not part of a password; sentence punctuation after it usually is not either."""
    start, end = match.span(group)
    raw = match.group(group)
    if len(raw) > 2 and raw[0] in QUOTE_PAIRS and raw[-1] == QUOTE_PAIRS[raw[0]]:
        inner = raw[1:-1]
        return start + 1 + len(inner) - len(inner.lstrip()), end - 1 - len(inner) + len(inner.rstrip())
    return start, start + len(_trim(raw))


def _trim(raw: str) -> str:
    value = raw
    while value and (value[-1] in _TRAILING_PUNCT or _is_unbalanced_closer(value)):
        value = value[:-1]
    return value or raw


def _is_unbalanced_closer(value: str) -> bool:
    opener = _CLOSERS.get(value[-1])
    return opener is not None and value.count(opener) < value.count(value[-1])


def _take(candidates: list[FoundCredential], taken: list[tuple[int, int]]) -> list[FoundCredential]:
    """Best-ranked first; a candidate touching an earlier pick or a placeholder is dropped."""
    kept: list[FoundCredential] = []
    spans = list(taken)
    for found in candidates:
        if all(found.end <= start or end <= found.start for start, end in spans):
            kept.append(found)
            spans.append((found.start, found.end))
    return kept


def _near_any(login: FoundCredential, secrets: list[FoundCredential]) -> bool:
    return any(
        login.start - USERNAME_REACH <= s.end and s.start <= login.end + USERNAME_REACH
        for s in secrets
    )
