"""Strict JSON bodies: UTF-8 without a BOM, bounded nesting, no lone surrogates (RFC 8259 §8)."""
from __future__ import annotations

import json

from chalicelib.domain.errors import InvalidInputError

MAX_DEPTH = 32  # the deepest event is 4 levels; unknown extra fields may nest, not without bound
BOM = "\ufeff"


def load(body: bytes):
    """The parsed body, or a 400 naming `body` and what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(f"not UTF-8 (byte {exc.start}): send UTF-8 JSON") from exc
    if text.startswith(BOM):
        raise _invalid("starts with a byte order mark: send UTF-8 JSON without a BOM")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidInputError("body is not valid JSON", [("body", str(exc)[:200])]) from exc
    _check_tree(raw)
    return raw


def _check_tree(raw) -> None:
    """Iterative, so a deep body costs a loop, not the stack."""
    pending = [(raw, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _invalid(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending += [(item, depth + 1) for item in value]
        elif isinstance(value, str):
            _check_text(value)


def _check_text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _invalid("a string holds a lone surrogate escape (e.g. \\ud800): not Unicode text") from exc


def _invalid(problem: str) -> InvalidInputError:
    return InvalidInputError("body is not acceptable JSON", [("body", problem)])
