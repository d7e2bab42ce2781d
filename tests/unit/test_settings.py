"""Settings: the one reader of the environment."""
from __future__ import annotations

from chalicelib.settings import Settings


def test_the_text_models_load_at_init_unless_a_function_says_it_reads_no_text():
    assert Settings.from_env({}).warm_up is True
    assert Settings.from_env({"TICKETWARDEN_WARM_UP": "false"}).warm_up is False
