"""Profiles as data: built-ins load, custom files work the same way, bad files say where."""
from __future__ import annotations

import pytest
import yaml

from chalicelib.domain.errors import ProfileError
from chalicelib.policy.catalog import ProfileCatalog
from chalicelib.policy.profile import built_in_profiles, parse_profile
from chalicelib.policy.replies import templates

GOOD = """\
name: my-shop
version: "1"
rules:
  - id: MY-1
    type: question_count
    params: {min: 1, max: 2}
"""


def test_the_three_seed_profiles_load_with_versions():
    profiles = built_in_profiles()
    assert set(profiles) == {"cmsmart", "prestashop-business-care", "crmjetty"}
    assert all(p.version for p in profiles.values())


def test_every_rule_id_of_the_catalogue_is_in_a_profile():
    ids = {r.id for p in built_in_profiles().values() for r in p.rules}
    expected = ({f"CMS-{n}" for n in range(1, 13)} | {f"CRJ-{n}" for n in range(1, 12)}
                | {"PS-1", "PS-2", "PS-3", "PS-4", "PS-7", "PS-8"} | {f"PS-6{c}" for c in "abcdef"})
    assert expected <= ids


def test_a_custom_profile_file_is_loaded_from_a_directory(tmp_path):
    (tmp_path / "my-shop.yaml").write_text(GOOD)
    profile = ProfileCatalog((tmp_path,)).get("my-shop")
    assert profile.ref == "my-shop@1" and profile.rules[0].params.max == 2


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("max: 2", "max: 0"), "custom.yaml:6: rules[0].params.max"),
    (GOOD.replace("question_count", "question_counter"), "custom.yaml:5: rules[0].type: unknown rule type"),
    (GOOD.replace("id: MY-1", "id: my one"), "custom.yaml:4: rules[0].id"),
    (GOOD + "colour: blue\n", "custom.yaml:7: colour: Extra inputs are not permitted"),
    (GOOD.replace('version: "1"\n', ""), "custom.yaml:1: version: Field required"),
    (GOOD.replace("params: {min: 1, max: 2}", "params: {calendar: nowhere}").replace("question_count", "reply_sla"),
     "custom.yaml:6: rules[0].params.calendar: no calendar named 'nowhere'"),
], ids=["bad-value", "unknown-type", "bad-id", "unknown-key", "missing-key", "unknown-calendar"])
def test_an_invalid_profile_names_the_bad_key_and_its_line(text, expected):
    with pytest.raises(ProfileError) as raised:
        parse_profile(text, "custom.yaml")
    assert expected in str(raised.value)


def test_an_unknown_profile_name_lists_the_known_ones():
    with pytest.raises(ProfileError, match="known: cmsmart"):
        ProfileCatalog().get("nope")


def test_reply_templates_exist_in_english_and_french_for_every_outcome_code():
    english, french = templates("en"), templates("fr")
    assert set(english) == set(french)
    assert all(isinstance(v, str) for v in list(english.values()) + list(french.values()))
    codes = {"unassigned", "language", "too_few_questions", "too_many_questions", "concurrent_issue",
             "closed_no_reopen", "flooding", "threatening", "missing_information",
             "unsupported_platform", "no_entitlement", "support_expired",
             "customization_support_expired", "payment_pending", "other_shop", "incompatible_version"}
    for profile in built_in_profiles().values():
        for rule in profile.rules:
            if rule.type == "lexicon":
                codes |= {rule.params.code} if rule.params.code else set(rule.params.categories)
    assert codes <= set(english), sorted(codes - set(english))
    assert yaml.safe_load(yaml.safe_dump(english)) == english
