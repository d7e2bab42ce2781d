"""Reply templates per outcome code, in English and French, filled from the decision's evidence."""
from __future__ import annotations

import functools
import string
from pathlib import Path

from chalicelib import yaml_files

from chalicelib.domain.actions import Reply
from chalicelib.domain.decisions import Decision
from chalicelib.text import precompiled

TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=None)
def templates(language: str) -> dict[str, str]:
    """The language's templates; as precompiled (chalicelib/text/precompiled.py) when current."""
    raw = (TEMPLATES / f"{language}.yaml").read_bytes()
    inputs = precompiled.digest(raw)
    found = precompiled.load(f"templates-{language}", inputs)
    if found is not None:
        return found
    loaded = yaml_files.load(raw.decode("utf-8"))
    if precompiled.writable():
        precompiled.save(f"templates-{language}", inputs, loaded)
    return loaded


def reply_language(detected: str | None, allowed: tuple[str, ...]) -> str:
    """The message's language where the profile allows it, else the profile's first language."""
    return detected if detected in allowed else allowed[0]


def reply(decision: Decision, language: str) -> Reply | None:
    text = templates(language).get(decision.code or "", "")
    if not text:
        return None
    return Reply(template=decision.code or "", language=language,
                 text=_fill(text, decision.evidence))


def _fill(text: str, evidence: dict) -> str:
    """Missing placeholders are left visible rather than raising mid-request."""
    values = {k: ", ".join(map(str, v)) if isinstance(v, list) else v for k, v in evidence.items()}
    return string.Formatter().vformat(text, (), _Defaulting(values))


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
