"""`make run` keeps its state: moto's in-memory backends pickled on exit, restored on start.

moto has no persistence of its own; its backends are plain Python objects, so a pickle of
every backend in use (DynamoDB, SSM, KMS key material, Scheduler ...) is the whole embedded
AWS. Two kinds of objects need help: `cryptography` private keys (KMS keys; kept as PEM) and
defaultdicts whose factory is a lambda (rebuilt from a copy of what the factory makes).
"""
from __future__ import annotations

import collections
import copy
import io
import os
import pickle
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from moto.backends import get_backend
from moto.core.base_backend import BackendDict

FORMAT = 1
PRIVATE_KEYS = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)


@dataclass(frozen=True)
class Saved:
    path: Path
    services: tuple[str, ...]
    saved_at: datetime
    size: int


class _Fresh:
    """A picklable stand-in for `lambda: <empty container>`."""

    def __init__(self, sample):
        self.sample = sample

    def __call__(self):
        return copy.deepcopy(self.sample)


def _private_key(pem: bytes):
    return serialization.load_pem_private_key(pem, password=None)


def _defaultdict(cls, factory, items: dict, attrs: dict):
    rebuilt = cls.__new__(cls)
    rebuilt.default_factory = factory
    dict.update(rebuilt, items)
    if attrs:
        rebuilt.__dict__.update(attrs)
    return rebuilt


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, PRIVATE_KEYS):
            return _private_key, (obj.private_bytes(serialization.Encoding.PEM,
                                                    serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()),)
        if isinstance(obj, collections.defaultdict):
            factory = obj.default_factory
            if getattr(factory, "__name__", "") == "<lambda>":
                factory = _Fresh(factory())
            return _defaultdict, (type(obj), factory, dict(obj), getattr(obj, "__dict__", {}))
        return NotImplemented


def _state() -> dict[str, dict]:
    """{service: {account: {region: backend}}} of every moto backend that holds anything."""
    return {backends.service_name: {account: dict(dict.items(regions))
                                    for account, regions in dict.items(backends)}
            for backends in list(BackendDict._instances)}


def save(path: Path) -> Saved:
    """Atomic: a crash while writing leaves the previous snapshot in place."""
    state = _state()
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
        {"format": FORMAT, "saved_at": datetime.now(timezone.utc), "state": state})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(buffer.getvalue())
    os.replace(partial, path)
    return Saved(path, tuple(sorted(state)), datetime.now(timezone.utc), len(buffer.getvalue()))


def restore(path: Path) -> Saved:
    """Before moto's server starts: put every saved backend back in place."""
    blob = path.read_bytes()
    snapshot = pickle.loads(blob)  # our own file, written by save() above
    if snapshot.get("format") != FORMAT:
        raise ValueError(f"{path}: snapshot format {snapshot.get('format')} (expected {FORMAT})")
    for service, accounts in snapshot["state"].items():
        backends = get_backend(service)
        for account, regions in accounts.items():
            for region, backend in regions.items():
                dict.__setitem__(backends[account], region, backend)
    return Saved(path, tuple(sorted(snapshot["state"])), snapshot["saved_at"], len(blob))
