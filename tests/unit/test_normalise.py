"""One normalisation before every text rule (issue 16): tricks that hide words do not work."""
import json

import pytest

from textbuild import confusables as build_confusables
from chalicelib.text.analysis import analyse
from chalicelib.text.lexicons import classify
from chalicelib.text.normalise import for_matching, is_blank, reader


def test_the_shipped_confusables_table_is_the_one_the_pinned_package_gives():
    shipped = json.loads(build_confusables.TABLE.read_text(encoding="utf-8"))
    assert shipped == build_confusables.build()
    assert {shipped[c] for c in "аеорсі"} == set("aeopci")  # Cyrillic look-alikes


HIDDEN_THREATS = {
    "zero-width space": "I will k\u200bill you",
    "soft hyphen": "I will ki\u00adll you",
    "word joiner and ZWNJ": "I will k\u2060i\u200cll you",
    "Cyrillic i": "I will k\u0456ll you",
    "Greek o in a word": "I kn\u03bfw where you live",
    "spaced letters": "I will k i l l you",
    "dotted letters": "I will k.i.l.l you",
    "leetspeak": "I will k1ll you",
    "underscores": "I will kill_you",
    "newline inside the phrase": "I will kill\nyou",
    "fullwidth letters": "I will \uff4b\uff49\uff4c\uff4c you",
}


@pytest.mark.parametrize("text", HIDDEN_THREATS.values(), ids=HIDDEN_THREATS.keys())
def test_a_hidden_threat_is_still_matched_and_the_evidence_quotes_the_original(text):
    match = classify(text, "threat")
    assert match.hit
    assert all(evidence in text for evidence in match.matched)


def test_a_word_in_another_script_is_left_as_written():
    assert reader("Привет, мир").text == "Привет, мир"
    assert reader("Bonjour, ça va ? Ελλάδα").text == "Bonjour, ça va ? Ελλάδα"


def test_version_numbers_and_order_numbers_are_not_leetspeak():
    assert for_matching("v1.7 order #1004 php7 2.4.6").text == "v1.7 order #1004 php7 2.4.6"


def test_line_breaks_of_every_kind_become_one_kind():
    assert reader("a\r\nb\rc\u2028d").text == "a\nb\nc\nd"
    assert for_matching("A\n\n  B").text == "a b"


def test_the_fullwidth_question_mark_counts_as_a_question_mark():
    assert analyse("Is it compatible with PHP 8.2\uff1f").question_count == 1


@pytest.mark.parametrize("value", [None, "", " ", "\u200b", "\u00a0", "\u2060\ufeff", "\u3164"])
def test_blank_looking_values_are_blank(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", ["anna", " Anna ", "\u200bAnna"])
def test_a_name_is_not_blank(value):
    assert not is_blank(value)
