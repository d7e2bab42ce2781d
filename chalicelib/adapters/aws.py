"""boto3 clients, built lazily on first use and cached (never at import)."""
from __future__ import annotations

import functools

import boto3
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError, NoCredentialsError, NoRegionError

_CONFIG = Config(retries={"max_attempts": 4, "mode": "adaptive"}, connect_timeout=2,
                 read_timeout=5)


@functools.lru_cache(maxsize=None)
def client(service: str):
    """AWS_ENDPOINT_URL (local mode) is honoured by boto3 itself."""
    return boto3.session.Session().client(service, config=_CONFIG)


def setup_problem(exc: BaseException) -> str | None:
    """For command-line tools: what to fix when no AWS call could be made at all."""
    while exc.__cause__ is not None and not isinstance(exc, (EndpointConnectionError, NoRegionError,
                                                             NoCredentialsError)):
        exc = exc.__cause__
    if isinstance(exc, EndpointConnectionError):
        return f"cannot reach {exc.kwargs.get('endpoint_url', 'the AWS endpoint')}: is make run up?"
    if isinstance(exc, (NoRegionError, NoCredentialsError)):
        return f"{exc}: use --local for make run's embedded AWS, or set AWS credentials and region"
    return None


@functools.lru_cache(maxsize=None)
def streams_client():
    """DynamoDB Streams; with botocore 1.44 the account-based endpoint must be off, or moto
    answers 404 (TRAPS.md). Local mode only: on AWS, Lambda reads the stream."""
    config = _CONFIG.merge(Config(account_id_endpoint_mode="disabled"))
    return boto3.session.Session().client("dynamodbstreams", config=config)
