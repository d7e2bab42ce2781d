"""Parameters of the rule types that run on time: age limit, SLA clocks, support hours."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import Params

Share = Annotated[float, Field(gt=0, lt=1)]


class MaxAgeParams(Params):
    """CMS-5: the ticket is closed `days` calendar days after it opened."""

    days: Annotated[float, Field(gt=0)] = 3


class FirstResponseParams(Params):
    """PS-3: the first personal seller message within `hours` of business time."""

    calendar: str
    hours: Annotated[float, Field(gt=0)] = 24
    reminder_share: Share = 0.75


class ReplyParams(Params):
    """CRJ-5: every customer message answered within `hours` of business time."""

    calendar: str
    hours: Annotated[float, Field(gt=0)] = 48
    reminder_share: Share = 0.75


class BugfixParams(Params):
    """PS-4: a confirmed bug fixed within `days` of the customer's request."""

    days: Annotated[float, Field(gt=0)] = 30
    start_tag: str = "bug_confirmed"
    stop_tag: str = "fix_released"
    reminder_share: Share = 0.75


class SupportHoursParams(Params):
    """CRJ-6: when live support is open (shown by the status API)."""

    calendar: str
