"""PrestaShop Business Care (seeds 001/003) and CRMJetty (seeds 002/004) rules, by rule id."""
from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.model import Payment
from chalicelib.policy.profile import built_in_profiles
from tests.builders import T0
from tests.policy_builders import context, decisions, facts, message, rules_fired, ticket

PS, CRJ = "prestashop-business-care", "crmjetty"


def licence(**overrides) -> Payment:
    base = Payment(payment_id="pay1", order_id="o1", marketplace="prestashop", seller_id="acme",
                   product_id="p1", customer_id="c1", status="succeeded", amount="79.00",
                   currency="EUR", occurred_at=T0, plan="business_care",
                   shop_url="https://www.boutique.fr/", compatible_versions=("1.7.x", "8.0-8.1"),
                   covers_until=T0.replace(year=2027))
    return replace(base, **overrides)


def crm_purchase(**overrides) -> Payment:
    return licence(marketplace="crmjetty", plan=None, purchase="one_time", shop_url=None,
                   compatible_versions=(), **overrides)


def ps(**kw):
    """PS rules other than PS-1, for a customer with Business Care on boutique.fr."""
    kw.setdefault("payments", (licence(),))
    kw.setdefault("msg", message(shop_url="https://boutique.fr"))
    fired = rules_fired(context(profile=PS, **kw), PS)
    return {rule: code for rule, code in fired.items() if code != "entitled"}


def crj(**kw):
    kw.setdefault("payments", (crm_purchase(),))
    fired = rules_fired(context(profile=CRJ, **kw), CRJ)
    return {rule: code for rule, code in fired.items() if code != "entitled"}


def complete_crj_message(**overrides):
    body = ("After the upgrade the sync of contacts stops with an error on save, and the log shows "
            "a timeout. Extensions installed: WooCommerce, Yoast. Can you check what is wrong?")
    base = message(body=body, order_id="o-77", shop_url="https://shop.example", product_version="3.2",
                   attachment_types=("image/png",))
    return replace(base, **overrides)


def test_ps_2_a_pre_sale_question_is_accepted_without_entitlement():
    fired = decisions(context(profile=PS, msg=message(tags=("pre_sale",))), PS)
    assert [(d.rule, d.outcome) for d in fired] == [("PS-2", "accept")]


def test_ps_1_no_business_care_for_this_product_is_rejected():
    fired = decisions(context(profile=PS, msg=message(shop_url="https://boutique.fr")), PS)
    assert [(d.rule, d.outcome, d.code) for d in fired] == [("PS-1", "reject", "no_entitlement")]


def test_ps_1_business_care_is_per_shop():
    other = message(shop_url="https://another-shop.fr")
    fired = decisions(context(profile=PS, msg=other, payments=(licence(),)), PS)
    assert ("PS-1", "reject") in [(d.rule, d.outcome) for d in fired]


def test_ps_1_an_entitled_customer_is_accepted_and_the_payment_named():
    fired = decisions(context(profile=PS, msg=message(shop_url="https://boutique.fr"),
                              payments=(licence(covers_until=T0.replace(year=2027)),)), PS)
    assert [(d.rule, d.outcome, d.evidence["payment_id"]) for d in fired] == [("PS-1", "accept", "pay1")]


def test_crj_1_free_support_ends_three_months_after_purchase():
    late = message(at=T0.replace(year=2027, month=3))
    fired = decisions(context(profile=CRJ, msg=replace(complete_crj_message(), sent_at=late.sent_at),
                              payments=(crm_purchase(),)), CRJ)
    assert ("CRJ-1", "reject", "support_expired") in [(d.rule, d.outcome, d.code) for d in fired]


