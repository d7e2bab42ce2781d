"""`python -m chalicelib.cli lint FILE...`: validate profile files as the app loads them.

Prints one line per file: its ref and its rules, shadow ones named (`mode: shadow` records
decisions without acting); an invalid file prints `file:line: key: problem` and the command
exits with status 1.
"""
from __future__ import annotations

from pathlib import Path

from chalicelib.domain.errors import ProfileError
from chalicelib.policy.profile import Profile, load_profile


def add_parser(groups) -> None:
    sub = groups.add_parser("lint", help="validate profile files (line and key of each problem)")
    sub.add_argument("files", nargs="+", type=Path)


def lint_command(args, settings) -> str:
    lines, failed = [], False
    for path in args.files:
        try:
            lines.append(summary(path, load_profile(path)))
        except ProfileError as exc:
            failed = True
            lines.append(f"error: {exc}")
    if failed:
        raise SystemExit("\n".join(lines))
    return "\n".join(lines)


def summary(path: Path, profile: Profile) -> str:
    shadow = [r.id for r in profile.rules if r.shadow]
    watched = f", shadow: {', '.join(shadow)}" if shadow else ""
    return f"ok: {path}: {profile.ref}, {len(profile.rules)} rules ({len(shadow)} in shadow mode{watched})"
