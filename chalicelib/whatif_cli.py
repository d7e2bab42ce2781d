"""`python -m chalicelib.cli whatif`: what a candidate profile would have decided; read-only.

    whatif --profile FILE --seller SELLER [--since T] [--until T] [--format table|json]
    whatif --shadow --seller SELLER [--since T] [--until T] [--format table|json]

The store is the deployed table (TICKETWARDEN_TABLE; AWS_ENDPOINT_URL for the local stack).
Progress goes to stderr; the report to stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from chalicelib.domain.errors import ProfileError
from chalicelib.policy.profile import load_profile
from chalicelib.services.whatif import Report, ShadowReport, WhatIf
from chalicelib.services.whatif_diff import EXPLANATIONS
from chalicelib.settings import Settings

SHOWN_TICKETS = 200  # the table lists this many; --format json lists them all


def add_parser(groups) -> None:
    sub = groups.add_parser("whatif", help="re-judge stored tickets under a candidate profile",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.add_argument("--profile", type=Path, help="the candidate profile (YAML)")
    sub.add_argument("--shadow", action="store_true",
                     help="summarise what the current profile's shadow rules recorded")
    sub.add_argument("--seller", required=True)
    sub.add_argument("--since", type=instant, help="tickets opened at or after (RFC 3339)")
    sub.add_argument("--until", type=instant, help="tickets opened before (RFC 3339)")
    sub.add_argument("--as-of", type=instant, dest="as_of",
                     help="business time now (default: the wall clock; local mode: the test clock)")
    sub.add_argument("--format", choices=("table", "json"), default="table")


def instant(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an RFC 3339 instant: {text!r}") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def whatif_command(args, settings: Settings) -> str:
    if args.shadow == bool(args.profile):
        raise SystemExit("give either --profile FILE or --shadow")
    service = _service(settings, args.as_of)
    if args.shadow:
        shadow = service.shadow(args.seller, args.since, args.until)
        return json.dumps(shadow_view(shadow), indent=2) if args.format == "json" else shadow_table(shadow)
    try:
        candidate = load_profile(args.profile)
    except ProfileError as exc:
        raise SystemExit(f"invalid profile: {exc}") from None
    report = service.run(args.seller, candidate, args.since, args.until)
    return json.dumps(report_view(report), indent=2) if args.format == "json" else table(report)


def _service(settings: Settings, as_of: datetime | None) -> WhatIf:
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.dynamo.store import DynamoTicketStore
    from chalicelib.adapters.dynamo.tenants import DynamoTenants
    from chalicelib.policy.catalog import ProfileCatalog
    from chalicelib.services.profiles import Profiles
    from chalicelib.text.analysis import analyse
    store = DynamoTicketStore(client("dynamodb"), settings.table_name)
    tenants = DynamoTenants(client("dynamodb"), settings.table_name, cache_seconds=0)
    return WhatIf(store, Profiles(tenants, ProfileCatalog(settings.profile_dirs)), analyse,
                  as_of=lambda: as_of or datetime.now(timezone.utc),
                  progress=lambda line: print(line, file=sys.stderr, flush=True))


def report_view(report: Report) -> dict:
    return {"seller_id": report.seller_id, "candidate": report.candidate,
            "window": {"since": report.since, "until": report.until},
            "tickets": report.tickets, "rejudged": report.replayed,
            "other_profiles": dict(report.other_profile),
            "by_rule": {rule: dict(counts) for rule, counts in sorted(report.by_rule.items())},
            "changed": [t.view() for t in report.changed],
            "replay_check": {"explained": dict(report.explained),
                             "explanations": {k: EXPLANATIONS[k] for k in report.explained},
                             "unexplained": [t.view() for t in report.unexplained]},
            "seconds": round(report.seconds, 2)}


def table(report: Report) -> str:
    window = f"[{report.since or '-'}, {report.until or '-'})"
    lines = [f"whatif {report.candidate} for seller {report.seller_id}, tickets opened in {window}",
             f"{report.tickets} tickets read, {report.replayed} re-judged"
             + "".join(f"; {n} under {ref} (another profile, not re-judged)"
                       for ref, n in sorted(report.other_profile.items())), ""]
    lines += [f"{'rule':<10} {'appears':>8} {'disappears':>11} {'changes':>8}"]
    for rule, counts in sorted(report.by_rule.items()):
        lines.append(f"{rule:<10} {counts['appears']:>8} {counts['disappears']:>11} {counts['changes']:>8}")
    if not report.by_rule:
        lines.append("(no decision would change)")
    lines += ["", f"tickets decided differently: {len(report.changed)}"]
    for found in report.changed[:SHOWN_TICKETS]:
        lines.append(f"  {found.ticket_id}  thread {found.thread_id}  opened {found.opened_at}  "
                     f"{found.status_before} -> {found.status_after}")
        for change in found.changes:
            lines.append(f"    {change.rule} {change.change}: {change.before or '-'} -> "
                         f"{change.after or '-'}  {json.dumps(change.evidence, sort_keys=True)}")
    if len(report.changed) > SHOWN_TICKETS:
        lines.append(f"  ... {len(report.changed) - SHOWN_TICKETS} more (--format json lists all)")
    lines += ["", f"replay check (current profile vs stored decisions): "
              f"{len(report.unexplained)} unexplained"]
    for kind, count in sorted(report.explained.items()):
        lines.append(f"  explained, {kind}: {count} ticket(s): {EXPLANATIONS[kind]}")
    for found in report.unexplained[:SHOWN_TICKETS]:
        lines.append(f"  unexplained: {found.ticket_id} "
                     + "; ".join(f"{c.rule} {c.change} {c.before} -> {c.after}" for c in found.changes))
    return "\n".join(lines)


def shadow_view(report: ShadowReport) -> dict:
    return {"seller_id": report.seller_id, "window": {"since": report.since, "until": report.until},
            "tickets": report.tickets,
            "rules": {rule: {"tickets": dict(counts), "examples": report.examples[rule]}
                      for rule, counts in sorted(report.rules.items())}}


def shadow_table(report: ShadowReport) -> str:
    window = f"[{report.since or '-'}, {report.until or '-'})"
    lines = [f"shadow rules for seller {report.seller_id}, {report.tickets} tickets opened in {window}"]
    for rule, counts in sorted(report.rules.items()):
        said = ", ".join(f"{_verb(outcome)} {n} ticket{'s' if n != 1 else ''}"
                         for outcome, n in sorted(counts.items()))
        lines.append(f"  {rule} (shadow) would have {said}; e.g. {', '.join(report.examples[rule])}")
    if not report.rules:
        lines.append("  (no shadow decision recorded)")
    return "\n".join(lines)


def _verb(outcome: str) -> str:
    return {"reject": "rejected", "close": "closed", "redirect": "redirected", "flag": "flagged",
            "chargeable": "charged", "request_info": "asked for information on",
            "accept": "accepted"}.get(outcome, outcome)
