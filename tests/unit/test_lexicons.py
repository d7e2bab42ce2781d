"""Lexicon classifiers: EN/FR detection, negation, accents, evidence, file validation, floors."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.text.lexicons import (
    CATEGORIES,
    LEXICON_DIR,
    classify,
    classify_all,
    load_lexicon,
)
from evaluation.lexicon_eval import labelled, score

CRJ2_EXTRAS = (
    "installation_upgrade_error", "compatibility_check", "integration_troubleshooting",
    "performance_tuning", "developer_consultation", "version_swap",
)
MAIN_CATEGORIES = tuple(c for c in CATEGORIES if c not in CRJ2_EXTRAS)
PROJECT_ROOT = Path(__file__).resolve().parents[2]

TYPICAL_PHRASING = [
    ("threat", "en", "Fix it today or I will find you, I know where you live."),
    ("threat", "fr", "Je vais détruire votre entreprise, vous allez le regretter."),
    ("customization", "en", "Could you customise the invoice PDF with our logo? We will pay."),
    ("customization", "fr", "Pouvez-vous ajouter un champ SIRET au formulaire du module ?"),
    ("basic_platform_knowledge", "en", "How do I clear the cache in Magento 2?"),
    ("basic_platform_knowledge", "fr", "Comment créer une catégorie dans PrestaShop ?"),
    ("third_party_conflict", "en", "It conflicts with the PayPal module from another vendor."),
    ("third_party_conflict", "fr", "Votre module entre en conflit avec le thème Warehouse."),
    ("how_do_i", "en", "How do I change the colour of the portal login button?"),
    ("how_do_i", "fr", "Comment masquer les prix pour les visiteurs ?"),
    ("not_about_product", "en", "Which hosting provider would you recommend for my shop?"),
    ("not_about_product", "fr", "Comment améliorer le référencement de ma boutique ?"),
    ("merchant_site_work", "en", "Can you install the module for me? Here is my admin login."),
    ("merchant_site_work", "fr", "Pouvez-vous faire la migration de ma boutique ?"),
    ("modified_source", "en", "I edited the module's PHP file to change a label."),
    ("modified_source", "fr", "J'ai modifié le code du module pour changer le bouton."),
    ("incompatible_developments", "en", "We have custom overrides on the Cart class."),
    ("incompatible_developments", "fr", "La boutique a des développements spécifiques."),
    ("installation_upgrade_error", "en", "After upgrading WordPress it throws a fatal error."),
    ("installation_upgrade_error", "fr", "L'installation du module échoue avec une erreur 500."),
    ("compatibility_check", "en", "Is the plugin compatible with WooCommerce 8.5?"),
    ("compatibility_check", "fr", "Pouvez-vous vérifier la compatibilité avec PHP 8.3 ?"),
    ("integration_troubleshooting", "en", "The Salesforce sync stopped and returns errors."),
    ("integration_troubleshooting", "fr", "La synchronisation avec HubSpot ne fonctionne plus."),
    ("performance_tuning", "en", "The checkout is very slow, can you improve the page load time?"),
    ("performance_tuning", "fr", "Le back-office est très lent, merci d'optimiser."),
    ("developer_consultation", "en", "Our developer would like a call with your developers."),
    ("developer_consultation", "fr", "Notre développeur veut échanger avec votre équipe."),
    ("version_swap", "en", "I want to downgrade to the previous version of the plugin."),
    ("version_swap", "fr", "Je veux revenir à la version 2.3 du module."),
]


@pytest.mark.parametrize(
    ("category", "text"),
    [pytest.param(c, text, id=f"{c} detects typical {lang} phrasing")
     for c, lang, text in TYPICAL_PHRASING],
)
def test_each_category_detects_typical_english_and_french_phrasing(category, text):
    assert classify(text, category).hit


def test_every_category_has_an_english_and_a_french_example():
    assert {(c, lang) for c, lang, _ in TYPICAL_PHRASING} == {
        (c, lang) for c in CATEGORIES for lang in ("en", "fr")
    }


@pytest.mark.parametrize(
    ("category", "text", "negated"),
    [
        pytest.param("customization", "No customization needed, it is a bug.", "customization",
                     id="a cue right before the match cancels it"),
        pytest.param("customization", "I don't want any custom development.", "custom development",
                     id="a cue three tokens back cancels it"),
        pytest.param("customization", "Je ne veux pas de personnalisation.", "personnalisation",
                     id="ne ... pas cancels a French match"),
        pytest.param("customization", "Sans aucune personnalisation de notre part.",
                     "personnalisation", id="sans cancels a French match"),
        pytest.param("modified_source", "Nous n'avons fait aucune modification du code.",
                     "modification du code", id="aucune cancels a French match"),
        pytest.param("incompatible_developments", "We do not have any custom development.",
                     "custom development", id="do not ... any cancels an English match"),
        pytest.param("threat", "I'm not going to kill you, I just want a refund.", "kill you",
                     id="a denied threat is not a threat"),
    ],
)
def test_negation_cancels_a_match(category, text, negated):
    match = classify(text, category)
    assert not match.hit
    assert match.negated == (negated,)


@pytest.mark.parametrize(
    ("category", "text"),
    [
        pytest.param("customization", "No reply yet. Can you customize the invoice template?",
                     id="a cue in an earlier sentence does not cancel"),
        pytest.param("customization", "The popup is not shown since the customization.",
                     id="a cue four tokens back does not cancel"),
        pytest.param("third_party_conflict", "Sans doute un conflit CSS avec le thème.",
                     id="sans doute is not a negation"),
        pytest.param("how_do_i", "I don't know how to change the button colour.",
                     id="not knowing how to is still a how-do-I question"),
    ],
)
def test_negation_stays_local(category, text):
    assert classify(text, category).hit


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nous avons des développements spécifiques.", id="with accents"),
        pytest.param("Nous avons des developpements specifiques.", id="without accents"),
        pytest.param("NOUS AVONS DES DÉVELOPPEMENTS SPÉCIFIQUES.", id="in capitals"),
        pytest.param("Nous avons des de\u0301veloppements spe\u0301cifiques.", id="decomposed"),
    ],
)
def test_accents_and_case_are_optional(text):
    assert classify(text, "incompatible_developments").hit


def test_a_typographic_apostrophe_works_like_a_plain_one():
    match = classify("I don’t want any customization.", "customization")
    assert match.negated == ("customization",)


def test_evidence_lists_the_matched_words_as_the_customer_wrote_them():
    text = "Pouvez-vous PERSONNALISER le thème ?  Une personnalisation, svp."
    match = classify(text, "customization")
    assert match.matched == ("PERSONNALISER", "personnalisation")


def test_evidence_keeps_matched_and_negated_words_apart():
    match = classify("No customization needed. But please add a new field.", "customization")
    assert (match.matched, match.negated) == (("add a new field",), ("customization",))


def test_importing_the_module_reads_no_lexicon_file():
    probe = "import chalicelib.text.lexicons as l; print(l._bundled_lexicons.cache_info().currsize)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"


def test_classify_all_answers_every_category_unless_told_otherwise():
    assert tuple(classify_all("Hello")) == CATEGORIES
    assert set(classify_all("Hello", ["threat", "how_do_i"])) == {"threat", "how_do_i"}


def test_an_unknown_category_is_refused():
    with pytest.raises(ValueError, match="unknown lexicon category 'refund'"):
        classify("Refund me", "refund")


def test_every_category_has_exactly_one_valid_data_file():
    assert sorted(p.stem for p in LEXICON_DIR.glob("*.yaml")) == sorted(CATEGORIES)
    loaded = [load_lexicon(LEXICON_DIR / f"{c}.yaml").category for c in CATEGORIES]
    assert loaded == list(CATEGORIES)


VALID = """category: sample
description: a sample
patterns:
  en: ['custom']
  fr: ['personnalis(?:er|ation)']
