"""`make eval` reads outside data from $TICKETWARDEN_EVAL_DIR, else shared/eval beside the repo."""
from __future__ import annotations

import pytest

from evaluation import data


def test_without_the_data_make_eval_says_in_one_line_what_it_needs(monkeypatch, tmp_path):
    monkeypatch.setenv(data.VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(SystemExit) as stopped:
        data.require_eval_dir()
    message = str(stopped.value)
    assert "\n" not in message and data.VARIABLE in message and "lingua-py" in message


def test_the_variable_wins_and_the_default_lies_beside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv(data.VARIABLE, str(tmp_path))
    assert data.require_eval_dir() == tmp_path
    monkeypatch.delenv(data.VARIABLE)
    assert data.eval_dir() == data.ROOT.parent / "shared" / "eval"
