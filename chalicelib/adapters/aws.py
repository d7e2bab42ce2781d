"""boto3 clients, built lazily on first use and cached (never at import)."""
from __future__ import annotations

import functools

import boto3
from botocore.config import Config

_CONFIG = Config(retries={"max_attempts": 4, "mode": "adaptive"}, connect_timeout=2,
                 read_timeout=5)


@functools.lru_cache(maxsize=None)
def client(service: str):
    """AWS_ENDPOINT_URL (local mode) is honoured by boto3 itself."""
    return boto3.session.Session().client(service, config=_CONFIG)
