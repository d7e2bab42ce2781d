"""Standard Webhooks headers for an outbound notice, signed with every active secret."""
from __future__ import annotations

from datetime import datetime

from standardwebhooks.webhooks import Webhook


def signed_headers(notice_id: str, body: str, secrets: list[str], wall_now: datetime) -> dict[str, str]:
    """`wall_now` is the real time (receivers check ±5 min), not local mode's test clock.
    During a rotation both secrets sign: the receiver accepts either (space-separated)."""
    signatures = " ".join(Webhook(s).sign(notice_id, wall_now, body) for s in secrets)
    return {"webhook-id": notice_id, "webhook-timestamp": str(int(wall_now.timestamp())),
            "webhook-signature": signatures, "content-type": "application/json",
            "user-agent": "Ticketwarden-Notices/1"}
