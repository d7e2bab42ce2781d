"""Where the evaluation data written outside this project lives (`make eval` only, never tests).

$TICKETWARDEN_EVAL_DIR names it; unset, `DEFAULT` (shared/eval beside the repository) is the
one place naming a folder outside the repository. Tests never read it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = "TICKETWARDEN_EVAL_DIR"
DEFAULT = ROOT.parent / "shared" / "eval"
WHERE = ("language/ (github.com/pemistahl/lingua-py language-testdata), messages/bitext/ "
         "(github.com/bitext/customer-support-llm-chatbot-training-dataset), threats/ "
         "(ThreatGram 101, github.com/CatGamer7/Telegram-threats), secrets/nl_cases/ "
         "(cases from protectai/llm-guard and Yelp/detect-secrets tests)")


def eval_dir() -> Path:
    """$TICKETWARDEN_EVAL_DIR (a relative path is read from the repository root), else DEFAULT."""
    path = Path(os.environ[VARIABLE]) if os.environ.get(VARIABLE) else DEFAULT
    return path if path.is_absolute() else ROOT / path


def require_eval_dir() -> Path:
    """Stops `make eval` with one line saying what is missing and where to get it."""
    path = eval_dir()
    if not path.is_dir():
        raise SystemExit(f"make eval: no evaluation data at {path}; set {VARIABLE} to a folder "
                         f"holding {WHERE}")
    return path
