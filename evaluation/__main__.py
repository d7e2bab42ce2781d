"""`make eval`: run every evaluation and write EVALUATION.md (not part of `make test`)."""
from __future__ import annotations

import importlib
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from evaluation.data import require_eval_dir

SECTIONS = ("independent_eval", "language_eval", "questions_eval", "lexicon_eval", "threat_eval",
            "credentials_eval")
OUTPUT = Path(__file__).resolve().parents[1] / "EVALUATION.md"
HEADER = """# Evaluation of the text analysis

Regenerate with `make eval` (runs `python -m evaluation`; a few minutes on 2 cores). Data:
the outside evaluation data in `$TICKETWARDEN_EVAL_DIR` (written outside this project, read in
place; each folder's SOURCE.txt names repository, commit and licence) and the hand-labelled sets in
`tests/data/`, written before the patterns were tuned. Every figure below was measured by
the run that wrote this file: {when}, Python {python}.
"""


def main() -> int:
    require_eval_dir()
    parts = [HEADER.format(when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                           python=platform.python_version())]
    for name in SECTIONS:
        started = time.perf_counter()
        print(f"[eval] {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"evaluation.{name}")
        parts.append(module.report().strip())
        print(f"[eval] {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    OUTPUT.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"[eval] wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
