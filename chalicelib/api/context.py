"""The api's handle on the composition root: built once per Lambda container, injectable in tests."""
from __future__ import annotations

from chalicelib import bootstrap

_services: bootstrap.Services | None = None


def services() -> bootstrap.Services:
    global _services
    if _services is None:
        _services = bootstrap.build()
    return _services


def use(replacement: bootstrap.Services | None) -> None:
    """Tests and local mode inject their own wiring; None resets to lazy defaults."""
    global _services
    _services = replacement