negations:
  en: ['no']
  fr: ['pas']
"""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        pytest.param(VALID.replace("description: a sample\n", ""), "description", id="missing key"),
        pytest.param(VALID + "weight: 3\n", "weight", id="unknown key"),
        pytest.param(VALID.replace("category: sample", "category: other"), "category",
                     id="category differs from the file name"),
        pytest.param(VALID.replace("['custom']", "['custom', 'add (a']"), "patterns.en[1]",
                     id="broken regular expression"),
        pytest.param(VALID.replace("  fr: ['pas']", "  de: ['nicht']"), "negations.de",
                     id="unsupported language"),
        pytest.param(VALID.replace("  en: ['no']", "  en: 'no'"), "negations.en", id="not a list"),
        pytest.param(VALID.replace("'custom'", "''"), "patterns.en[0]", id="empty pattern"),
        pytest.param(VALID.replace("'custom'", "'(?i)custom'"), "patterns.en[0]",
                     id="a fragment that cannot be combined with the others"),
        pytest.param(VALID.replace("'custom'", "'Custom'"), "patterns.en[0]",
                     id="an upper-case letter (messages are matched lower-cased)"),
    ],
)
def test_an_invalid_lexicon_file_error_names_the_file_and_key(tmp_path, text, key):
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"sample.yaml: key '{key}'")) as error:
        load_lexicon(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("text", ["category: [unclosed", "- just\n- a list\n"],
                         ids=["broken YAML", "not a mapping"])
def test_an_unreadable_lexicon_file_error_names_the_file(tmp_path, text):
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"sample\.yaml"):
        load_lexicon(path)


def test_escaped_classes_are_not_upper_case_letters(tmp_path):
    path = tmp_path / "sample.yaml"
    path.write_text(VALID.replace("'custom'", "'custom\\W?made'"), encoding="utf-8")
    assert load_lexicon(path).pattern.search("custom made")


def test_a_dotless_i_matches_as_i():
    assert classify("I will kıll you", "threat").hit


def test_a_valid_file_loads_with_accents_stripped_from_its_patterns(tmp_path):
    path = tmp_path / "sample.yaml"
    path.write_text(VALID.replace("'personnalis(?:er|ation)'", "'développement'"), encoding="utf-8")
    assert load_lexicon(path).pattern.search("developpement")


@pytest.mark.parametrize(
    ("category", "minimum"),
    [pytest.param(c, 40, id=f"{c} main set") for c in MAIN_CATEGORIES]
    + [pytest.param(c, 15, id=f"{c} CRJ-2 set") for c in CRJ2_EXTRAS],
)
def test_labelled_sets_are_big_enough_and_one_third_french(category, minimum):
    samples = labelled(category)
    for label in (True, False):
        side = [s for s in samples if s.label is label]
        assert len(side) >= minimum
        assert sum(s.lang == "fr" for s in side) * 3 >= len(side)
    assert {s.lang for s in samples} == {"en", "fr"}


@pytest.mark.parametrize("category", CATEGORIES)
def test_labelled_set_keeps_a_precision_and_recall_floor(category):
    result = score(category, labelled(category))
    assert result.precision >= 0.8, f"{category} precision {result.precision:.2f}"
    assert result.recall >= 0.7, f"{category} recall {result.recall:.2f}"
