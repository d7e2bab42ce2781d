"""The one exception tree. Adapters translate library errors into these; the api maps them to HTTP."""


class TicketwardenError(Exception):
    """Base of every error the app raises on purpose."""


class InvalidInputError(TicketwardenError):
    """Input broke the contract; `details` lists (field, problem) pairs."""

    def __init__(self, message: str, details: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.details = details or []


class UnknownMarketplaceError(TicketwardenError):
    pass


class SignatureError(TicketwardenError):
    """Deliberately vague: the message must not help a forger."""


class PayloadTooLargeError(TicketwardenError):
    pass


class UnsupportedMediaTypeError(TicketwardenError):
    pass


class NotFoundError(TicketwardenError):
    pass


class UnauthorizedError(TicketwardenError):
    pass


class DeliveryConflictError(TicketwardenError):
    """The same webhook-id arrived again with a different body."""


class ConcurrencyError(TicketwardenError):
    """Someone else changed the state first; the caller reloads and retries."""


class DependencyError(TicketwardenError):
    """A dependency (DynamoDB, Scheduler, KMS) failed; nothing was half-applied."""


class RequestRejectedError(TicketwardenError):
    """A dependency refused a request as malformed: a retry fails the same way (our bug, a 500)."""


class ProfileError(TicketwardenError):
    """A policy profile is invalid; the message names the bad key and line."""


class AlreadyAppliedError(TicketwardenError):
    """The store already holds this webhook-id: carries the first response and body hash."""

    def __init__(self, response: dict, body_hash: str):
        super().__init__("delivery already applied")
        self.response = response
        self.body_hash = body_hash


class SlotTakenError(TicketwardenError):
    """The customer's one-open-ticket slot is held by another ticket (CMS-4)."""

    def __init__(self, ticket_id: str, opened_key: str):
        super().__init__(f"open slot held by {ticket_id}")
        self.ticket_id = ticket_id
        self.opened_key = opened_key


class UnsafeUrlError(InvalidInputError):
    """An endpoint URL that could reach something it must not (SSRF): refused with the reason."""

    def __init__(self, reason: str):
        super().__init__(f"endpoint url refused: {reason}", [("url", reason)])
        self.reason = reason
