"""Local mode only: the test clock. Never registered on a deployed stage."""
from __future__ import annotations

import json
from datetime import timedelta

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInputError

from .context import services
from .errors import guarded

bp = Blueprint(__name__)
MAX_ADVANCE_SECONDS = 366 * 24 * 3600
_pump = None


def use_pump(pump) -> None:
    """local_server wires the timer pump that fires due schedules from moto."""
    global _pump
    _pump = pump


@bp.route("/_local/clock", methods=["GET"])
@guarded
def get_clock() -> dict:
    return {"now": services().clock.now().isoformat().replace("+00:00", "Z")}


@bp.route("/_local/clock", methods=["POST"])
@guarded
def advance_clock() -> dict:
    try:
        body = json.loads(bp.current_request.raw_body or b"null")
    except ValueError as exc:
        raise InvalidInputError("body is not valid JSON", [("body", str(exc)[:200])]) from exc
    seconds = body.get("advance_seconds") if isinstance(body, dict) else None
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= MAX_ADVANCE_SECONDS:
        raise InvalidInputError("bad clock request", [
            ("advance_seconds", f"an integer number of seconds from 0 to {MAX_ADVANCE_SECONDS}")])
    clock = services().clock
    target = clock.now() + timedelta(seconds=seconds)
    fired = _pump.fire_due(until=target) if _pump else 0
    clock.move_to(target)
    return {"now": clock.now().isoformat().replace("+00:00", "Z"), "fired": fired}
