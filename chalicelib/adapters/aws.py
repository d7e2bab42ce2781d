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


@functools.lru_cache(maxsize=None)
def streams_client():
    """DynamoDB Streams; with botocore 1.44 the account-based endpoint must be off, or moto
    answers 404 (TRAPS.md). Local mode only: on AWS, Lambda reads the stream."""
    config = _CONFIG.merge(Config(account_id_endpoint_mode="disabled"))
    return boto3.session.Session().client("dynamodbstreams", config=config)
