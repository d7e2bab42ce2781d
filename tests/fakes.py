"""Wiring for service and app tests: in-memory adapters through bootstrap.build."""
from __future__ import annotations

from chalicelib import bootstrap
from chalicelib.adapters.memory import InMemoryTenants, InMemoryTicketStore
from chalicelib.adapters.kms_vault import FakeVault
from chalicelib.adapters.memory_outbound import InMemoryOutboundStore
from chalicelib.adapters.memory_timers import InMemoryTimers
from chalicelib.adapters.url_guard import UrlGuard
from chalicelib.domain.model import Marketplace, Seller
from chalicelib.services.clock import FixedClock
from chalicelib.services.status import hash_api_key
from chalicelib.settings import Settings

from .builders import SECRET, T0

ACME_KEY = "tw_test_acme_key_0123456789"
GLOBEX_KEY = "tw_test_globex_key_987654321"


def tenants() -> InMemoryTenants:
    directory = InMemoryTenants()
    directory.add_marketplace(Marketplace(name="cmsmart", policy="cmsmart", secrets=(SECRET,)))
    directory.add_marketplace(Marketplace(name="prestashop", policy="prestashop-business-care",
                                          secrets=(SECRET,)))
    directory.add_seller(Seller("acme"), (hash_api_key(ACME_KEY),))
    directory.add_seller(Seller("globex"), (hash_api_key(GLOBEX_KEY),))
    return directory


def build(**overrides) -> bootstrap.Services:
    wiring = {"settings": Settings(), "store": InMemoryTicketStore(), "tenants": tenants(),
              "scheduler": InMemoryTimers(), "clock": FixedClock(T0), "vault": FakeVault(),
              "outbound_store": InMemoryOutboundStore(), "url_guard": UrlGuard(allow_local=True)}
    wiring.update(overrides)
    return bootstrap.build(**wiring)
