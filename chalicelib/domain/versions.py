"""Platform version ranges as declared at purchase: '1.7.x', '1.6.1-1.7.8', '>=8.0,<9'."""
from __future__ import annotations

import operator
import re

_COMPARATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
                "==": operator.eq, "=": operator.eq}
_NUMBER = re.compile(r"\d+")


def parse_version(text: str) -> tuple[int, ...]:
    """'1.7.8.10' -> (1, 7, 8, 10); trailing zeros dropped so 8.0 == 8."""
    numbers = [int(n) for n in _NUMBER.findall(text)]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def in_range(version: str, declared: str) -> bool:
    """True if `version` is inside one declared range; unparseable ranges match nothing."""
    spec = declared.strip().lower()
    if not spec or not _NUMBER.search(version):
        return False
    if spec.endswith((".x", ".*")):
        prefix = parse_version(spec[:-2])
        return parse_version(version)[: len(prefix)] == prefix
    if "-" in spec and not spec.startswith(tuple(_COMPARATORS)):
        low, _, high = spec.partition("-")
        return parse_version(low) <= parse_version(version) <= parse_version(high)
    if spec[0] in "<>=":
        return all(_compare(version, part.strip()) for part in spec.split(","))
    return parse_version(version)[: len(parse_version(spec))] == parse_version(spec)


def _compare(version: str, clause: str) -> bool:
    for symbol in sorted(_COMPARATORS, key=len, reverse=True):
        if clause.startswith(symbol):
            return _COMPARATORS[symbol](parse_version(version), parse_version(clause[len(symbol):]))
    return False
