import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.text.language import (
    EVALUATED_LANGUAGES,
    PROFILE_SUBSET,
    LanguageGuess,
    all_profile_languages,
    default_factory,
    detect_language,
    load_factory,
    warm_up,
)

ENGLISH = (
    "Hello, since the upgrade to Magento 2.4.7 the one step checkout extension no longer "
    "shows the PayPal payment method. Could you have a look at our store please?"
)
FRENCH = (
    "Bonjour, depuis la mise à jour de PrestaShop le module Colissimo n'affiche plus les "
    "points relais dans le tunnel de commande. Pouvez-vous nous aider rapidement ?"
)
PHP_TRACE = (
    "PHP Fatal error:  Uncaught Error: Call to a member function getStoreId() on null in "
    "/var/www/html/app/code/Vendor/Feed/Model/Export.php:118\n"
    "Stack trace:\n"
    "#0 /var/www/html/app/code/Vendor/Feed/Cron/Generate.php(42): Export->run()\n"
    "#1 {main}\n"
    "[2024-03-11 02:00:01] main.CRITICAL: Unable to send the order confirmation email, "
    "the connection to the SMTP server timed out after thirty seconds [] []"
)


@pytest.fixture(scope="module", autouse=True)
def loaded_profiles():
    warm_up()


def test_normal_english_is_detected_as_english_with_high_probability():
    guess = detect_language(ENGLISH)
    assert (guess.language, guess.reason) == ("en", "detected")
    assert guess.probability > 0.9


def test_normal_french_is_detected_as_french():
    assert detect_language(FRENCH).language == "fr"


def test_an_english_stack_trace_pasted_into_a_french_message_leaves_it_french():
    assert detect_language(f"{FRENCH}\n\n{PHP_TRACE}").language == "fr"


SHORT_OR_EMPTY = [
    ("a greeting is too short to judge", "Hello?", "too_short"),
    ("a two-word message is too short to judge", "Bonjour merci", "too_short"),
    ("digits only have no letters", "1234567890 1234567890 1234567890 1234567890 12", "no_letters"),
    ("an empty message has no letters", "", "no_letters"),
    ("a message that is only a log has no prose left", PHP_TRACE, "no_letters"),
    ("a URL alone has no prose left", "https://shop.example.com/cart?id=12345678901234567890",
     "no_letters"),
]


@pytest.mark.parametrize(
    ("text", "reason"), [c[1:] for c in SHORT_OR_EMPTY], ids=[c[0] for c in SHORT_OR_EMPTY]
)
def test_text_without_enough_prose_is_undetermined_not_rejected(text, reason):
    assert detect_language(text) == LanguageGuess(None, 0.0, _letters(text, reason), reason)


def _letters(text: str, reason: str) -> int:
    return 0 if reason == "no_letters" else sum(char.isalpha() for char in text)


def test_min_chars_is_the_number_of_letters_left_after_cleaning():
    text = "Where is my invoice? https://shop.example.com/account/invoices?order=1"
    assert detect_language(text, min_chars=17).reason == "too_short"
    assert detect_language(text, min_chars=16).cleaned_chars == 16


def test_detection_is_deterministic_across_calls_and_fresh_factories():
    text = "Is the module compatible with version 8?"
    first = detect_language(text, min_chars=1)
    fresh = load_factory(PROFILE_SUBSET)
    assert all(detect_language(text, min_chars=1) == first for _ in range(5))
    assert detect_language(text, min_chars=1, factory=fresh) == first


def test_warm_up_is_idempotent_and_keeps_one_factory():
    factory = default_factory()
    warm_up()
    warm_up()
    assert default_factory() is factory


def test_the_profile_subset_covers_every_evaluated_language_and_exists_on_disk():
    assert set(EVALUATED_LANGUAGES) <= set(PROFILE_SUBSET) <= set(all_profile_languages())


def test_a_russian_message_is_named_russian_not_a_latin_script_language():
    text = "Здравствуйте, модуль перестал работать после обновления магазина, помогите."
    assert detect_language(text).language == "ru"


def test_chinese_is_reported_with_its_iso_639_1_code():
    text = (
        "你好，升级商店之后这个模块不能正常工作了，请帮帮我。"
        "我们已经清除了缓存，也重新安装了模块，但是问题依然存在。"
    )
    assert detect_language(text).language == "zh"


def test_importing_the_module_does_not_load_profiles():
    probe = (
        "from chalicelib.text import language; "
        "assert language.default_factory.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_guess_and_an_undetermined_guess_has_no_probability(text):
    guess = detect_language(text, min_chars=5)
    assert guess.reason in ("detected", "too_short", "no_letters", "error")
    assert (guess.language is None) == (guess.probability == 0.0)


FILLER = "We love the module and the support has always been great, thanks a lot. " * 14


def test_english_filler_before_french_does_not_hide_it():
    guess = detect_language(f"{FILLER}\n\n{FRENCH}")
    assert guess.language == "en"
    assert "fr" in {segment.language for segment in guess.segments if segment.probability > 0.9}


def test_a_french_request_in_a_code_fence_is_french():
    assert detect_language(f"Hi\n\n```\n{FRENCH}\n```").language == "fr"


def test_a_french_request_in_quotes_is_french():
    assert detect_language(f'Hi,\n\n"{FRENCH}"\n\nThanks').language == "fr"


def test_a_french_review_quoted_inside_an_english_request_leaves_it_english():
    text = ('One of our customers wrote: "Impossible de finir ma commande, le bouton ne répond '
            'pas." Can you check if this is caused by your One Page Checkout module?')
    assert detect_language(text).language == "en"


def test_a_bulleted_list_of_short_english_questions_is_english():
    text = ("- Does it support multistore?\n- Is there a trial?\n- Can I install it myself?\n"
            "- Do you offer updates?")
    assert detect_language(text).language == "en"


def test_zero_width_characters_inside_words_do_not_change_the_language():
    text = ENGLISH.replace("e", "e\u200b")
    assert detect_language(text).language == "en"


COURTESY = ("Hello team, we hope you are doing well and we really enjoy the module on our shop. "
            "Bonjour, pourriez-vous nous envoyer la facture de la commande 7731 et nous dire quand "
            "sortira la version pour PrestaShop 9 ? Many thanks again and have a lovely week.")


def test_english_courtesy_around_a_french_request_leaves_its_request_french():
    from chalicelib.text.analysis import analyse

    facts = analyse(COURTESY)
    assert facts.language == "en"
    assert ("fr", True) in {(s[0], s[1] >= 0.9) for s in facts.language_segments}


def test_english_asks_in_an_english_message_add_no_other_language():
    from chalicelib.text.analysis import analyse

    facts = analyse("Since the update the checkout stays blank on mobile. Could you tell me which "
                    "setting restores the old layout, and whether 2.4.7 is supported?")
    assert {s[0] for s in facts.language_segments} <= {"en"}
