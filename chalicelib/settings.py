"""Typed settings: the one place that reads os.environ."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            table_name=env.get("TICKETWARDEN_TABLE", cls.table_name),
            schedule_group=env.get("TICKETWARDEN_SCHEDULE_GROUP", cls.schedule_group),
            log_level=env.get("TICKETWARDEN_LOG_LEVEL", cls.log_level),
            stage=env.get("TICKETWARDEN_STAGE", cls.stage),
            local_mode=_flag(env.get("TICKETWARDEN_LOCAL")),
            max_body_bytes=int(env.get("TICKETWARDEN_MAX_BODY_BYTES", cls.max_body_bytes)),
            timer_function_arn=env.get("TICKETWARDEN_TIMER_FUNCTION_ARN", ""),
            scheduler_role_arn=env.get("TICKETWARDEN_SCHEDULER_ROLE_ARN", ""),
            vault_key_id=env.get("TICKETWARDEN_VAULT_KEY_ID", cls.vault_key_id),
            secrets_path=env.get("TICKETWARDEN_SECRETS_PATH", ""),
            warm_up=_flag(env.get("TICKETWARDEN_WARM_UP", "true")),
            profile_dirs=tuple(Path(p) for p in env.get("TICKETWARDEN_PROFILE_DIRS", "").split(":") if p))
