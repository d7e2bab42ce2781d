"""Structured JSON logs (Powertools Logger) that carry ids and outcomes, never secrets.

Every `ticketwarden.*` logger propagates to the one configured here. A handler filter is the
last line of defence: it drops extras whose names say they hold content (body, text,
secret, password, value) and redacts anything credential-shaped left in the message.
"""
from __future__ import annotations

import logging

from chalicelib.text.credentials import redact

FORBIDDEN_EXTRAS = ("body", "text", "secret", "password", "value", "ciphertext", "plaintext")
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_configured: list[logging.Handler] = []


class ScrubSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in set(vars(record)) - STANDARD_ATTRIBUTES:
            if any(word in name.lower() for word in FORBIDDEN_EXTRAS):
                setattr(record, name, "[dropped]")
        message = record.getMessage()
        cleaned = redact(message).text
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def configure(level: str = "INFO") -> logging.Logger:
    """Idempotent: one Powertools JSON handler on the `ticketwarden` logger."""
    from aws_lambda_powertools import Logger
    powertools = Logger(service="ticketwarden", level=level)
    root = logging.getLogger("ticketwarden")
    for handler in root.handlers:
        if not any(isinstance(f, ScrubSecrets) for f in handler.filters):
            handler.addFilter(ScrubSecrets())
    return powertools
