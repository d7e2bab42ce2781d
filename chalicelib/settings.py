"""Typed settings: the one place that reads os.environ."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting that cannot work: said at start, naming the variable, not at the first call."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    table_name: str = "ticketwarden"
    schedule_group: str = "ticketwarden"
    log_level: str = "INFO"
    stage: str = "dev"
    local_mode: bool = False
    max_body_bytes: int = 256 * 1024
    timer_function_arn: str = ""
    scheduler_role_arn: str = ""
    profile_dirs: tuple[Path, ...] = ()
    vault_key_id: str = "alias/ticketwarden-vault"
    secrets_path: str = ""  # SSM path of marketplace signing secrets; empty: from the table
    warm_up: bool = True  # load the text models at init: off for functions that read no text
    in_lambda: bool = False  # running in AWS Lambda (its runtime names the function)

    def __post_init__(self) -> None:
        if self.log_level.upper() not in LOG_LEVELS:
            raise SettingsError(f"TICKETWARDEN_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        if self.max_body_bytes < 1:
            raise SettingsError("TICKETWARDEN_MAX_BODY_BYTES must be a positive number of bytes")
        if not self.table_name:
            raise SettingsError("TICKETWARDEN_TABLE must name the DynamoDB table")

    def require_scheduler_target(self) -> None:
        """One-time schedules need a target function and the role that invokes it."""
        for variable, value in (("TICKETWARDEN_TIMER_FUNCTION_ARN", self.timer_function_arn),
                                ("TICKETWARDEN_SCHEDULER_ROLE_ARN", self.scheduler_role_arn)):
            if not value.startswith("arn:"):
                raise SettingsError(f"{variable} must be an ARN (is {value!r})")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            table_name=env.get("TICKETWARDEN_TABLE", cls.table_name),
            schedule_group=env.get("TICKETWARDEN_SCHEDULE_GROUP", cls.schedule_group),
            log_level=env.get("TICKETWARDEN_LOG_LEVEL", cls.log_level),
            stage=env.get("TICKETWARDEN_STAGE", cls.stage),
            local_mode=_flag(env.get("TICKETWARDEN_LOCAL")),
            max_body_bytes=_integer(env, "TICKETWARDEN_MAX_BODY_BYTES", cls.max_body_bytes),
            timer_function_arn=env.get("TICKETWARDEN_TIMER_FUNCTION_ARN", ""),
            scheduler_role_arn=env.get("TICKETWARDEN_SCHEDULER_ROLE_ARN", ""),
            vault_key_id=env.get("TICKETWARDEN_VAULT_KEY_ID", cls.vault_key_id),
            secrets_path=env.get("TICKETWARDEN_SECRETS_PATH", ""),
            warm_up=_flag(env.get("TICKETWARDEN_WARM_UP", "true")),
            in_lambda=bool(env.get("AWS_LAMBDA_FUNCTION_NAME")),
            profile_dirs=tuple(Path(p) for p in env.get("TICKETWARDEN_PROFILE_DIRS", "").split(":") if p))


def _integer(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, default))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {env[name]!r}") from None
