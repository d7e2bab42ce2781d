"""botocore errors -> the domain's: a 503 only when a retry can succeed.

Throttling, 5xx, timeouts, an unreachable endpoint and also a missing or forbidden resource
(an operator can fix it, then the sender's retry succeeds) are DependencyError. A request the
service refuses as malformed (ValidationException, a client-side parameter error) fails the
same way on every retry: it is our bug (the edge should have refused the input), so a logged
500 via RequestRejectedError, never a 503 that invites retries for days.
"""
from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from chalicelib.domain.errors import DependencyError, RequestRejectedError

REJECTED = {"ValidationException", "ValidationError", "SerializationException",
            "InvalidParameterValue", "InvalidParameterValueException",
            "InvalidParameterCombination", "ItemCollectionSizeLimitExceededException"}


def code_of(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def translate(service: str, operation: str, exc: Exception) -> Exception:
    """The domain error for a failed call (raise it `from exc`)."""
    if isinstance(exc, ParamValidationError):
        return RequestRejectedError(f"{service} {operation} refused its parameters")
    if isinstance(exc, ClientError) and code_of(exc) in REJECTED:
        return RequestRejectedError(f"{service} {operation} refused the request: {code_of(exc)}")
    if isinstance(exc, ClientError):
        return DependencyError(f"{service} {operation} failed: {code_of(exc) or type(exc).__name__}")
    if isinstance(exc, BotoCoreError):
        return DependencyError(f"{service} unreachable: {type(exc).__name__}")
    return exc
