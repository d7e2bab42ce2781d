"""What `make run`'s state snapshot costs at N tickets: `python -m bench.local_state 1000`.

Starts the local stack fresh, sends N first messages (one customer each), stops it (the
save), starts it again from the snapshot and lists the tickets. Not part of `make bench`.
"""
from __future__ import annotations

import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from tests.builders import message_event
from tests.e2e.conftest import Stack
from tests.e2e.helpers import read, send


def main(count: int) -> None:
    state = Path(tempfile.mkdtemp(prefix="tw-state-"))
    log = state / "stack.log"
    started = time.monotonic()
    with Stack(state, fresh=True, log=log) as stack:
        print(f"fresh start to /health: {time.monotonic() - started:.1f} s")

        def first_message(n: int) -> int:
            event = message_event(thread_id=f"t-{n}-{uuid.uuid4().hex[:6]}", customer_id=f"c-{n}",
                                  seller_id="acme-modules", at=datetime.now(timezone.utc))
            return send(stack.url, "cmsmart", event).status_code

        sent = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            statuses = set(pool.map(first_message, range(count)))
        print(f"{count} webhooks in {time.monotonic() - sent:.1f} s, statuses {sorted(statuses)}")
        stopping = time.monotonic()
    print(f"stop, save included: {time.monotonic() - stopping:.1f} s")
    started = time.monotonic()
    with Stack(state, fresh=False, log=log) as stack:
        print(f"restored start to /health: {time.monotonic() - started:.1f} s")
        page = read(stack.url, "/v1/tickets?limit=200", "acme-modules").json()
        print(f"listed after the restart: {len(page['items'])} on the first page")
    print("\n".join(line for line in log.read_text().splitlines() if line.startswith("state:")))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