def test_crj_10_customization_support_ends_a_month_after_delivery():
    from chalicelib.domain.model import Author
    delivered = message(2, author=Author.SELLER, tags=("customization_delivered",), at=T0)
    follow_up = message(3, at=T0.replace(month=12, day=24))
    ctx = context(profile=CRJ, msg=follow_up, tkt=ticket(message(), delivered, follow_up), opening=False)
    assert crj(msg=ctx.message, tkt=ctx.ticket, opening=False) == {"CRJ-10": "customization_support_expired"}
    early = message(4, at=T0.replace(day=30))
    assert crj(msg=early, tkt=ticket(message(), delivered, early), opening=False) == {}


def test_ps_6a_a_request_not_about_the_product_is_rejected():
    assert ps(text=facts(lexicons=["not_about_product"])) == {"PS-6a": "not_about_product"}


def test_ps_6b_a_request_for_another_shop_is_rejected():
    msg = message(shop_url="https://other-shop.fr")
    assert ps(msg=msg, payments=(licence(),)) == {"PS-1": "no_entitlement", "PS-6b": "other_shop"}


def test_ps_6b_the_same_shop_written_differently_is_the_same_shop():
    assert ps(msg=message(shop_url="HTTP://Boutique.FR")) == {}


def test_ps_6c_work_on_the_merchant_site_is_rejected():
    assert ps(text=facts(lexicons=["merchant_site_work"])) == {"PS-6c": "merchant_site_work"}


def test_ps_6d_a_platform_version_outside_the_declared_ranges_is_rejected():
    def on(version):
        return ps(msg=message(platform_version=version, shop_url="https://boutique.fr"))
    assert on("1.6.1.24") == {"PS-6d": "incompatible_version"}
    assert on("1.7.8.10") == {} and on("8.1") == {}


def test_ps_6e_incompatible_developments_are_rejected():
    assert ps(text=facts(lexicons=["incompatible_developments"])) == {"PS-6e": "incompatible_developments"}


def test_ps_6f_modified_source_is_rejected():
    assert ps(text=facts(lexicons=["modified_source"])) == {"PS-6f": "modified_source"}


def test_ps_rules_do_not_require_english():
    assert ps(text=facts(language="fr")) == {}


def test_crj_2_each_out_of_scope_category_is_chargeable():
    for category in ("customization", "third_party_conflict", "installation_upgrade_error",
                     "compatibility_check", "integration_troubleshooting", "performance_tuning",
                     "developer_consultation", "version_swap"):
        assert crj(msg=complete_crj_message(), text=facts(lexicons=[category])) == {"CRJ-2": category}


def test_crj_7_lists_exactly_what_is_missing():
    msg = complete_crj_message(order_id=None, attachment_types=())
    fired = decisions(context(profile=CRJ, msg=msg, payments=(crm_purchase(),)), CRJ)
    assert [(d.rule, d.outcome, d.evidence.get("missing")) for d in fired if d.outcome != "accept"] == [
        ("CRJ-7", "request_info", ["order_id", "screenshots"])]


def test_crj_7_a_complete_ticket_asks_for_nothing():
    assert crj(msg=complete_crj_message()) == {}


def test_crj_8_how_do_i_questions_go_to_the_docs():
    assert crj(msg=complete_crj_message(), text=facts(lexicons=["how_do_i"])) == {"CRJ-8": "how_do_i"}


def test_crj_9_wordpress_com_sites_are_not_supported():
    assert crj(msg=complete_crj_message(shop_url="https://myblog.wordpress.com")) == {"CRJ-9": "unsupported_platform"}
    assert crj(msg=complete_crj_message(platform="WordPress.com")) == {"CRJ-9": "unsupported_platform"}
    assert crj(msg=complete_crj_message(shop_url="https://wordpress.example.org")) == {}


def test_crj_11_every_decision_records_the_profile_version():
    msg = complete_crj_message(order_id=None)
    fired = decisions(context(profile=CRJ, msg=msg, text=facts(lexicons=["how_do_i"])), CRJ)
    assert fired and {d.policy for d in fired} == {built_in_profiles()[CRJ].ref}
    assert built_in_profiles()[CRJ].rule_of_type("versioned_policy").id == "CRJ-11"
