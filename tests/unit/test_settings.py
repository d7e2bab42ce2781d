"""Settings: the one reader of the environment."""
from __future__ import annotations

from chalicelib.settings import Settings


def test_the_text_models_load_at_init_unless_a_function_says_it_reads_no_text():
    assert Settings.from_env({}).warm_up is True
    assert Settings.from_env({"TICKETWARDEN_WARM_UP": "false"}).warm_up is False


def test_a_setting_that_cannot_work_fails_at_start_naming_its_variable():
    import pytest

    from chalicelib.settings import SettingsError
    with pytest.raises(SettingsError, match="TICKETWARDEN_MAX_BODY_BYTES"):
        Settings.from_env({"TICKETWARDEN_MAX_BODY_BYTES": "lots"})
    with pytest.raises(SettingsError, match="TICKETWARDEN_LOG_LEVEL"):
        Settings.from_env({"TICKETWARDEN_LOG_LEVEL": "LOUD"})
    with pytest.raises(SettingsError, match="TICKETWARDEN_TIMER_FUNCTION_ARN"):
        Settings.from_env({}).require_scheduler_target()
    Settings.from_env({"TICKETWARDEN_TIMER_FUNCTION_ARN": "arn:aws:lambda:eu-west-1:1:function:t",
                       "TICKETWARDEN_SCHEDULER_ROLE_ARN": "arn:aws:iam::1:role/s"}
                      ).require_scheduler_target()
