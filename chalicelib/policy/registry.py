"""Rule types by name: parameters model, deciding function, and when it runs by default."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from .rules import licence_rules, money_rules, open_tickets, text_rules, ticket_rules, time_rules
from .rules.base import Params

When = Literal["opening", "follow_up", "every_customer_message", "closed_ticket", "open_slot",
               "timer", "order"]


@dataclass(frozen=True)
class RuleType:
    params: type[Params]
    decide: Callable | None  # None: the rule is applied by the time machinery (timers, SLA)
    when: When


RULE_TYPES: dict[str, RuleType] = {
    "assignee_required": RuleType(ticket_rules.NoParams, ticket_rules.assignee_required, "opening"),
    "language": RuleType(text_rules.LanguageParams, text_rules.language, "opening"),
    "question_count": RuleType(text_rules.QuestionParams, text_rules.question_count, "opening"),
    "lexicon": RuleType(text_rules.LexiconParams, text_rules.lexicon, "opening"),
    "closed_no_reopen": RuleType(ticket_rules.NoParams, ticket_rules.closed_no_reopen, "closed_ticket"),
    "flooding": RuleType(ticket_rules.FloodingParams, ticket_rules.flooding, "follow_up"),
    "pre_sale": RuleType(ticket_rules.PreSaleParams, ticket_rules.pre_sale, "opening"),
    "required_info": RuleType(ticket_rules.RequiredInfoParams, ticket_rules.required_info, "opening"),
    "unsupported_platform": RuleType(ticket_rules.PlatformParams, ticket_rules.unsupported_platform,
                                     "opening"),
    "other_shop": RuleType(licence_rules.NoParams, licence_rules.other_shop, "opening"),
    "incompatible_version": RuleType(licence_rules.NoParams, licence_rules.incompatible_version,
                                     "opening"),
    "one_open_ticket": RuleType(open_tickets.ConcurrentParams, open_tickets.concurrent_issue,
                                "open_slot"),
    "second_issue": RuleType(ticket_rules.NoParams, open_tickets.second_issue, "open_slot"),
    "max_age": RuleType(time_rules.MaxAgeParams, None, "timer"),
    "first_response_sla": RuleType(time_rules.FirstResponseParams, None, "timer"),
    "reply_sla": RuleType(time_rules.ReplyParams, None, "timer"),
    "bugfix_deadline": RuleType(time_rules.BugfixParams, None, "timer"),
    "support_hours": RuleType(time_rules.SupportHoursParams, None, "timer"),
    "support_entitlement": RuleType(money_rules.EntitlementParams, money_rules.support_entitlement,
                                    "opening"),
    "customization_window": RuleType(money_rules.CustomizationParams,
                                      money_rules.customization_window, "follow_up"),
    "refund_window": RuleType(money_rules.RefundWindowParams, None, "order"),
    "duplicate_payment": RuleType(money_rules.DuplicatePaymentParams, None, "order"),
    "refund_termination": RuleType(money_rules.RefundTerminationParams, None, "order"),
    "credential_vault": RuleType(ticket_rules.NoParams, None, "every_customer_message"),
    "versioned_policy": RuleType(ticket_rules.NoParams, None, "timer"),
}
