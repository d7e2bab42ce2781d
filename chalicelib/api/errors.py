"""Exception -> HTTP status and error body, in one place."""
from __future__ import annotations

import functools
import logging

from chalice import Response

from chalicelib.domain import errors

logger = logging.getLogger("ticketwarden.api")

STATUS = {
    errors.InvalidInputError: (400, "invalid_request"),
    errors.SignatureError: (401, "invalid_signature"),
    errors.UnauthorizedError: (401, "unauthorized"),
    errors.UnknownMarketplaceError: (404, "unknown_marketplace"),
    errors.NotFoundError: (404, "not_found"),
    errors.DeliveryConflictError: (409, "webhook_id_conflict"),
    errors.PayloadTooLargeError: (413, "payload_too_large"),
    errors.UnsupportedMediaTypeError: (415, "unsupported_media_type"),
    errors.DependencyError: (503, "dependency_unavailable"),
    errors.ConcurrencyError: (503, "dependency_unavailable"),
}
SIGNATURE_MESSAGE = "signature verification failed"


def error_response(status: int, code: str, message: str,
                   details: list[tuple[str, str]] | None = None) -> Response:
    body = {"error": {"code": code, "message": message,
                      "details": [{"field": f, "problem": p} for f, p in details or []]}}
    headers = {"Content-Type": "application/json"}
    if status == 503:
        headers["Retry-After"] = "5"
    return Response(body=body, status_code=status, headers=headers)


def to_response(exc: errors.TicketwardenError) -> Response:
    if isinstance(exc, errors.RequestRejectedError):
        return internal_error(exc)  # not retryable, and not the sender's fault: logged, no Retry-After
    for kind, (status, code) in STATUS.items():
        if isinstance(exc, kind):
            message = SIGNATURE_MESSAGE if status == 401 and kind is errors.SignatureError else str(exc)
            return error_response(status, code, message, getattr(exc, "details", None))
    return internal_error(exc)


def internal_error(exc: BaseException) -> Response:
    logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return error_response(500, "internal_error", "internal error; nothing was applied")


def guarded(view):
    """Every route answers the contract's error shape, never a stack trace."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except errors.TicketwardenError as exc:
            return to_response(exc)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            return internal_error(exc)
    return wrapper


CHALICE_CODES = {  # Chalice's own refusals, in the contract's vocabulary
    "MethodNotAllowedError": "method_not_allowed",
    "UnsupportedMediaType": "unsupported_media_type",
    "BadRequestError": "invalid_request",
    "NotFoundError": "not_found",
    "UnauthorizedError": "unauthorized",
    "ForbiddenError": "forbidden",
    "RequestTimeoutError": "request_timeout",
    "TooManyRequestsError": "too_many_requests",
}


def contract_shape(event, get_response):
    """Chalice answers some requests itself (405, 415 ...) as {"Code", "Message"}: reshape them."""
    response = get_response(event)
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and set(body) == {"Code", "Message"}:
        code = CHALICE_CODES.get(body["Code"], "error")
        reshaped = error_response(response.status_code, code, str(body["Message"]))
        reshaped.headers = {**response.headers, **reshaped.headers}
        return reshaped
    return response
