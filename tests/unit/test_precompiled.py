"""The precompiled init-phase data (chalicelib/text/precompiled.py) gives what the slow path gives,
and a stale, foreign or broken artifact is refused, never used.

Artifacts are built here into a temporary directory, so these tests hold on a fresh clone
(where `python -m textbuild.precompile` has not run) and never race the checkout's own files.
"""
from __future__ import annotations

import json
import marshal
import re
from pathlib import Path

import pytest

from chalicelib.text import language, lexicons, model, precompiled

ROOT = Path(__file__).resolve().parents[2]


def _corpus() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "data" / "lexicons").glob("*.jsonl")) + [
            ROOT / "tests" / "data" / "questions.jsonl"]:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    texts += [  # other scripts and the look-alikes of the subset
        "Здравствуйте, после обновления модуль перестал работать на странице оформления заказа.",
        "您好，升级以后结账页面一直是空白的，请问怎么解决？我们已经清除了缓存。",
        "Dobrý den, po aktualizaci modulu se stránka pokladny nenačítá. Můžete nám pomoci?",
        "Hallo, seit dem Update zeigt der Checkout keine Zahlungsarten mehr an. Können Sie helfen?",
    ]
    return texts


@pytest.fixture
def artifacts(tmp_path, monkeypatch):
    """An empty artifact directory: the first call of each loader takes the slow path and
    writes; the next one reads the artifact."""
    monkeypatch.setattr(precompiled, "DIRECTORY", tmp_path)
    return tmp_path


def _uncached(function):
    return function.__wrapped__


def test_language_table_from_the_artifact_equals_langdetects_and_gives_the_same_verdicts(artifacts):
    slow = _uncached(language.default_factory)()  # no artifact yet: langdetect's JSON, then saved
    assert precompiled.path("langdetect").exists()
    fast = _uncached(language.default_factory)()
    assert fast.word_lang_prob_map is not slow.word_lang_prob_map
    assert fast.langlist == slow.langlist == list(language.PROFILE_SUBSET)
    assert fast.word_lang_prob_map.keys() == slow.word_lang_prob_map.keys()
    assert all(list(fast.word_lang_prob_map[g]) == p for g, p in slow.word_lang_prob_map.items())
    reference = language.load_factory(language.PROFILE_SUBSET)
    assert reference.word_lang_prob_map == slow.word_lang_prob_map
    texts = _corpus()
    assert len(texts) > 200
    for text in texts:
        assert language.detect_language(text, factory=fast) == \
            language.detect_language(text, factory=reference), text


def test_lexicons_from_the_artifact_compile_to_the_same_patterns_and_match_the_same(artifacts):
    slow = _uncached(lexicons._bundled_lexicons)()
    assert precompiled.path("lexicons").exists()
    fast = _uncached(lexicons._bundled_lexicons)()
    validated = {c: lexicons.load_lexicon(lexicons.LEXICON_DIR / f"{c}.yaml") for c in lexicons.CATEGORIES}
    assert list(fast) == list(validated) == list(lexicons.CATEGORIES)
    for category, lexicon in validated.items():
        assert fast[category] == lexicon == slow[category]  # Pattern equality: flags and code
    for text in _corpus():
        folded = lexicons._fold(text)
        assert {c: fast[c].match(folded) for c in fast} == {c: validated[c].match(folded)
                                                            for c in validated}, text


def test_weights_from_the_artifact_equal_the_json(artifacts):
    slow = _uncached(model.weights)()
    assert precompiled.path("weights").exists()
    fast = _uncached(model.weights)()
    assert fast == slow == json.loads(model.WEIGHTS.read_text(encoding="utf-8"))["categories"]


def test_every_precompiled_expression_is_the_one_re_compiles(artifacts):
    sources = [(lexicon.pattern.pattern, re.IGNORECASE.value)
               for lexicon in _uncached(lexicons._bundled_lexicons)().values()]
    sources += [(pattern.pattern, 0) for pattern in model.STRUCTURES.values()]
    sources += [(r"(?P<word>\w+)'(?P<rest>[a-z]+)", re.I | re.M), (r"(?!)", 0)]
    entries = [precompiled.regex_entry(source, int(flags)) for source, flags in sources]
    assert precompiled.save("regex", None, entries)
    for entry in precompiled.load("regex"):
        source, flags = entry[0], entry[1]
        fresh = re._compiler.compile(source, flags)  # not re.compile: its cache may be seeded
        built = precompiled.from_entry(entry)
        assert built == fresh and built.groupindex == fresh.groupindex, source[:80]
        assert built.groups == fresh.groups and built.flags == fresh.flags


def test_the_checkouts_regex_artifact_if_built_is_what_re_compiles():
    entries = precompiled.load("regex") or []
    for entry in entries:
        assert precompiled.from_entry(entry) == re._compiler.compile(entry[0], entry[1]), entry[0][:80]


