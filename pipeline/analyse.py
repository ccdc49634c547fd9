"""Per-case analysis: contacts + mentions + case details → findings, criteria, report."""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from pipeline.config import CONTEXT_FLAGS, Settings
from pipeline.criteria import assess_criteria
from pipeline.gaps import Case, find_gaps, rosh_from_notes
from pipeline.nlp.rulefile import load_rules


def build_cases(contacts: pd.DataFrame, mentions: pd.DataFrame, cases: pd.DataFrame):
    """Yield one `Case` per crn in the contacts (sorted by crn)."""
    dates = contacts.set_index("contact_id")["date"]
    mentions = mentions.assign(date=mentions["contact_id"].map(dates))
    case_info = cases.set_index("crn").to_dict("index") if len(cases) else {}
    by_crn = dict(tuple(mentions.groupby("crn", sort=False))) if len(mentions) else {}
    empty = mentions.iloc[0:0]
    for crn, group in contacts.groupby("crn", sort=True):
        info = case_info.get(crn, {})
        case_mentions = by_crn.get(crn, empty)
        rosh = info.get("rosh") or None
        source = "cases file" if rosh else "unknown"
        if not rosh:
            rosh = rosh_from_notes(case_mentions)
            source = "notes" if rosh else "unknown"
        registers = [r.strip().upper() for r in str(info.get("registers") or "").split(";") if r.strip()]
        service = info.get("service") or ("youth" if youth_from_notes(group["notes"]) else "probation")
        yield Case(
            crn=crn, contacts=group, mentions=case_mentions, service=service,
            rosh=rosh, rosh_source=source, registers=registers,
            register_date=group["date"].min() if registers else None,
        ), info


@lru_cache(maxsize=1)
def _youth_cues() -> re.Pattern:
    return re.compile("|".join(load_rules("service")["youth_cues"]), re.I)


def youth_from_notes(notes) -> bool:
    """A case with no service in the cases file is youth if its notes say so (rules/service.yaml)."""
    return any(_youth_cues().search(n or "") for n in notes)


def analyse_case(case: Case, info: dict, settings: Settings) -> dict:
    """Everything known about one case, as a JSON-ready dict (the per-case report)."""
    findings = find_gaps(case, settings)
    completed = [cid for cid, done in zip(case.contacts["contact_id"], case.with_person()) if done]
    criteria = assess_criteria(case, findings, completed)
    extra_cols = [c for c in case.contacts.columns if c not in {"row", "crn", "contact_id", "contact_date", "contact_type",
                                                                  "notes", "author", "date", "type_code"}]
    contacts, done_ids = [], set(completed)
    for c in case.contacts.to_dict("records"):
        contacts.append({
            "contact_id": c["contact_id"], "date": c["date"].date().isoformat(), "contact_type": c["contact_type"],
            "author": str(c.get("author") or ""), "notes": c["notes"], "completed_contact": c["contact_id"] in done_ids,
            "extra": {k: _plain(c[k]) for k in extra_cols},
        })
    entities = []
    for m in case.mentions.to_dict("records"):
        entities.append({
            "contact_id": m["contact_id"], "date": m["date"].date().isoformat(), "label": m["label"], "text": m["text"],
            "start": int(m["start"]), "end": int(m["end"]), "source": m["source"], "rule_id": m["rule_id"],
            "kind": m["kind"] if isinstance(m["kind"], str) else None,
            "context": {f: bool(m[f]) for f in CONTEXT_FLAGS},
            "context_rules": [r for r in str(m["context_rules"] or "").split(";") if r],
        })
    return {
        "crn": case.crn, "service": case.service, "rosh": case.rosh, "rosh_source": case.rosh_source,
        "team": str(info.get("team") or ""), "officer": str(info.get("officer") or ""), "registers": case.registers,
        "contacts": contacts, "entities": entities, "findings": findings, "criteria": criteria,
    }


def _plain(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, (int, float, bool)) else str(value)
