"""Page cursors: opaque to clients, the same for every store."""
from __future__ import annotations

import base64
import json

from chalicelib.domain.errors import InvalidInputError


def encode_cursor(key: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


def decode_cursor(cursor: str) -> dict:
    """Opaque to clients; a cursor that does not decode is their input error."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(key, dict):
            raise ValueError
        return key
    except (ValueError, TypeError, UnicodeError) as exc:
        raise InvalidInputError("cursor is not valid",
                                [("cursor", "not a cursor from a previous page")]) from exc
