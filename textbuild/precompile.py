"""Build `chalicelib/text/precompiled/*.marshal`, what the Lambda init phase loads fast (issue 17).

Run: `.venv/bin/python -m textbuild.precompile` (`scripts/package.sh` runs it
before `chalice package`, so the zip ships fresh artifacts). What each file holds and how a
stale one is refused: chalicelib/text/precompiled.py. The files are git-ignored and the app
works without them (slower cold start, and a checkout writes the data ones on first use);
`regex.marshal` is only written here, because it records what a real init phase compiles.
`python -m textbuild.precompile --clean` rebuilds everything from scratch.

Steps (`--clean` first deletes the artifacts): in a fresh interpreter, `import app` runs the warm-up, which,
finding no artifacts, builds the langdetect table, the lexicon sources and the weights the slow
way and writes them (so do the built-in profiles and reply templates, loaded next), and a few
messages are analysed; a second fresh interpreter does the same, now on the fast path, and
records every regular expression compiled by a module the yardstick (`import boto3;
boto3.client("dynamodb")`) does not import, and writes their compiled code; a third checks
that every artifact is current, loads back equal, and every pattern compiles back equal.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(p.stem for p in (ROOT / "chalicelib" / "policy" / "templates").glob("*.yaml"))
NAMES = ("langdetect", "lexicons", "weights", "profiles", *(f"templates-{t}" for t in TEMPLATES),
         "regex")
SAMPLES = (
    "Since I enabled the module the checkout page stays blank. How can I fix it?",
    "Bonjour, depuis la mise à jour le module ne s'affiche plus. Pouvez-vous m'aider ?",
    "Can you install the module for us? Here is our FTP password: hunter2, user admin.",
)


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TICKETWARDEN_WARM_UP": "true",
           "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")}
    env.pop("TICKETWARDEN_LOCAL", None)
    return env


def build(clean: bool = False) -> None:
    """Stale artifacts are rebuilt by the loaders themselves (their digest no longer matches),
    so nothing needs deleting first; `--clean` does anyway. Not deleting keeps two concurrent
    builds (two `package.sh` runs) from pulling files from under each other's check."""
    from chalicelib.text import precompiled

    if clean:
        for name in NAMES:
            precompiled.path(name).unlink(missing_ok=True)
    # the first recording builds the data artifacts the slow way (compiling what that needs);
    # the second records what an init phase compiles once they exist: what regex.marshal keeps
    for step in ("--record", "--record", "--check"):
        subprocess.run([sys.executable, "-m", "textbuild.precompile", step], cwd=ROOT, env=_env(),
                       check=True)


BASELINE = "import boto3, sys; boto3.client('dynamodb'); print(' '.join(sorted(sys.modules)))"


def _baseline_modules() -> set[str]:
    """What `import boto3; boto3.client("dynamodb")` imports: the cold-start yardstick pays for
    their expressions too, so they are left to `re` as usual (bench/cold.py compares the two)."""
    done = subprocess.run([sys.executable, "-c", BASELINE], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def _record() -> None:
    """In a fresh interpreter: the expressions compiled by the modules the app imports beyond
    the yardstick's (chalicelib, chalice, pydantic, yaml, langdetect...), in order, then saved."""
    import re

    baseline = _baseline_modules()
    compile_now = re._compile
    seen: dict[tuple[str, int], None] = {}

    def recording(pattern, flags):
        if isinstance(flags, re.RegexFlag):
            flags = flags.value
        if isinstance(pattern, str) and not flags & re.DEBUG:
            caller = sys._getframe(1)
            while caller is not None and caller.f_globals.get("__name__") == "re":
                caller = caller.f_back
            module = caller.f_globals.get("__name__", "") if caller is not None else ""
            if module and module not in baseline:
                seen.setdefault((pattern, flags))
        return compile_now(pattern, flags)

    re._compile = recording
    try:
        import app  # noqa: F401  the init phase, warm-up included
        from chalicelib.text.analysis import analyse
        from chalicelib.text.lexicons import CATEGORIES

        from chalicelib.policy.profile import built_in_profiles

        from chalicelib.policy.replies import templates

        built_in_profiles()  # the first request's catalog: validated, then written
        for language in TEMPLATES:
            templates(language)
        for text in SAMPLES:
            analyse(text, CATEGORIES)
    finally:
        re._compile = compile_now

    from chalicelib.text import precompiled

    entries = [precompiled.regex_entry(source, flags) for source, flags in seen]
    if not precompiled.save("regex", None, entries):
        raise SystemExit(f"textbuild.precompile: cannot write {precompiled.DIRECTORY}")
    print(f"textbuild.precompile: {len(entries)} regular expressions -> {precompiled.path('regex')}")


def _check() -> None:
    """In a fresh interpreter: every artifact is current and loads back as the slow path builds."""
    import re

    from chalicelib.text import language, lexicons, model, precompiled

    entries = precompiled.load("regex")
    assert entries, "regex.marshal missing"
    for entry in entries:
        assert precompiled.from_entry(entry) == re.compile(entry[0], entry[1]), entry[0][:80]
    assert precompiled.load("langdetect", language._subset_digest()) is not None, "langdetect stale"
    assert precompiled.load("lexicons", lexicons._bundled_digest()) is not None, "lexicons stale"
    assert precompiled.load("weights", precompiled.digest(model.WEIGHTS.read_bytes())) is not None, \
        "weights stale"
    from chalicelib.policy import profile

    files = sorted(profile.BUILT_IN.glob("*.yaml"))
    assert precompiled.load("profiles", profile._built_in_digest(files)) is not None, "profiles stale"
    assert profile.built_in_profiles() == {p.name: p for p in map(profile.load_profile, files)}
    from chalicelib import yaml_files
    from chalicelib.policy import replies

    for language in TEMPLATES:
        source = (replies.TEMPLATES / f"{language}.yaml").read_bytes()
        assert precompiled.load(f"templates-{language}", precompiled.digest(source)) is not None
        assert replies.templates(language) == yaml_files.load(source.decode("utf-8"))
    sizes = ", ".join(f"{name} {precompiled.path(name).stat().st_size / 2**20:.1f} MiB" for name in NAMES)
    print(f"textbuild.precompile: checked ({sizes})")


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    {"--record": _record, "--check": _check}.get(step, lambda: build(clean=step == "--clean"))()
