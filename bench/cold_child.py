"""One cold start, in a fresh interpreter: `python -m bench.cold_child app|boto3`.

app:   import app (the Lambda init phase, warm-up included), then the first webhook through
       `app.app(event, context)` with in-memory wiring injected after the import.
boto3: import boto3 + boto3.client("dynamodb"), then the three other clients the app builds.
Prints one line `BENCH_RESULT {json}` (the app's own log line also goes to stdout).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _app() -> dict:
    started = time.perf_counter()
    import chalicelib.bootstrap as bootstrap
    import chalicelib.text.language as language
    warm: dict[str, float] = {}
    _timed(bootstrap, "warm_up", warm, "s")
    _timed(language, "warm_up", warm, "language_s")
    import app
    imported = time.perf_counter()

    # Test wiring and a signed event, outside the timings (not part of a Lambda cold start).
    from chalice.local import LambdaContext, LambdaEventConverter, RouteMatcher
    from chalicelib.api import context
    from tests.builders import T0, iso, signed_headers

    from bench.wiring import memory_services
    context.use(memory_services(T0))
    body = json.dumps({"type": "message.created", "timestamp": iso(T0), "data": {
        "message_id": "m1", "thread_id": "cold-1", "seller_id": "s", "product_id": "p",
        "customer_id": "c", "author": "customer", "assignee": "anna", "sent_at": iso(T0),
        "body": "Since I enabled the module the checkout page stays blank. How can I fix it?"}}).encode()
    converter = LambdaEventConverter(RouteMatcher(list(app.app.routes)), app.app.api.binary_types)
    event = converter.create_lambda_event("POST", "/webhooks/cmsmart", signed_headers(body), body)
    event["body"] = body.decode()
    lambda_context = LambdaContext("ticketwarden-bench-api", 512, 28_000)

    begun = time.perf_counter()
    response = app.app(event, lambda_context)
    first = time.perf_counter() - begun
    if response["statusCode"] != 200:
        raise SystemExit(f"first webhook answered {response['statusCode']}")
    return {"import_s": imported - started, "warm_up_s": warm.get("s", 0.0), "first_s": first,
            "language_s": warm.get("language_s", 0.0), "total_s": imported - started + first}


def _timed(module, name: str, into: dict, key: str) -> None:
    original = getattr(module, name)

    def timed() -> None:
        begun = time.perf_counter()
        original()
        into[key] = time.perf_counter() - begun

    setattr(module, name, timed)


def _boto3() -> dict:
    started = time.perf_counter()
    import boto3
    boto3.client("dynamodb")
    first = time.perf_counter()
    for service in ("kms", "scheduler", "ssm"):
        boto3.client(service)
    return {"total_s": first - started, "all_clients_s": time.perf_counter() - started}


if __name__ == "__main__":
    result = _app() if sys.argv[1] == "app" else _boto3()
    status = Path("/proc/self/status")  # VmHWM: this process's peak (ru_maxrss outlives exec)
    peak = [ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM")] if status.exists() else []
    result["max_rss_mb"] = int(peak[0].split()[1]) / 1024 if peak else 0.0
    print("BENCH_RESULT " + json.dumps(result), flush=True)
