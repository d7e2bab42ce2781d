"""The environment of the local stack: shared by `make run` and the operator CLI's `--local`."""
from __future__ import annotations

DEFAULT_MOTO_PORT = 5005
REGION, ACCOUNT = "eu-west-1", "123456789012"
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": REGION}
LOCAL_TARGETS = {  # what schedules point at; moto never invokes them, the pump does
    "TICKETWARDEN_SECRETS_PATH": "/ticketwarden/local/marketplaces",
    "TICKETWARDEN_TIMER_FUNCTION_ARN":
        f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:ticketwarden-local-timer",
    "TICKETWARDEN_SCHEDULER_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/ticketwarden-local-scheduler"}


def endpoint(moto_port: int = DEFAULT_MOTO_PORT) -> str:
    return f"http://127.0.0.1:{moto_port}"


def operator_env(moto_port: int = DEFAULT_MOTO_PORT) -> dict[str, str]:
    """What the operator CLI needs to talk to the embedded AWS (printed by `make run`)."""
    return {"AWS_ENDPOINT_URL": endpoint(moto_port), **FAKE_AWS,
            "TICKETWARDEN_SECRETS_PATH": LOCAL_TARGETS["TICKETWARDEN_SECRETS_PATH"]}


def stack_env(moto_port: int) -> dict[str, str]:
    """Everything the app needs in local mode, on top of the operator's variables."""
    return {**operator_env(moto_port), **LOCAL_TARGETS, "TICKETWARDEN_LOCAL": "true"}
