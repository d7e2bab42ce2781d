"""Plain data the Lambda init phase used to build, precompiled (issue 17, cold start).

What is precompiled, into `chalicelib/text/precompiled/*.marshal` (git-ignored, built by
`python -m textbuild.precompile`, which `scripts/package.sh` runs before `chalice package`):

- `langdetect`: the n-gram -> probabilities table of PROFILE_SUBSET (language.py), i.e. what
  langdetect's `load_json_profile` builds from 26 JSON files, loaded in one `marshal.loads`;
- `lexicons`: each category's description and the two regular-expression sources
  (lexicons.py), i.e. the YAML read, validated and joined;
- `weights`: the model's weights (model.py), i.e. `model/weights.json` parsed;
- `profiles`: the built-in policy profiles, validated, pickled (policy/profile.py);
- `templates-<language>`: the reply templates (policy/replies.py);
- `regex`: the compiled code of the regular expressions compiled at import and in warm-up by
  modules the yardstick (`import boto3; boto3.client("dynamodb")`) does not import (recorded
  by the build), handed to `_sre.compile` instead of being parsed and compiled again; seeded
  into `re`'s own cache so `re.compile(source, flags)` finds them.

Staleness: every file starts with HEADER (format, interpreter, regex engine version) and all
but `regex` carry the digest of their inputs (the files they were built from, and the code
that builds them); a file whose header or digest differs from what the running code computes
is ignored and the data is built the slow way, as before (and, where the directory is
writable, written again: a local checkout regenerates itself; a Lambda's code is read-only).
A `regex` entry is keyed by its own source and flags, so it can only ever stand for that exact
expression: a changed pattern misses and is compiled as usual; `_sre.compile` validates the
code. `tests/unit/test_precompiled.py` checks the fast path gives what the slow path gives
(equal tables, equal compiled patterns, same verdicts, equal profiles and templates).
"""
from __future__ import annotations

import gc
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path

import _sre

DIRECTORY = Path(__file__).with_name("precompiled")
FORMAT = 1


def _engine() -> tuple:
    """What the compiled regex code depends on: the interpreter and its regex engine."""
    from re import _constants  # the opcode table: its names, in order, are the encoding

    opcodes = hashlib.blake2b(" ".join(map(str, _constants.OPCODES)).encode()).hexdigest()[:16]
    return (FORMAT, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT,
            _sre.MAXGROUPS, opcodes)


HEADER = _engine()


def digest(*parts: bytes | str) -> str:
    """The content hash of a build's inputs."""
    hashed = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()


def path(name: str) -> Path:
    return DIRECTORY / f"{name}.marshal"


def load(name: str, expected: str | None = None):
    """The data of `name`, or None when missing, from another interpreter, or stale."""
    collecting = gc.isenabled()
    gc.disable()  # ~100k new objects, none garbage: collecting them meanwhile doubles the time
    try:
        header, found, data = marshal.loads(path(name).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        if collecting:
            gc.enable()
    if header != HEADER or (expected is not None and found != expected):
        return None
    return data


def save(name: str, inputs: str | None, data) -> bool:
    """Write atomically if the directory is writable (a checkout; not a Lambda's code)."""
    target = path(name)
    try:
        DIRECTORY.mkdir(exist_ok=True)
        if not os.access(DIRECTORY, os.W_OK):
            return False
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_bytes(marshal.dumps((HEADER, inputs, data)))
        os.replace(temporary, target)
        return True
    except (OSError, ValueError):  # ValueError: not marshallable (a bug; the slow path stands)
        return False


def writable() -> bool:
    try:
        DIRECTORY.mkdir(exist_ok=True)
    except OSError:
        return False
    return os.access(DIRECTORY, os.W_OK)


# --- regular expressions ------------------------------------------------------------------

def regex_entry(source: str, flags: int) -> tuple:
    """What `re.compile(source, flags)` hands to `_sre.compile` (CPython's re._compiler.compile)."""
    from re import _compiler, _parser

    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for key, index in groupindex.items():
        indexgroup[index] = key
    return (source, int(flags), int(flags | parsed.state.flags), tuple(map(int, code)),
            parsed.state.groups - 1,
            groupindex, tuple(indexgroup))


def from_entry(entry: tuple) -> re.Pattern[str]:
    source, _, final_flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(source, final_flags, list(code), groups, groupindex, indexgroup)


def seed_regex_cache() -> int:
    """Put the precompiled patterns into `re`'s cache; returns how many (0: no artifact)."""
    entries = load("regex")
    if not entries:
        return 0
    seeded = 0
    room = max(0, re._MAXCACHE - len(re._cache) - 64)  # leave room; an overflow only evicts
    for entry in entries[:room]:
        key = (str, entry[0], entry[1])
        if key in re._cache:
            continue
        try:
            re._cache[key] = from_entry(entry)
        except (RuntimeError, TypeError, ValueError):  # "invalid SRE code": compile as usual
            continue
        seeded += 1
    return seeded
