"""The category model (issue 16): current weights, examples from the issue, negation both ways."""
import json

import pytest

from chalicelib.text import model
from textbuild import train_model
from chalicelib.text.lexicons import judge_all


def test_the_shipped_weights_were_trained_on_the_current_data_and_code():
    shipped = json.loads(model.WEIGHTS.read_text(encoding="utf-8"))
    assert shipped["data_sha256"] == train_model.data_hash(), \
        "retrain: .venv/bin/python -m textbuild.train_model"


def test_the_model_never_trains_on_the_independent_test_split():
    assert not [p for p in train_model.training_files() if ".test." in p.name]


def _judge(category, text):
    return judge_all(text, (category,))[category]


RECOGNISED = [
    ("threat", "Expect visitors, I have your home address."),
    ("threat", "je vais vous harceler jour et nuit"),
    ("third_party_conflict",
     "since I installed Klarna Payments your option disappeared; when I disable Klarna it comes back"),
    ("customization", "Could you add an option to show the badge on the cart page? We would pay for it."),
    ("incompatible_developments",
     "Our agency wrote custom overrides for the cart, they may cause conflicts with your module."),
]


@pytest.mark.parametrize(("category", "text"), RECOGNISED)
def test_phrasings_no_lexicon_lists_are_recognised_with_evidence(category, text):
    judged = _judge(category, text)
    assert judged.matched and judged.probability >= model.thresholds(category)[0]


NOT_RECOGNISED = [
    ("threat", "I'll shoot you an email with the screenshots."),
    ("incompatible_developments", "custom overrides may cause conflicts. We don't have any."),
    ("merchant_site_work", "No need to log in to our site, just tell me which setting to change."),
    ("merchant_site_work", "Inutile de vous connecter à la boutique, dites-moi juste le réglage."),
]


@pytest.mark.parametrize(("category", "text"), NOT_RECOGNISED)
def test_negated_or_harmless_phrasings_are_not_refused(category, text):
    assert not _judge(category, text).matched  # at most "unsure": a flag for the seller


def test_shooting_an_email_is_not_even_flagged():
    assert not _judge("threat", "I'll shoot you an email with the screenshots.").unsure


def test_the_denial_in_the_next_sentence_negates_the_lexicon_match_too():
    assert _judge("incompatible_developments", "Custom overrides may conflict. We have none.").negated


def test_structured_patterns_are_features_and_a_negation_before_them_flips_them():
    found = model.features("when i turn klarna off the button works again")
    assert "s:toggle_restores" in found
    assert "s:~in_house" in model.features("we have no custom overrides or in-house modules")
    assert "s:in_house" in model.features("our checkout was built by our agency")
