"""`python -m chalicelib.local.demo`: demo tickets for the seller page, sent as signed webhooks.

Talks to a running `make run` over HTTP exactly as a marketplace would (Standard Webhooks
signatures with the secrets of the tenants file), so the page then shows real decisions:
an accepted ticket and a CMS-2 rejection on cmsmart, Business Care (PS-1) with a first
answer in time (PS-3 met), an unanswered pre-sale question, a refund right that ends within
a week (PS-7), three weeks of answered pre-sale questions (the PS-3 chart) and one
ticket of another seller that acme must never see. Each run opens new
threads (a random prefix), so it can be run again.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from standardwebhooks.webhooks import Webhook

from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.settings import Settings

from . import tenants_file

ROOT = Path(__file__).resolve().parents[2]
BLANK = "Since I enabled the module the checkout page stays blank. How can I fix it?"
FRENCH = "Bonjour, depuis la mise à jour le module ne s'affiche plus. Comment puis-je corriger cela ?"
CARE = ("Hello, after the upgrade the payment step fails with error 500. My ftp login is demo "
        "and password is hunter2, can you check the logs and tell me what to change?")


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class Marketplace:
    """Signs and posts events for one marketplace of the tenants file."""

    def __init__(self, url: str, name: str, secret: str, prefix: str):
        self.url, self.name, self.webhook, self.prefix = url, name, Webhook(secret), prefix
        self.sent = 0

    def send(self, kind: str, data: dict, at: datetime) -> dict:
        self.sent += 1
        webhook_id = f"{self.prefix}-{self.name}-{self.sent}"
        body = json.dumps({"type": kind, "timestamp": _iso(at), "data": data})
        now = datetime.now(timezone.utc)
        request = urllib.request.Request(
            f"{self.url}/webhooks/{self.name}", data=body.encode(), method="POST",
            headers={"webhook-id": webhook_id, "webhook-timestamp": str(int(now.timestamp())),
                     "webhook-signature": self.webhook.sign(webhook_id, now, body),
                     "content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def message(self, thread: str, seller: str, customer: str, body: str, at: datetime,
                **extra) -> dict:
        data = {"message_id": f"{thread}-{self.sent + 1}", "thread_id": thread, "seller_id": seller,
                "product_id": extra.pop("product_id", "one-step-checkout"), "customer_id": customer,
                "author": extra.pop("author", "customer"), "assignee": "anna", "body": body,
                "sent_at": _iso(at), **extra}
        return self.send("message.created", data, at)

    def payment(self, order: str, seller: str, customer: str, at: datetime, **extra) -> dict:
        data = {"payment_id": f"pay-{order}", "order_id": order, "seller_id": seller,
                "product_id": "one-step-checkout", "customer_id": customer, "status": "succeeded",
                "amount": "79.00", "currency": "EUR", "occurred_at": _iso(at), **extra}
        return self.send("payment.updated", data, at)


def seed(url: str, tenants_path: Path, now: datetime | None = None) -> dict[str, list[str]]:
    """Send the demo events; returns the thread ids opened, per seller."""
    profiles = set(ProfileCatalog(Settings.from_env().profile_dirs).names())
    tenants = tenants_file.load(tenants_path, profiles)
    prefix = f"demo-{secrets.token_hex(3)}"
    now = now or datetime.now(timezone.utc)
    market = {name: Marketplace(url, name, entry.secrets[0], prefix)
              for name, entry in tenants.marketplaces.items()}
    cms, ps = market["cmsmart"], market["prestashop"]
    acme, globex = "acme-modules", "globex-addons"
    shop = f"https://{prefix}.shop.example.com"
    opened = {acme: [f"{prefix}-blank", f"{prefix}-french", f"{prefix}-care", f"{prefix}-presale"],
              globex: [f"{prefix}-globex"]}
    cms.message(opened[acme][0], acme, f"{prefix}-c1", BLANK, now)
    cms.message(opened[acme][1], acme, f"{prefix}-c2", FRENCH, now)
    ps.payment(f"{prefix}-care", acme, f"{prefix}-c3", now - timedelta(days=360), plan="business_care",
               purchase="subscription", shop_url=shop, covers_until=_iso(now + timedelta(days=5)))
    ps.message(opened[acme][2], acme, f"{prefix}-c3", CARE, now, shop_url=shop)
    ps.message(opened[acme][2], acme, f"{prefix}-c3", "Thanks: the log shows a missing PHP extension "
               "(intl). Enable it and the payment step works again.", now + timedelta(minutes=40),
               author="seller")
    ps.payment(f"{prefix}-recent", acme, f"{prefix}-c4", now - timedelta(days=25))
    ps.message(opened[acme][3], acme, f"{prefix}-c5", "Does the module work with PrestaShop 9? "
               "Which version should I buy?", now, tags=["pre_sale"])
    cms.message(opened[globex][0], globex, f"{prefix}-c1", BLANK, now, product_id="globex-gallery")
    _history(ps, acme, prefix, now)
    return opened


def _history(ps: Marketplace, seller: str, prefix: str, now: datetime) -> None:
    """Three weeks of answered pre-sale questions, one in four answered late: the PS-3 chart."""
    for day in range(1, 22):
        thread, asked = f"{prefix}-past{day}", now - timedelta(days=day)
        late = day % 4 == 0
        ps.message(thread, seller, f"{prefix}-p{day}", "Is the module compatible with "
                   "PrestaShop 8.1? Can I use it on two shops?", asked, tags=["pre_sale"])
        ps.message(thread, seller, f"{prefix}-p{day}", "Yes: 8.0 to 8.2, one licence per shop.",
                   asked + timedelta(days=3 if late else 0, hours=2), author="seller")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.local.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--tenants", type=Path, default=ROOT / "examples" / "tenants.yaml")
    args = parser.parse_args(argv)
    opened = seed(args.url.rstrip("/"), args.tenants)
    for seller, threads in opened.items():
        print(f"{seller}: {', '.join(threads)}")
    print(f"open {args.url.rstrip('/')}/dashboard and enter acme-modules' key from {args.tenants.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
