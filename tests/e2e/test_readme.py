"""Every bash, sh and python block of README.md runs, in order, against a local stack of its own.

The README addresses `make run` on its default ports; the blocks are run with this stack's
ports substituted (README, "Running it locally": the convention for new blocks).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from .conftest import ROOT, Stack

pytestmark = [pytest.mark.e2e]

README = ROOT / "README.md"
RUNNABLE = {"bash": "bash", "sh": "bash", "python": "python"}
OPENING = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")
BLOCK_SECONDS = 120


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    code: str


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block with its language and first line; indented fences (in lists) too."""
    blocks, lines, n = [], text.splitlines(), 0
    while n < len(lines):
        opening = OPENING.match(lines[n])
        n += 1
        if opening is None:
            continue
        indent, body, start = opening["indent"], [], n
        while n < len(lines) and lines[n].strip() != "```":
            body.append(lines[n][len(indent):] if lines[n].startswith(indent) else lines[n])
            n += 1
        n += 1
        blocks.append(Block(start, opening["lang"], "\n".join(body) + "\n"))
    return blocks


def runnable_blocks() -> list[Block]:
    return [b for b in fenced_blocks(README.read_text(encoding="utf-8")) if b.lang in RUNNABLE]


def for_stack(code: str, stack: Stack) -> str:
    """The README's default ports and interpreter, replaced by this test's."""
    return (code.replace("127.0.0.1:8000", f"127.0.0.1:{stack.port}")
                .replace("localhost:8000", f"localhost:{stack.port}")
                .replace("127.0.0.1:5005", f"127.0.0.1:{stack.moto_port}")
                .replace("chalicelib.cli --local",
                         f"chalicelib.cli --local --moto-port {stack.moto_port}")
                .replace(".venv/bin/python", sys.executable))


def test_the_parser_finds_runnable_and_sample_blocks():
    blocks = fenced_blocks("a\n```python\nprint(1)\n```\n  ```bash\n  echo hi\n  ```\n"
                           "```text\nx\n```\n")
    assert [(b.lang, b.code) for b in blocks] == [("python", "print(1)\n"), ("bash", "echo hi\n"),
                                                  ("text", "x\n")]
    assert len(runnable_blocks()) >= 4


@pytest.fixture(scope="module")
def readme_stack(tmp_path_factory):
    state = tmp_path_factory.mktemp("readme-state")
    with Stack(state, log=state / "stack.log") as stack:
        yield stack


def test_every_readme_block_runs_as_written(readme_stack):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for block in runnable_blocks():
        code = for_stack(block.code, readme_stack)
        command = ([sys.executable, "-c", code] if block.lang == "python"
                   else ["bash", "-e", "-c", code])
        try:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=BLOCK_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"README.md:{block.line} ({block.lang}) ran over {BLOCK_SECONDS} s")
        assert done.returncode == 0, (
            f"README.md:{block.line} ({block.lang}) exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}")


def test_the_try_it_script_can_run_again(readme_stack):
    """Re-running it used to be a 409 (same webhook-id, new body) and a KeyError."""
    try_it = next(b for b in runnable_blocks() if "webhooks/cmsmart" in b.code)
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", for_stack(try_it.code, readme_stack)],
                              cwd=ROOT, capture_output=True, text=True, timeout=BLOCK_SECONDS)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.startswith("200 ")
