"""Figures of the attack tests (schemathesis, webhook fuzzing, isolation) in build/attack-figures.json.

Test modules call `record(section, figures)`; several xdist workers may write at once, so
the file is merged under an exclusive lock. `python -m evaluation.attack_report` prints it.
"""
from __future__ import annotations

import fcntl
import json
import sys
from contextlib import contextmanager
from pathlib import Path

BUILD = Path(__file__).resolve().parents[1] / "build"
FIGURES = BUILD / "attack-figures.json"


@contextmanager
def _locked():
    BUILD.mkdir(exist_ok=True)
    with open(BUILD / ".attack-figures.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load() -> dict:
    try:
        return json.loads(FIGURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record(section: str, figures: dict) -> None:
    """Set some keys of one section, keeping the rest (tests of a module may run on two workers)."""
    with _locked():
        merged = load()
        merged[section] = {**merged.get(section, {}), **figures}
        temporary = FIGURES.with_suffix(".tmp")
        temporary.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        temporary.replace(FIGURES)


def totals(figures: dict) -> dict[str, int]:
    """Cases run, 5xx answers and accepted forgeries, summed over every recorded test."""
    tests = [values for section in figures.values() for values in section.values()
             if isinstance(values, dict)]
    return {"cases": sum(t.get("cases", t.get("examples", 0)) for t in tests),
            "server_errors": sum(t.get("server_errors", 0) for t in tests),
            "accepted_forgeries": sum(t.get("accepted_forgeries", 0) for t in tests)}


def main() -> int:
    figures = load()
    if not figures:
        print(f"no figures yet: run the attack tests first ({FIGURES})", file=sys.stderr)
        return 1
    for section, tests in sorted(figures.items()):
        print(f"## {section}")
        for name, values in sorted(tests.items()):
            summary = {k: v for k, v in values.items() if not isinstance(v, dict)} \
                if isinstance(values, dict) else values
            print(f"- {name}: {json.dumps(summary, sort_keys=True)}")
    print(f"## total: {json.dumps(totals(figures), sort_keys=True)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
