"""One shop, one key: URLs compared after normalising scheme, www., case, trailing slash, punycode."""
from __future__ import annotations

from urllib.parse import urlsplit


def normalise_shop_url(url: str | None) -> str | None:
    """'HTTPS://www.Boutique-Été.fr/shop/' -> 'xn--boutique-t-f4a.fr/shop' (None if no host)."""
    if not url or not url.strip():
        return None
    raw = url.strip()
    parts = urlsplit(raw if "//" in raw else f"//{raw}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    host = _punycode(host.lower())
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/")
    return f"{host}{path}".lower()


def _punycode(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host