def test_a_stale_artifact_is_refused(artifacts, monkeypatch):
    _uncached(lexicons._bundled_lexicons)()
    inputs = lexicons._bundled_digest()
    assert precompiled.load("lexicons", inputs) is not None
    assert precompiled.load("lexicons", precompiled.digest("another lexicon")) is None
    # an edited lexicon file changes the digest the loader expects
    edited = artifacts / "lexicons-copy"
    edited.mkdir()
    for path in lexicons.LEXICON_DIR.glob("*.yaml"):
        (edited / path.name).write_bytes(path.read_bytes())
    threat = edited / "threat.yaml"
    threat.write_text(threat.read_text(encoding="utf-8").replace("patterns:", "patterns:  # edit", 1),
                      encoding="utf-8")
    monkeypatch.setattr(lexicons, "LEXICON_DIR", edited)
    assert lexicons._bundled_digest() != inputs
    assert precompiled.load("lexicons", lexicons._bundled_digest()) is None


def test_an_artifact_from_another_interpreter_or_broken_is_refused(artifacts):
    assert precompiled.save("weights", "inputs", {"a": 1})
    assert precompiled.load("weights", "inputs") == {"a": 1}
    other = (precompiled.HEADER[:2] + ("another regex engine",) + precompiled.HEADER[3:])
    precompiled.path("weights").write_bytes(marshal.dumps((other, "inputs", {"a": 1})))
    assert precompiled.load("weights", "inputs") is None
    precompiled.path("weights").write_bytes(b"not marshal data")
    assert precompiled.load("weights", "inputs") is None
    precompiled.path("regex").write_bytes(marshal.dumps((precompiled.HEADER, None, [
        ("precompiled-test-(x)+", 0, 32, (1, 2, 3), 0, {}, ())])))  # invalid code: refused by _sre, not used
    assert precompiled.seed_regex_cache() == 0


def test_without_artifacts_nor_a_writable_directory_the_slow_path_stands(artifacts, monkeypatch):
    """A fresh clone, or a Lambda zip packaged without them: built the slow way, nothing written."""
    monkeypatch.setattr(precompiled, "writable", lambda: False)
    assert precompiled.load("weights") is None
    factory = _uncached(language.default_factory)()
    assert factory.word_lang_prob_map == language.load_factory(language.PROFILE_SUBSET).word_lang_prob_map
    assert _uncached(model.weights)() == json.loads(model.WEIGHTS.read_text(encoding="utf-8"))["categories"]
    assert _uncached(lexicons._bundled_lexicons)()["threat"] == \
        lexicons.load_lexicon(lexicons.LEXICON_DIR / "threat.yaml")
    assert list(artifacts.iterdir()) == []


def test_built_in_profiles_from_the_artifact_equal_the_validated_ones(artifacts):
    from chalicelib.policy import profile

    files = sorted(profile.BUILT_IN.glob("*.yaml"))
    slow = _uncached(profile.built_in_profiles)()
    assert precompiled.path("profiles").exists()
    fast = _uncached(profile.built_in_profiles)()
    validated = {p.name: p for p in map(profile.load_profile, files)}
    assert fast == slow == validated and fast is not slow
    for name, built in validated.items():  # field by field: the rules' parameters, calendars
        assert [(r.id, r.type, r.when, r.mode, r.params, r.kind) for r in fast[name].rules] == \
            [(r.id, r.type, r.when, r.mode, r.params, r.kind) for r in built.rules]
        assert fast[name].calendars == built.calendars and fast[name].ref == built.ref
    # a changed profile or policy module is a changed digest: the artifact is ignored
    assert precompiled.load("profiles", profile._built_in_digest(files[:-1])) is None


def test_reply_templates_from_the_artifact_equal_the_yaml(artifacts):
    from chalicelib import yaml_files
    from chalicelib.policy import replies

    for path in sorted(replies.TEMPLATES.glob("*.yaml")):
        slow = _uncached(replies.templates)(path.stem)
        assert precompiled.path(f"templates-{path.stem}").exists()
        fast = _uncached(replies.templates)(path.stem)
        assert fast == slow == yaml_files.load(path.read_text(encoding="utf-8")) and fast


def test_yaml_is_imported_on_first_use_only():
    import subprocess
    import sys

    probe = ("import sys; from chalicelib import yaml_files; assert 'yaml' not in sys.modules; "
             "assert yaml_files.load('a: [1, 2]') == {'a': [1, 2]}; "
             "assert issubclass(yaml_files.YAMLError, Exception); print(yaml_files.SAFE_LOADER.__name__)")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() in ("CSafeLoader", "SafeLoader")
