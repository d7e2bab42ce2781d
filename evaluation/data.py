"""Where the evaluation data written outside this project lives (`make eval` only, never tests)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_DIR = "../shared/eval"  # relative to the repository root
WHERE = ("language/ (github.com/pemistahl/lingua-py language-testdata), messages/bitext/ "
         "(github.com/bitext/customer-support-llm-chatbot-training-dataset), threats/ "
         "(ThreatGram 101, github.com/CatGamer7/Telegram-threats), secrets/nl_cases/ "
         "(cases from protectai/llm-guard and Yelp/detect-secrets tests)")


def eval_dir() -> Path:
    """TICKETWARDEN_EVAL_DIR, else the default; a relative path is read from the repository root."""
    path = Path(os.environ.get("TICKETWARDEN_EVAL_DIR") or DEFAULT_EVAL_DIR)
    return path if path.is_absolute() else ROOT / path


def require_eval_dir() -> Path:
    """Stops `make eval` with one line saying what is missing and how to point at it."""
    path = eval_dir()
    if not path.is_dir():
        raise SystemExit(f"make eval: no evaluation data at {path}; set TICKETWARDEN_EVAL_DIR to a "
                         f"folder holding {WHERE}")
    return path
