"""Local mode's timer pump: fire due schedules from moto through the real `timer` handler."""
from __future__ import annotations

import threading
from typing import Callable

from chalicelib.adapters.aws import client

from . import console
from .pump import TimerPump

PUMP_INTERVAL_SECONDS = 1.0


def start_pump(services, parse, group: str,
               settle: Callable[[], object]) -> tuple[TimerPump, threading.Event]:
    """`parse` turns a schedule's input into a TimerFired (the timer Lambda's own parser);
    `settle` hands the stream's pending records to the notifier (which syncs schedules)."""
    def fire(payload: dict) -> None:
        fired = parse(payload)
        if fired is not None:
            services.clock.move_to(fired.due_at)  # the test clock stands at each due time
            outcome = services.timers.fire(fired)
            print(console.timer_line(fired.kind, fired.subject_id, fired.due_at, outcome.body()),
                  flush=True)

    pump = TimerPump(client("scheduler"), group, fire=fire, clock=services.clock.now, settle=settle)
    stop = threading.Event()
    threading.Thread(target=pump.run_forever, args=(PUMP_INTERVAL_SECONDS, stop),
                     name="timer-pump", daemon=True).start()
    return pump, stop
