"""pipeline.gaps: the gap catalogue (SPEC section 4) over one case's timeline.

Most tests build a `Case` by hand (mentions with flags and dates), so they test the
rules alone; the last block runs extract on synthetic notes to test the rules on
what the NLP actually produces.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.config import Settings
from pipeline.gaps import find_gaps, rosh_from_notes
from pipeline.nlp.rulefile import load_rules

ALL_GAP_IDS = [r["id"] for r in load_rules("gaps")["rules"]]
FINDING_KEYS = ("crn", "gap_id", "criteria", "message", "trigger_contact_ids", "evidence", "trigger_rules", "looked_for")


def M(contact_id, label, date, **kw):
    """A mention spec for the table: kw = text, kind, source, negated/hypothetical/... flags."""
    return (contact_id, label, date, kw)


def _case(case, mention, specs, **case_kwargs):
    return case([mention(cid, label, date, **kw) for cid, label, date, kw in specs], **case_kwargs)


# (gap id, mentions, Case fields, fires?)  -- one comment per row
TRIGGER_RESPONSE = [
    # ---------------------------------------------------------- CHILD_NO_SAFEGUARDING_CHECK
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", text="2 kids")], {}, True),      # no check
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10"), M("C2", "SAFEGUARDING_CHECK", "2024-01-20")],
     {}, False),                                                                                     # check made
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10"), M("C0", "SAFEGUARDING_CHECK", "2023-12-01")],
     {}, False),                                                                                     # any time counts
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10"),
                                     M("C2", "SAFEGUARDING_CHECK", "2024-01-10", hypothetical=True)], {}, True),  # "will request SFGC"
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10"),
                                     M("C2", "SAFEGUARDING_CHECK", "2024-01-12", attempted=True)], {}, True),     # bounced
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10"),
                                     M("C2", "SAFEGUARDING_CHECK", "2024-01-12", source="contact_type", text="SFGC")],
     {}, False),                                                                                     # SFGC contact type
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", negated=True)], {}, False),      # "no children"
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", other_person=True)], {}, False),  # "his mate's kids"
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", historical=True)], {}, False),   # "CP plan ended 2019"
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", hypothetical=True)], {}, False),  # "?pregnant"
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", text="child")],
     {"service": "youth"}, False),                                                                   # youth: "the child" is the PoP
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", text="children")],
     {"service": "youth"}, False),
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "CHILD", "2024-01-10", text="6 month old daughter")],
     {"service": "youth"}, True),                                                                    # youth PoP's own baby
    ("CHILD_NO_SAFEGUARDING_CHECK", [M("C1", "ROSH_LEVEL", "2024-01-10")],
     {"registers": ["RCCO"], "register_date": pd.Timestamp("2024-01-10")}, True),                    # child concerns register
    # ---------------------------------------------------------- PARTNER_NO_DA_CHECK
    ("PARTNER_NO_DA_CHECK", [M("C1", "PARTNER", "2024-01-10", text="gf")], {}, True),
    ("PARTNER_NO_DA_CHECK", [M("C1", "DOMESTIC_ABUSE", "2024-01-10", text="DA incident")], {}, True),
    ("PARTNER_NO_DA_CHECK", [M("C1", "PARTNER", "2024-01-10"), M("C2", "DA_CHECK", "2024-01-11")], {}, False),
    ("PARTNER_NO_DA_CHECK", [M("C1", "PARTNER", "2024-01-10"), M("C2", "DA_CHECK", "2024-01-11", attempted=True)],
     {}, True),                                                                                      # "checks bounced"
    ("PARTNER_NO_DA_CHECK", [M("C1", "PARTNER", "2024-01-10", historical=True)], {}, False),         # "historic DV with ex in 2012"
    ("PARTNER_NO_DA_CHECK", [M("C1", "NEW_RELATIONSHIP", "2024-01-10", hypothetical=True)], {}, False),  # "if he starts a relationship"
    ("PARTNER_NO_DA_CHECK", [M("C1", "ROSH_LEVEL", "2024-01-10")],
     {"registers": ["ADVP"], "register_date": pd.Timestamp("2024-01-10")}, True),                    # DA perpetrator register
    # ---------------------------------------------------------- NEW_RELATIONSHIP_NO_RESPONSE
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01")], {}, True),
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01"), M("C2", "DISCLOSURE", "2024-02-10")],
     {}, False),                                                                                     # DVDS after
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01"), M("C1", "DA_CHECK", "2024-02-01")],
     {}, False),                                                                                     # same day = "on or after"
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01"), M("C0", "RISK_REVIEW", "2024-01-15")],
     {}, True),                                                                                      # review before: not after it
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01"),
                                      M("C2", "SAFEGUARDING_CHECK", "2024-02-20")], {}, False),      # check on her kids
    ("NEW_RELATIONSHIP_NO_RESPONSE", [M("C1", "NEW_RELATIONSHIP", "2024-02-01"),
                                      M("C2", "DISCLOSURE", "2024-02-10", hypothetical=True)], {}, True),  # "to apply for DVDS"
    # ---------------------------------------------------------- SUBSTANCE_NO_RESPONSE
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01", text="tested positive for crack")], {}, True),
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01"), M("C2", "SUBSTANCE_RESPONSE", "2024-03-05")],
     {}, False),                                                                                     # referred to CGL after
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01"), M("C2", "RISK_REVIEW", "2024-03-05")],
     {}, False),                                                                                     # addressed in a review
    ("SUBSTANCE_NO_RESPONSE", [M("C0", "SUBSTANCE_RESPONSE", "2024-02-01"), M("C1", "SUBSTANCE_USE", "2024-03-01")],
     {}, True),                                                                                      # referral before the relapse
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01"),
                               M("C2", "SUBSTANCE_RESPONSE", "2024-03-05", attempted=True)], {}, True),  # voicemail for CGL
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01", other_person=True)], {}, False),  # "his brother uses spice"
    ("SUBSTANCE_NO_RESPONSE", [M("C1", "SUBSTANCE_USE", "2024-03-01", negated=True)], {}, False),       # "denies drug use"
    # ---------------------------------------------------------- AGGRESSION_NO_RISK_REVIEW
    ("AGGRESSION_NO_RISK_REVIEW", [M("C1", "AGGRESSION", "2024-03-01", text="kicked off")], {}, True),
    ("AGGRESSION_NO_RISK_REVIEW", [M("C1", "AGGRESSION", "2024-03-01"), M("C2", "RISK_REVIEW", "2024-03-02")], {}, False),
    ("AGGRESSION_NO_RISK_REVIEW", [M("C1", "AGGRESSION", "2024-03-01"), M("C2", "MANAGEMENT_OVERSIGHT", "2024-03-02")],
     {}, False),                                                                                     # manager case discussion
    ("AGGRESSION_NO_RISK_REVIEW", [M("C0", "RISK_REVIEW", "2024-02-01"), M("C1", "AGGRESSION", "2024-03-01")], {}, True),
    ("AGGRESSION_NO_RISK_REVIEW", [M("C1", "AGGRESSION", "2024-03-01"),
                                   M("C2", "RISK_REVIEW", "2024-03-02", hypothetical=True)], {}, True),  # "OASys review due"
    # ---------------------------------------------------------- SELF_HARM_NO_RESPONSE
    ("SELF_HARM_NO_RESPONSE", [M("C1", "SELF_HARM", "2024-03-01", text="better off dead")], {}, True),
    ("SELF_HARM_NO_RESPONSE", [M("C1", "SELF_HARM", "2024-03-01"), M("C1", "MENTAL_HEALTH_RESPONSE", "2024-03-01")],
     {}, False),                                                                                     # safety plan same day
    ("SELF_HARM_NO_RESPONSE", [M("C0", "MENTAL_HEALTH_RESPONSE", "2024-01-01"), M("C1", "SELF_HARM", "2024-03-01")],
     {}, True),
    ("SELF_HARM_NO_RESPONSE", [M("C1", "SELF_HARM", "2024-03-01"),
                               M("C2", "MENTAL_HEALTH_RESPONSE", "2024-03-02", hypothetical=True)], {}, True),  # "will refer to GP"
    # ---------------------------------------------------------- VICTIM_ORDER_NO_MONITORING
    ("VICTIM_ORDER_NO_MONITORING", [M("C1", "PROTECTIVE_ORDER", "2024-03-01", text="restraining order")], {}, True),
    ("VICTIM_ORDER_NO_MONITORING", [M("C1", "PROTECTIVE_ORDER", "2024-03-01"), M("C2", "VICTIM_CONTACT", "2024-04-01")],
     {}, False),
    ("VICTIM_ORDER_NO_MONITORING", [M("C1", "PROTECTIVE_ORDER", "2024-03-01"), M("C2", "DA_CHECK", "2024-04-01")],
     {}, False),                                                                                     # police check
    ("VICTIM_ORDER_NO_MONITORING", [M("C1", "PROTECTIVE_ORDER", "2024-03-01", negated=True)], {}, False),
    ("VICTIM_ORDER_NO_MONITORING", [M("C1", "ROSH_LEVEL", "2024-03-01")],
     {"registers": ["RSTO"], "register_date": pd.Timestamp("2024-03-01")}, True),                    # restraining order register
    # ---------------------------------------------------------- AGENCY_NO_LIAISON
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", text="CMHT", kind="mental_health")], {}, True),
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="mental_health"),
                           M("C2", "AGENCY_CONTACT", "2024-03-05", kind="mental_health")], {}, False),
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="mental_health"),
                           M("C2", "MENTAL_HEALTH_RESPONSE", "2024-03-05")], {}, False),             # label implies the kind
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="children_services"),
                           M("C2", "SAFEGUARDING_CHECK", "2024-03-05")], {}, False),
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="mental_health"),
                           M("C2", "AGENCY_CONTACT", "2024-03-05", kind="housing")], {}, True),      # wrong agency
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", text="police", kind="police"),
                           M("C2", "AGENCY_CONTACT", "2024-03-05", kind="children_services",
                             text="shared with children's social care and the police")], {}, False),  # a contact naming two agencies
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", text="police", kind="police"),
                           M("C2", "AGENCY_CONTACT", "2024-03-05", kind="children_services",
                             text="shared with children's social care")], {}, True),                # only the first of them
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="mental_health"),
                           M("C2", "AGENCY_CONTACT", "2024-03-05", kind="mental_health", attempted=True)],
     {}, True),                                                                                      # "called, no reply"
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="youth_justice")], {}, False),       # kind not in SPEC list
    ("AGENCY_NO_LIAISON", [M("C1", "AGENCY", "2024-03-01", kind="police", negated=True)], {}, False),  # "not known to IOM"
    # ---------------------------------------------------------- NO_HOME_VISIT
    ("NO_HOME_VISIT", [M("C1", "DOMESTIC_ABUSE", "2024-03-01", text="DV")], {}, True),
    ("NO_HOME_VISIT", [M("C1", "CHILD_PROTECTION", "2024-03-01", text="CP plan")], {}, True),
    ("NO_HOME_VISIT", [M("C1", "DOMESTIC_ABUSE", "2024-03-01"), M("C2", "HOME_VISIT", "2024-03-10")], {}, False),
    ("NO_HOME_VISIT", [M("C1", "DOMESTIC_ABUSE", "2024-03-01"), M("C2", "HOME_VISIT", "2024-03-10", attempted=True)],
     {}, True),                                                                                      # "HV attempted - no answer"
    ("NO_HOME_VISIT", [M("C1", "DOMESTIC_ABUSE", "2024-03-01"), M("C2", "HOME_VISIT", "2024-03-10", hypothetical=True)],
     {}, True),                                                                                      # "to complete HV"
    ("NO_HOME_VISIT", [M("C1", "DOMESTIC_ABUSE", "2024-03-01"),
                       M("C2", "HOME_VISIT", "2024-03-10", source="contact_type", text="CHVS")], {}, False),
    ("NO_HOME_VISIT", [M("C1", "PARTNER", "2024-03-01")], {}, False),                               # a partner alone is not a DA concern
    ("NO_HOME_VISIT", [M("C1", "ROSH_LEVEL", "2024-03-01")],
     {"registers": ["RCPR"], "register_date": pd.Timestamp("2024-03-01")}, True),
    # ---------------------------------------------------------- REALLOCATION_NO_REVIEW (28 days)
    ("REALLOCATION_NO_REVIEW", [M("C1", "REALLOCATION", "2024-03-01")], {}, True),
    ("REALLOCATION_NO_REVIEW", [M("C1", "REALLOCATION", "2024-03-01"), M("C2", "RISK_REVIEW", "2024-03-21")],
     {}, False),                                                                                     # day 20
    ("REALLOCATION_NO_REVIEW", [M("C1", "REALLOCATION", "2024-03-01"), M("C2", "HANDOVER", "2024-03-29")],
     {}, False),                                                                                     # day 28: still inside
    ("REALLOCATION_NO_REVIEW", [M("C1", "REALLOCATION", "2024-03-01"), M("C2", "RISK_REVIEW", "2024-03-30")],
     {}, True),                                                                                      # day 29: too late
    ("REALLOCATION_NO_REVIEW", [M("C1", "REALLOCATION", "2024-03-01"), M("C2", "RISK_REVIEW", "2024-04-10")],
     {}, True),                                                                                      # day 40
    ("REALLOCATION_NO_REVIEW", [M("C0", "HANDOVER", "2024-02-20"), M("C1", "REALLOCATION", "2024-03-01")],
     {}, True),                                                                                      # before the transfer
    # ---------------------------------------------------------- RISK_ESCALATION_NO_OVERSIGHT
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01", text="arrested")], {}, True),
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01"),
                                      M("C2", "MANAGEMENT_OVERSIGHT", "2024-03-02")], {}, False),
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01"),
                                      M("C1", "MANAGEMENT_OVERSIGHT", "2024-03-01", source="contact_type", text="MO3")],
     {}, False),                                                                                     # MO3 same day
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C0", "MANAGEMENT_OVERSIGHT", "2024-02-01"),
                                      M("C1", "RISK_ESCALATION", "2024-03-01")], {}, True),          # oversight before
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01"),
                                      M("C2", "MANAGEMENT_OVERSIGHT", "2024-03-02", hypothetical=True)], {}, True),  # "to discuss with SPO"
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01", negated=True)], {}, False),  # "not arrested"
    ("RISK_ESCALATION_NO_OVERSIGHT", [M("C1", "RISK_ESCALATION", "2024-03-01", historical=True)], {}, False),  # "recalled in 2015"
]


@pytest.mark.parametrize("gap_id, specs, case_kwargs, fires", TRIGGER_RESPONSE)
def test_gaps_trigger_response_rules(case, mention, settings, gap_ids, gap_id, specs, case_kwargs, fires):
    findings = find_gaps(_case(case, mention, specs, **case_kwargs), settings)

    assert (gap_id in gap_ids(findings)) is fires


def test_gaps_table_fires_and_clears_every_gap_id():
    fired = {row[0] for row in TRIGGER_RESPONSE if row[3]} | {"CONTACT_BELOW_RISK_LEVEL"}
    cleared = {row[0] for row in TRIGGER_RESPONSE if not row[3]} | {"CONTACT_BELOW_RISK_LEVEL"}

    assert fired == cleared == set(ALL_GAP_IDS)


def test_when_case_has_no_mentions_then_no_gaps(case, settings):
    assert find_gaps(case([]), settings) == []


def test_gaps_each_trigger_fires_only_its_own_rules(case, mention, settings, gap_ids):
    c = case([mention("C1", "AGGRESSION", "2024-03-01", text="kicked off")])

    assert gap_ids(find_gaps(c, settings)) == {"AGGRESSION_NO_RISK_REVIEW"}


def test_gaps_agency_kinds_are_reported_separately(case, mention, settings):
    c = case([
        mention("C1", "AGENCY", "2024-03-01", text="CMHT", kind="mental_health"),
        mention("C2", "AGENCY", "2024-03-03", text="housing support worker", kind="housing"),
        mention("C3", "AGENCY_CONTACT", "2024-03-05", text="spoke to housing support worker", kind="housing"),
    ])

    findings = [f for f in find_gaps(c, settings) if f["gap_id"] == "AGENCY_NO_LIAISON"]

    assert [f["kind"] for f in findings] == ["mental_health"]
    assert findings[0]["trigger_contact_ids"] == ["C1"]
    assert findings[0]["message"].startswith("Mental health involved (contact 2024-03-01)")


def test_gaps_finding_carries_evidence(case, mention, settings):
    c = case([
        mention("C2", "CHILD", "2024-03-04", text="2 kids", rule_id="child.noun"),
        mention("C1", "CHILD", "2024-03-01", text="6yo daughter", rule_id="child.noun"),
        mention("C3", "SAFEGUARDING_CHECK", "2024-03-05", hypothetical=True, text="SFGC"),
    ])

    (f,) = [f for f in find_gaps(c, settings) if f["gap_id"] == "CHILD_NO_SAFEGUARDING_CHECK"]

    assert f["crn"] == "X123456"
    assert f["criteria"] == ["assess.sources_used", "deliver.victim_protection", "deliver.agency_coordination"]
    assert f["message"] == "child mentioned (contact 2024-03-01), no safeguarding check recorded"
    assert f["trigger_contact_ids"] == ["C1", "C2"]  # earliest first
    assert f["trigger_date"] == "2024-03-01"
    assert "6yo daughter" in f["evidence"]
    assert f["trigger_rules"] == ["child.noun"]
    assert "safeguarding" in f["looked_for"]
    assert [e["contact_id"] for e in f["evidence_spans"]] == ["C1", "C2"]


def test_gaps_register_only_finding_names_the_register(case, mention, settings):
    c = case([mention("C1", "ROSH_LEVEL", "2024-03-01")], registers=["ADVP"], register_date=pd.Timestamp("2024-03-01"))

    (f,) = [f for f in find_gaps(c, settings) if f["gap_id"] == "PARTNER_NO_DA_CHECK"]

    assert f["trigger_rules"] == ["register.ADVP"]
    assert "ADVP" in f["evidence"]
    assert f["trigger_date"] == "2024-03-01"


@pytest.mark.parametrize("specs, case_kwargs", [
    ([M("C1", "CHILD", "2024-01-10"), M("C1", "PARTNER", "2024-01-10"), M("C1", "DOMESTIC_ABUSE", "2024-01-10"),
      M("C2", "NEW_RELATIONSHIP", "2024-02-01"), M("C3", "SUBSTANCE_USE", "2024-02-03"), M("C3", "AGGRESSION", "2024-02-03"),
      M("C4", "SELF_HARM", "2024-02-05"), M("C4", "PROTECTIVE_ORDER", "2024-02-05"),
      M("C5", "AGENCY", "2024-02-07", kind="police"), M("C5", "REALLOCATION", "2024-02-07"),
      M("C6", "RISK_ESCALATION", "2024-02-09")], {}),                                                  # adult, every trigger
    ([M("C1", "CHILD", "2024-01-10", text="baby"), M("C1", "PARTNER", "2024-01-10")],
     {"service": "youth"}),                                                                            # youth case
    ([M("C1", "DOMESTIC_ABUSE", "2024-01-10")], {"service": "youth"}),                            # youth DA, no HV
])
def test_gaps_every_finding_has_the_required_fields(case, mention, settings, specs, case_kwargs):
    findings = find_gaps(_case(case, mention, specs, **case_kwargs), settings)

    assert findings
    for f in findings:
        for key in FINDING_KEYS:
            assert f.get(key) not in (None, "", []), (f["gap_id"], key)
        assert f["gap_id"] in ALL_GAP_IDS
        assert isinstance(f["criteria"], list) and isinstance(f["trigger_contact_ids"], list)


def test_gaps_youth_findings_drop_prompts_the_youth_standard_lacks(case, mention, settings):
    c = case([mention("C1", "PARTNER", "2024-01-10")], service="youth")

    (f,) = find_gaps(c, settings)

    assert f["gap_id"] == "PARTNER_NO_DA_CHECK"
    assert f["criteria"] == ["assess.sources_used", "assess.victims_analysed"]


# ------------------------------------------------------------------ CONTACT_BELOW_RISK_LEVEL


def _contacts(days, types=None, notes=None, start="2024-03-01"):
    base = pd.Timestamp(start)
    n = len(days)
    return pd.DataFrame({
        "contact_id": [f"C{i}" for i in range(n)],
        "date": [base + pd.Timedelta(days=d) for d in days],
        "contact_type": types or ["COAP"] * n,
        "notes": notes or ["Seen in office, no issues."] * n,
    })


@pytest.mark.parametrize("rosh, days, types, notes, interval", [
    ("high", [0, 12], None, None, 12),                                 # 12 days at high: too long
    ("high", [0, 6, 12], None, None, None),                            # weekly: fine
    ("high", [0, 7], None, None, None),                                # exactly the limit
    ("very high", [0, 8], None, None, 8),  # 8 days at very high
    ("medium", [0, 12], None, None, None),                             # 12 days at medium: fine
    ("medium", [0, 15], None, None, 15),  # 15 days at medium
    ("low", [0, 28], None, None, None),  # exactly 28 at low
    ("low", [0, 29], None, None, 29),  # 29 days at low
    (None, [0, 60], None, None, None),                                 # RoSH unknown: no rule
    ("high", [0, 6, 12], None, ["seen", "FTA, warning letter to be sent", "seen"], 12),  # FTA is not a contact
    ("high", [0, 6, 12], ["COAP", "SFGC", "COAP"], None, 12),          # a check is not a contact with the person
    ("high", [0, 6, 12], ["COAP", "CHVS", "COAP"], ["seen", "HV attempted - no answer", "seen"], 12),  # attempted HV is no contact
    ("high", [0, 6, 12], ["COAP", "CHVS", "COAP"], ["seen", "seen at home with partner", "seen"], None),  # completed HV counts
    ("high", [0], None, None, None),                                   # one contact: no interval
])
def test_gaps_contact_interval_by_rosh(case, settings, rosh, days, types, notes, interval):
    c = case([], contacts=_contacts(days, types, notes), rosh=rosh, rosh_source="cases file")

    findings = [f for f in find_gaps(c, settings) if f["gap_id"] == "CONTACT_BELOW_RISK_LEVEL"]

    if interval is None:
        assert findings == []
        return
    (f,) = findings
    assert f["message"].startswith(f"longest interval between completed contacts {interval} days")
    assert f["criteria"] == ["deliver.contact_level"]
    assert f["trigger_rules"] == [f"policy.max_contact_interval_days.{rosh}"]
    assert len(f["trigger_contact_ids"]) == 2
    assert all(f[key] for key in FINDING_KEYS)


def test_gaps_contact_interval_limit_comes_from_settings(case):
    c = case([], contacts=_contacts([0, 9]), rosh="high")
    strict = Settings(max_contact_interval_days={"high": 7})
    lenient = Settings(max_contact_interval_days={"high": 10})

    assert [f["gap_id"] for f in find_gaps(c, strict)] == ["CONTACT_BELOW_RISK_LEVEL"]
    assert find_gaps(c, lenient) == []


def test_gaps_reallocation_window_comes_from_settings(case, mention, settings):
    c = case([mention("C1", "REALLOCATION", "2024-03-01"), mention("C2", "HANDOVER", "2024-03-21")])
    settings.reallocation_review_days = 14

    (f,) = find_gaps(c, settings)

    assert f["gap_id"] == "REALLOCATION_NO_REVIEW"
    assert "within 14 days" in f["message"]


# ------------------------------------------------------------------ rosh from notes


@pytest.mark.parametrize("specs, expected", [
    ([M("C1", "ROSH_LEVEL", "2024-01-01", kind="medium")], "medium"),  # stated once
    ([M("C1", "ROSH_LEVEL", "2024-01-01", kind="medium"), M("C2", "ROSH_LEVEL", "2024-03-01", kind="high")], "high"),  # latest
    ([M("C1", "ROSH_LEVEL", "2024-01-01", kind="high", hypothetical=True)], None),  # "if RoSH raised to high"
    ([], None),  # never stated
])
def test_gaps_rosh_from_notes(case, mention, specs, expected):
    c = _case(case, mention, specs)

    assert rosh_from_notes(c.mentions) == expected


# ------------------------------------------------------------------ via extract on synthetic notes


def _ids(findings):
    return {f["gap_id"] for f in findings}


def test_when_child_and_partner_in_note_then_both_checks_missing(notes_case, settings):
    c = notes_case([("C1", "2024-03-04", "COAP", "Lives with gf and her 2 kids, seen in office.")])

    assert _ids(find_gaps(c, settings)) == {"CHILD_NO_SAFEGUARDING_CHECK", "PARTNER_NO_DA_CHECK"}


def test_when_sfgc_and_c369_contacts_recorded_then_checks_closed(notes_case, settings):
    c = notes_case([
        ("C1", "2024-03-04", "COAP", "Lives with gf and her 2 kids, seen in office."),
        ("C2", "2024-03-05", "SFGC", "sent to MASH"),
        ("C3", "2024-03-05", "C369", "sent"),
    ])

    assert _ids(find_gaps(c, settings)) == set()


def test_when_safeguarding_check_only_planned_then_gap_fires(notes_case, settings):
    c = notes_case([
        ("C1", "2024-03-04", "COAP", "Lives alone, sees his 6yo daughter at weekends. Will request SFGC."),
    ])

    assert "CHILD_NO_SAFEGUARDING_CHECK" in _ids(find_gaps(c, settings))


def test_when_home_visit_only_attempted_then_no_home_visit_fires(notes_case, settings):
    c = notes_case([
        ("C1", "2024-03-04", "COAP", "DA incident at the weekend, police attended. C369 sent."),
        ("C2", "2024-03-08", "CHVS", "HV attempted, no answer. Card left."),
    ])

    assert "NO_HOME_VISIT" in _ids(find_gaps(c, settings))


def test_when_home_visit_completed_then_no_home_visit_closed(notes_case, settings):
    c = notes_case([
        ("C1", "2024-03-04", "COAP", "DA incident at the weekend, police attended. C369 sent."),
        ("C2", "2024-03-08", "CHVS", "Seen at home, house tidy."),
    ])

    assert "NO_HOME_VISIT" not in _ids(find_gaps(c, settings))


def test_when_youth_case_mentions_the_child_then_no_child_trigger(notes_case, settings):
    c = notes_case([("C1", "2024-03-04", "COAP", "Spoke to the child about school, mum present.")], service="youth")

    assert "CHILD_NO_SAFEGUARDING_CHECK" not in _ids(find_gaps(c, settings))


@pytest.mark.parametrize("note", [
    "Historic DV with ex in 2012, no current relationship.",   # historical
    "His brother uses spice, PoP says he stays away from him.",  # other person
    "Denies drug use, presented well.",                         # negated
])
def test_when_trigger_not_current_fact_then_no_gap(notes_case, settings, note):
    c = notes_case([("C1", "2024-03-04", "COAP", note)])

    assert _ids(find_gaps(c, settings)) == set()


@pytest.mark.parametrize("trigger_note, response_note, response_day, gap_id, fires", [
    ("Tested positive for spice today.", "Referred to CGL today.", 5, "SUBSTANCE_NO_RESPONSE", False),  # referral after
    ("Tested positive for spice today.", "Referred to CGL, appt booked.", 5, "SUBSTANCE_NO_RESPONSE", False),  # "booked" is the appt
    ("Tested positive for spice today.", "Referred to CGL, appt booked.", -5, "SUBSTANCE_NO_RESPONSE", True),  # before
    ("Says he would be better off dead.", "Safety plan agreed, Samaritans number given.", 0, "SELF_HARM_NO_RESPONSE", False),  # same day
    ("Says he would be better off dead.", "Seen in office, discussed ETE.", 3, "SELF_HARM_NO_RESPONSE", True),  # no response
    ("Feels he is better off dead.", "Seen in office, discussed ETE.", 3, "SELF_HARM_NO_RESPONSE", True),  # no response
    ("Kicked off at the hostel, verbally abusive to staff.", "RMP updated following incident.", 2,
     "AGGRESSION_NO_RISK_REVIEW", False),                                                # review after
    ("Kicked off at the hostel, verbally abusive to staff.", "Seen in office.", 2, "AGGRESSION_NO_RISK_REVIEW", True),  # no review
    ("Case reallocated to me today.", "Handover discussion with previous PP.", 20, "REALLOCATION_NO_REVIEW", False),  # day 20
    ("Case reallocated to me today.", "Handover discussion with previous PP.", 40, "REALLOCATION_NO_REVIEW", True),  # day 40
    ("Arrested on Friday, released under investigation.", "Discussed with SPO.", 1,
     "RISK_ESCALATION_NO_OVERSIGHT", False),                                             # oversight next day
    ("Disclosed a new relationship.", "DVDS application made.", 7, "NEW_RELATIONSHIP_NO_RESPONSE", False),  # DVDS after
    ("Restraining order protecting his ex is in place.", "Victim liaison contacted re compliance.", 14,
     "VICTIM_ORDER_NO_MONITORING", False),                                               # victim liaison
    ("Open to CMHT since May.", "Update from CMHT care coordinator.", 3, "AGENCY_NO_LIAISON", False),  # same agency
    ("Open to CMHT since May.", "Seen in office.", 3, "AGENCY_NO_LIAISON", True),  # never contacted
    ("Open to CMHT since May.", "MAPPA L2\nPresent: OM, DS Hale (police), CMHT care coordinator\nRisk discussed.", 3,
     "AGENCY_NO_LIAISON", False),                                                        # listed as present at a meeting
    ("Open to CMHT since May.", "Professionals meeting\nPresent: OM, DS Hale\nCMHT not invited.", 3,
     "AGENCY_NO_LIAISON", True),                                                         # named, but not in the list
])
def test_gaps_from_notes(notes_case, settings, trigger_note, response_note, response_day, gap_id, fires):
    day = pd.Timestamp("2024-03-04")
    c = notes_case([
        ("C1", day.date().isoformat(), "COAP", trigger_note),
        ("C2", (day + pd.Timedelta(days=response_day)).date().isoformat(), "COAP", response_note),
    ])

    assert (gap_id in _ids(find_gaps(c, settings))) is fires


@pytest.mark.parametrize("days, fires", [([0, 12], True), ([0, 6, 12], False)])
def test_gaps_contact_interval_with_rosh_from_notes(notes_case, settings, days, fires):
    base = pd.Timestamp("2024-03-04")
    rows = [(f"C{i}", (base + pd.Timedelta(days=d)).date().isoformat(), "COAP", "Seen in office.") for i, d in enumerate(days)]
    rows[0] = ("C0", base.date().isoformat(), "COAP", "OASys done: assessed as posing a high risk of serious harm.")

    c = notes_case(rows)

    assert c.rosh == "high" and c.rosh_source == "notes"
    assert ("CONTACT_BELOW_RISK_LEVEL" in _ids(find_gaps(c, settings))) is fires
