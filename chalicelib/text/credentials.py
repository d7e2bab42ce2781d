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
    claimed = bytearray(len(text))  # 1 under a placeholder or an earlier finding
    for placeholder in PLACEHOLDER.finditer(text):
        claimed[placeholder.start() : placeholder.end()] = b"\1" * len(placeholder.group())
    found = _apply(SECRET_RULES, text, claimed, [], lambda group: True)
    near = _within_reach(found, len(text))
    found = _apply(USERNAME_RULES, text, claimed, found, lambda group: near[group[0].start])
    return tuple(sorted(found, key=lambda f: f.start))


def redact(text: str) -> Redaction:
    found = find_credentials(text)
    first = 1 + max((int(n) for n in PLACEHOLDER.findall(text)), default=0)
    pieces, cursor = [], 0
    for number, credential in enumerate(found, start=first):
        pieces += [text[cursor : credential.start], f"[redacted credential #{number}]"]
        cursor = credential.end
    pieces.append(text[cursor:])
    return Redaction("".join(pieces), found)


def _apply(rules, text: str, claimed: bytearray, earlier: list[FoundCredential], keep):
    found = list(earlier)
    for rule in rules:
        view = _as_redacted(text, found)
        for group in _findings(rule, view):
            if keep(group) and not any(any(claimed[f.start : f.end]) for f in group):
                found.extend(group)
                for f in group:
                    claimed[f.start : f.end] = b"\1" * (f.end - f.start)
    return found


def _within_reach(found: list[FoundCredential], length: int) -> bytearray:
    """A login name counts only if it starts this close to a secret; alone it is no credential."""
    near = bytearray(length)
    for s in (f for f in found if f.kind != "username"):
        start, end = max(0, s.start - USERNAME_REACH), min(length, s.end + USERNAME_REACH)
        near[start:end] = b"\1" * (end - start)
    return near


def _as_redacted(text: str, found: list[FoundCredential]) -> str:
    """Earlier findings look like placeholders to later rules, as they will on a second pass."""
    if not found:
        return text
    chars = list(text)
    for f in found:
        width = f.end - f.start
        chars[f.start : f.end] = "[" + " " * (width - 2) + "]" if width > 1 else " "
    return "".join(chars)


def _findings(rule: Rule, view: str):
    for match in rule.candidates(view):
        group = list(_from_match(rule, match))
        if group:
            yield group


def _from_match(rule: Rule, match: re.Match):
    start, end = _value_span(match, "value")
    value = match.string[start:end]
    if not value or not rule.accepts(value, match):
        return
    label = rule.label or " ".join(match.group("label").split())
    yield FoundCredential(rule.kind, start, end, value, label)
    if "user" in match.groupdict():
        user_start, user_end = _value_span(match, "user")
        login = match.string[user_start:user_end]
        yield FoundCredential("username", user_start, user_end, login, label)


def _value_span(match: re.Match, group: str) -> tuple[int, int]:
    """Quotes are not part of a password; sentence punctuation after it usually is not either."""
    start, end = match.span(group)
    raw = match.group(group)
    if len(raw) > 2 and raw[0] in QUOTE_PAIRS and raw[-1] == QUOTE_PAIRS[raw[0]]:
        inner_start = start + 1 + len(raw[1:-1]) - len(raw[1:-1].lstrip())
        return inner_start, max(inner_start, start + 1 + len(raw[1:-1].rstrip()))
    return start, start + len(_trim(raw))


def _trim(raw: str) -> str:
    value = raw
    while value and (value[-1] in _TRAILING_PUNCT or _is_unbalanced_closer(value)):
        value = value[:-1]
    return value or raw


def _is_unbalanced_closer(value: str) -> bool:
    opener = _CLOSERS.get(value[-1])
    return opener is not None and value.count(opener) < value.count(value[-1])
