"""Criteria status per case (SPEC section 3), rule-based from evidence and fired gaps."""

from __future__ import annotations

import pandas as pd

from pipeline.gaps import RESPONSE_BLOCKERS, TRIGGER_BLOCKERS, Case
from pipeline.nlp.rulefile import load_rules

CRITERIA = (
    "assess.risk_identified", "assess.sources_used", "assess.victims_analysed",
    "plan.risk_factors", "plan.interventions", "plan.agency_links", "plan.contingency",
    "deliver.contact_level", "deliver.victim_protection", "deliver.agency_coordination",
    "deliver.key_individuals", "deliver.home_visits",
    "review.risk_changes", "review.agency_informed", "review.person_involved", "review.written_record",
)


def assess_criteria(case: Case, findings: list[dict], completed_contact_ids: list[str]) -> list[dict]:
    data = load_rules("criteria")
    evidence = case.affirmed(RESPONSE_BLOCKERS)
    present = set(case.affirmed(TRIGGER_BLOCKERS)["label"])
    rule_ids = {r["id"]: r for r in load_rules("gaps")["rules"]}
    rows = []
    for criterion in CRITERIA:
        spec = data["criteria"][criterion]
        fired = [f for f in findings if criterion in f["criteria"]]
        if spec["evidence"] == ["CONTACT_COMPLETED"]:
            ids = completed_contact_ids
        else:
            ids = evidence.loc[evidence["label"].isin(spec["evidence"]), "contact_id"].drop_duplicates().tolist()
        applicable = spec["applicable"] == "always" or bool(present & set(spec["applicable"]))
        if case.service == "youth" and criterion in data["youth_not_applicable"]:
            status, score = "not_applicable", None
        elif fired:
            status = "not_evidenced"
            score = _score(criterion, fired, ids, rule_ids, case)
        elif ids:
            status, score = "evidenced", 1.0
        elif applicable:
            status, score = "not_evidenced", 0.0
        else:
            status, score = "not_applicable", None
        rows.append({
            "crn": case.crn, "criterion": criterion, "status": status,
            "evidence_contact_ids": ";".join(map(str, ids[:20])), "score": score,
            "gaps": ";".join(f["gap_id"] for f in fired),
        })
    return rows


def _score(criterion, fired, ids, rule_ids, case) -> float:
    """Share of this criterion's checks met: gap rules bearing on it that did not fire, plus evidence."""
    bearing = [rid for rid, r in rule_ids.items() if criterion in r["criteria"]]
    checks = len(bearing) + 1
    met = (len(bearing) - len({f["gap_id"] for f in fired})) + (1 if ids else 0)
    return round(max(0.0, met / checks), 3)


def criteria_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["crn", "criterion", "status", "evidence_contact_ids", "score", "gaps"])
