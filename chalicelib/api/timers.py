"""The `timer` Lambda (EventBridge Scheduler target) and the scheduled reconciler."""
from __future__ import annotations

import logging
from datetime import timezone

from chalice import Blueprint, Rate
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from chalicelib.domain.events import TimerFired

from .context import services

bp = Blueprint(__name__)
logger = logging.getLogger("ticketwarden.timers")
RECONCILE_BATCH = 200
RECONCILE_SPARE_MS = 60_000  # of the 240 s timeout: a batch of 200 takes seconds, not a minute


class TimerInput(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str = Field(min_length=1, max_length=100)
    subject_id: str = Field(min_length=1, max_length=256)
    version: int = Field(ge=0)
    due_at: AwareDatetime


def parse_timer_input(event: dict) -> TimerFired | None:
    try:
        raw = TimerInput.model_validate(event)
    except ValidationError as exc:
        logger.error("timer input rejected", extra={"errors": exc.errors(include_url=False,
                                                                          include_input=False)})
        return None
    return TimerFired(subject_id=raw.subject_id, kind=raw.kind, version=raw.version,
                      due_at=raw.due_at.astimezone(timezone.utc))


@bp.lambda_function(name="timer")
def timer(event: dict, context) -> dict:
    """Invalid input is dropped (a retry cannot fix it); a dependency failure raises so the
    Scheduler's retry policy tries again; the handler itself is idempotent."""
    fired = parse_timer_input(event if isinstance(event, dict) else {})
    if fired is None:
        return {"status": "invalid_input"}
    outcome = services().timers.fire(fired)
    logger.info("timer fired", extra={"kind": fired.kind, "subject_id": fired.subject_id,
                                      "duplicate": outcome.duplicate,
                                      "note": outcome.response.get("note")})
    return {"status": "ok", **outcome.body()}


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="reconciler")
def reconciler(event) -> dict:
    """Repairs schedules whose sync failed after a commit (crash window, throttling), batch
    after batch while more than RECONCILE_SPARE_MS of the run's time is left."""
    context = getattr(event, "context", None)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    more_time = (lambda: remaining() > RECONCILE_SPARE_MS) if remaining else (lambda: True)
    result = services().timer_sync.drain(RECONCILE_BATCH, more_time)
    logger.info("reconciler pass", extra=result)
    return result
