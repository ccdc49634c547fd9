"""The stable ids of SPEC sections 3 and 4, checked against the rule files at import.

If a rule file renames or drops an id, importing this module fails loudly.
"""

from pipeline.criteria import CRITERIA
from pipeline.nlp.rulefile import load_rules

GAP_IDS = {
    "CHILD_NO_SAFEGUARDING_CHECK", "PARTNER_NO_DA_CHECK", "NEW_RELATIONSHIP_NO_RESPONSE", "SUBSTANCE_NO_RESPONSE",
    "AGGRESSION_NO_RISK_REVIEW", "SELF_HARM_NO_RESPONSE", "VICTIM_ORDER_NO_MONITORING", "AGENCY_NO_LIAISON", "NO_HOME_VISIT",
    "REALLOCATION_NO_REVIEW", "CONTACT_BELOW_RISK_LEVEL", "RISK_ESCALATION_NO_OVERSIGHT",
}
CRITERIA_IDS = set(CRITERIA)

_rule_gap_ids = {r["id"] for r in load_rules("gaps")["rules"]}
if _rule_gap_ids != GAP_IDS:
    raise RuntimeError(f"rules/gaps.yaml ids differ from SPEC: {sorted(_rule_gap_ids ^ GAP_IDS)}")
_rule_criteria = set(load_rules("criteria")["criteria"]) | {c for r in load_rules("gaps")["rules"] for c in r["criteria"]}
if not _rule_criteria <= CRITERIA_IDS:
    raise RuntimeError(f"unknown criteria ids in rules: {sorted(_rule_criteria - CRITERIA_IDS)}")
