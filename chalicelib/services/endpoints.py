"""Endpoints and notices as sellers and operators see them: register, rotate, poll, resend."""
from __future__ import annotations

import base64
import hashlib
import secrets as secrets_module
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.errors import InvalidInputError, NotFoundError
from chalicelib.domain.notices import NoticeType
from chalicelib.domain.outbound import (SECRET_OVERLAP, Dispatch, Endpoint, EndpointSecret,
                                        StoredNotice, owner_of_marketplace, owner_of_seller)

from .dispatch import Dispatcher, secret_context
from .outbound_ports import NoticePage, OutboundStore, UrlChecker
from .ports import Clock, CredentialVault

MAX_ENDPOINTS_PER_SELLER = 10
MAX_NOTICE_PAGE = 100
SELLER_TYPES = frozenset(t.value for t in NoticeType)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets_module.token_bytes(24)).decode()


def marketplace_endpoint_id(marketplace: str, url: str) -> str:
    """Stable, so seeding the tenants file twice updates instead of duplicating."""
    return "ep_" + hashlib.sha256(f"{marketplace}\x00{url}".encode()).hexdigest()[:20]


@dataclass
class EndpointService:
    store: OutboundStore
    vault: CredentialVault
    guard: UrlChecker
    dispatcher: Dispatcher
    clock: Clock

    def register(self, seller_id: str, url: str, event_types: tuple[str, ...] = ()) -> tuple[Endpoint, str]:
        """A new seller endpoint and its secret (shown once)."""
        bad = sorted(set(event_types) - SELLER_TYPES)
        if bad:
            raise InvalidInputError("unknown event types", [("event_types", f"unknown: {', '.join(bad)}")])
        self.guard.check(url)
        owner = owner_of_seller(seller_id)
        if len(self.store.endpoints_of(owner)) >= MAX_ENDPOINTS_PER_SELLER:
            raise InvalidInputError("too many endpoints", [("url", f"at most {MAX_ENDPOINTS_PER_SELLER} per seller")])
        endpoint_id = "ep_" + secrets_module.token_hex(10)
        return self._create(endpoint_id, owner, url, tuple(dict.fromkeys(event_types)), new_secret())

    def put_marketplace_endpoint(self, marketplace: str, url: str, secret: str) -> Endpoint:
        """Operator configuration (tenants file, CLI): idempotent per (marketplace, url)."""
        self.guard.check(url)
        endpoint_id = marketplace_endpoint_id(marketplace, url)
        current = self.store.load_endpoint(endpoint_id)
        sealed = EndpointSecret(self.vault.seal(secret_context(endpoint_id), secret))
        if current is None:
            return self._create(endpoint_id, owner_of_marketplace(marketplace), url, (), secret)[0]
        updated = replace(current, secrets=(sealed,), version=current.version + 1)
        self.store.put_endpoint(updated, current.version)
        return updated

    def _create(self, endpoint_id: str, owner: str, url: str, event_types: tuple[str, ...],
                secret: str) -> tuple[Endpoint, str]:
        sealed = EndpointSecret(self.vault.seal(secret_context(endpoint_id), secret))
        endpoint = Endpoint(endpoint_id, owner, url, (sealed,), self.clock.now(), event_types)
        self.store.put_endpoint(endpoint, None)
        return endpoint, secret

    def list(self, seller_id: str) -> list[Endpoint]:
        return self.store.endpoints_of(owner_of_seller(seller_id))

    def get(self, seller_id: str, endpoint_id: str) -> Endpoint:
        endpoint = self.store.load_endpoint(endpoint_id)
        if endpoint is None or endpoint.owner != owner_of_seller(seller_id):
            raise NotFoundError("no such endpoint")
        return endpoint

    def delete(self, seller_id: str, endpoint_id: str) -> None:
        self.get(seller_id, endpoint_id)
        self.store.delete_endpoint(endpoint_id)

    def rotate(self, seller_id: str, endpoint_id: str) -> tuple[Endpoint, str]:
        """The new secret signs from now on; the old ones keep signing for 24 h."""
        endpoint = self.get(seller_id, endpoint_id)
        now, secret = self.clock.now(), new_secret()
        kept = tuple(replace(s, expires_at=s.expires_at or now + SECRET_OVERLAP)
                     for s in endpoint.active_secrets(now))
        fresh = EndpointSecret(self.vault.seal(secret_context(endpoint_id), secret))
        updated = replace(endpoint, secrets=(fresh,) + kept, version=endpoint.version + 1)
        self.store.put_endpoint(updated, endpoint.version)
        return updated, secret

    def notices(self, seller_id: str, after: str | None, notice_type: str | None, limit: int) -> NoticePage:
        if notice_type is not None and notice_type not in SELLER_TYPES:
            raise InvalidInputError("unknown notice type", [("type", "not a notice type")])
        if not 1 <= limit <= MAX_NOTICE_PAGE:
            raise InvalidInputError("bad limit", [("limit", f"1 to {MAX_NOTICE_PAGE}")])
        return self.store.list_notices(seller_id, after, notice_type, limit)

    def notice(self, seller_id: str, notice_id: str) -> tuple[StoredNotice, list[Dispatch]]:
        notice = self.store.load_notice(notice_id)
        if notice is None or notice.seller_id != seller_id:
            raise NotFoundError("no such notice")
        return notice, self.store.dispatches_of(notice_id)

    def resend(self, seller_id: str, notice_id: str) -> list[Dispatch]:
        """One more attempt now to each of the seller's endpoints that receive this type."""
        notice, _ = self.notice(seller_id, notice_id)
        endpoints = [e for e in self.list(seller_id) if e.wants(notice.type) or
                     self.store.load_dispatch(notice.id, e.id) is not None]
        return self.dispatcher.resend(notice, endpoints)


def endpoint_view(endpoint: Endpoint) -> dict:
    return {"id": endpoint.id, "url": endpoint.url, "event_types": list(endpoint.event_types),
            "status": endpoint.status.value, "created_at": _iso(endpoint.created_at),
            "last_success_at": _iso(endpoint.last_success_at),
            "failing_since": _iso(endpoint.failing_since),
            "disabled_reason": endpoint.disabled_reason}


def notice_view(notice: StoredNotice) -> dict:
    return {"id": notice.id, "type": notice.type.value, "created_at": _iso(notice.created_at),
            "subject_id": notice.subject_id, "data": notice.data}


def dispatch_view(dispatch: Dispatch) -> dict:
    return {"endpoint_id": dispatch.endpoint_id, "state": dispatch.state.value,
            "next_attempt_at": _iso(dispatch.next_at),
            "attempts": [a.to_dict() for a in dispatch.attempts]}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
