"""One readable terminal line per webhook, request and timer firing of `make run`."""
from __future__ import annotations

from datetime import datetime


def _clean(text: str, limit: int = 80) -> str:
    """Request text shown in a terminal: printable characters only, bounded."""
    return "".join(c if c.isprintable() else "?" for c in text[:limit])


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


def outcome(body: dict) -> str:
    """`ticket tkt_… closed (expired); CMS-5 close; actions close_thread` from an answer body."""
    if "error" in body and isinstance(body["error"], dict):
        return f"{body['error'].get('code')}: {body['error'].get('message')}"
    parts = []
    ticket = body.get("ticket")
    if isinstance(ticket, dict):
        reason = f" ({ticket['close_reason']})" if ticket.get("close_reason") else ""
        parts.append(f"ticket {ticket.get('id')} {ticket.get('status')}{reason}")
    decisions = [d for d in body.get("decisions") or [] if isinstance(d, dict)]
    shown = [f"{d.get('rule')} {d.get('outcome')}"
             + (f" ({d['reason'][:60]})" if d.get("reason") else "") for d in decisions[:3]]
    if shown:
        more = f" +{len(decisions) - 3} more" if len(decisions) > 3 else ""
        parts.append("decisions " + "; ".join(shown) + more)
    actions = [a.get("type") for a in body.get("actions") or [] if isinstance(a, dict)]
    if actions:
        parts.append("actions " + ", ".join(map(str, actions)))
    if body.get("duplicate"):
        parts.append("duplicate: nothing changed")
    return "; ".join(parts) or "nothing to do"


def webhook_line(marketplace: str, webhook_id: str, status: int, body: dict) -> str:
    kind = body.get("type") or "event"
    return (f"{_clock()} webhook {_clean(marketplace)} {_clean(str(kind))} {_clean(webhook_id)} "
            f"-> {status}: {outcome(body)}")


def request_line(method: str, path: str, status: int) -> str:
    return f"{_clock()} {_clean(method)} {_clean(path, 200)} -> {status}"


def timer_line(kind: str, subject_id: str, due_at: datetime, body: dict) -> str:
    due = due_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"{_clock()} timer {kind} for {subject_id} (due {due}) fired: {outcome(body)}"
