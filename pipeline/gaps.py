"""Evaluate the gap rules (`rules/gaps.yaml`) over one case's dated timeline.

Plain functions over pandas frames, tested directly: `find_gaps(case, settings)`.
Every finding names the rule, the trigger contacts and evidence, the response it
looked for, and the criteria it bears on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from pipeline.config import Settings
from pipeline.extract import is_contact_with_person
from pipeline.nlp.rulefile import load_rules
from pipeline.nlp.target_matcher import kind_patterns

TRIGGER_BLOCKERS = ("negated", "hypothetical", "historical", "other_person")
RESPONSE_BLOCKERS = ("negated", "hypothetical", "historical", "other_person", "attempted")


@dataclass
class Case:
    """Everything the rules need about one case. `mentions` carry `date` (joined)."""

    crn: str
    contacts: pd.DataFrame  # contact_id, date, contact_type, notes
    mentions: pd.DataFrame  # extract.MENTION_COLUMNS + date
    service: str = "probation"
    rosh: str | None = None
    rosh_source: str = "unknown"
    registers: list[str] = field(default_factory=list)
    register_date: pd.Timestamp | None = None
    _affirmed: dict = field(default_factory=dict, repr=False, compare=False)  # blockers → mentions
    _affirmed_by_date: dict = field(default_factory=dict, repr=False, compare=False)  # blockers → mentions by date
    _with_person: list | None = field(default=None, repr=False, compare=False)

    def with_person(self) -> list[bool]:
        """Per contact row: a completed contact with the person (computed once per case)."""
        if self._with_person is None:
            self._with_person = [is_contact_with_person(t, n)
                                 for t, n in zip(self.contacts["contact_type"], self.contacts["notes"])]
        return self._with_person

    def affirmed(self, blockers: tuple[str, ...]) -> pd.DataFrame:
        """This case's mentions without those flags (computed once per set of blockers)."""
        if blockers not in self._affirmed:
            self._affirmed[blockers] = affirmed(self.mentions, blockers)
        return self._affirmed[blockers]

    def affirmed_by_date(self, blockers: tuple[str, ...]) -> pd.DataFrame:
        """`affirmed`, in date order (sorted once per set of blockers: the gap rules take
        their triggers from it a dozen times per case)."""
        if blockers not in self._affirmed_by_date:
            self._affirmed_by_date[blockers] = self.affirmed(blockers).sort_values(["date", "contact_id"], kind="stable")
        return self._affirmed_by_date[blockers]


def affirmed(mentions: pd.DataFrame, blockers=TRIGGER_BLOCKERS) -> pd.DataFrame:
    if mentions.empty:
        return mentions
    mask = pd.Series(True, index=mentions.index)
    for flag in blockers:
        mask &= ~mentions[flag].astype(bool)
    return mentions[mask]


def triggers_for(case: Case, labels: list[str], kinds: list[str] | None = None, allow=()) -> pd.DataFrame:
    m = case.affirmed_by_date(tuple(f for f in TRIGGER_BLOCKERS if f not in allow))
    # numpy masks, and one row selection: most rules find nothing in most cases
    mask = np.isin(m["label"].to_numpy(dtype=object), labels)
    if kinds is not None:
        mask &= np.isin(m["kind"].to_numpy(dtype=object), kinds)
    if not mask.any():
        return m.iloc[0:0]
    m = m[mask]
    if case.service == "youth":
        # in youth cases "the child" is the person on probation
        words = set(load_rules("gaps")["youth_generic_child_words"])
        generic = (m["label"] == "CHILD") & m["text"].str.lower().str.split().str[-1].isin(words)
        m = m[~generic]
    return m  # in date order: filtered from `case.affirmed_by_date`


def responses_for(case: Case, labels: list[str], sections: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Completed responses: mentions with one of `labels`, or, per `sections` (section
    category → labels), a mention of those labels in that section ("Present: ... housing")."""
    m = case.affirmed(RESPONSE_BLOCKERS)
    mask = m["label"].isin(labels)
    for section, section_labels in (sections or {}).items():
        mask |= (m["section"] == section) & m["label"].isin(section_labels)
    return m[mask]


def find_gaps(case: Case, settings: Settings) -> list[dict]:
    data = load_rules("gaps")
    findings = []
    for rule in data["rules"]:
        if rule.get("type") == "contact_interval":
            found = contact_interval_gap(case, rule, settings)
            findings.extend([found] if found else [])
        else:
            findings.extend(trigger_response_gaps(case, rule, settings, data.get("label_kinds", {})))
    if case.service == "youth":
        # the youth standard has no separate key-individuals / home-visit prompts (SPEC
        # section 3): findings that bear only on those do not apply
        dropped = set(load_rules("criteria")["youth_not_applicable"])
        for f in findings:
            f["criteria"] = [c for c in f["criteria"] if c not in dropped]
        findings = [f for f in findings if f["criteria"]]
    return findings


@lru_cache(maxsize=1)
def _agency_kind_patterns() -> list:
    return kind_patterns(load_rules("targets").get("kinds", {})).get("AGENCY", [])


@lru_cache(maxsize=65536)
def agency_kinds_named(text: str) -> frozenset:
    """Every agency kind a span's text names. A mention's `kind` is the first one only, so a contact
    "shared with children's social care and the police" would otherwise count for children's
    services and not for the police (an HMIP seed)."""
    low = str(text).lower()
    return frozenset(kind for kind, regex in _agency_kind_patterns() if regex.search(low))


def trigger_response_gaps(case: Case, rule: dict, settings: Settings, label_kinds: dict) -> list[dict]:
    trig, resp = rule["trigger"], rule["response"]
    triggers = triggers_for(case, trig["labels"], trig.get("kinds"), trig.get("allow", ()))
    register_hits = sorted(set(trig.get("registers", [])) & set(case.registers))
    if triggers.empty and not register_hits:
        return []
    responses = responses_for(case, resp["labels"], resp.get("sections"))
    if resp.get("same_kind"):
        responses = responses.assign(kind=responses["kind"].fillna(responses["label"].map(label_kinds)))
        groups = [(kind, grp) for kind, grp in triggers.groupby("kind", sort=True)]
    else:
        groups = [(None, triggers)]
    findings = []
    for kind, trig_group in groups:
        first_date = trig_group["date"].min() if len(trig_group) else case.register_date
        candidates = responses if kind is None else responses[
            (responses["kind"] == kind) | np.array([kind in agency_kinds_named(x) for x in responses["text"]], dtype=bool)]
        days = None
        if resp["when"] in ("after", "within_days") and first_date is not None:
            candidates = candidates[candidates["date"] >= first_date]
        if resp["when"] == "within_days" and first_date is not None:
            days = resp.get("days") or getattr(settings, resp["days_setting"])
            candidates = candidates[candidates["date"] <= first_date + pd.Timedelta(days=days)]
        if len(candidates):
            continue
        findings.append(_finding(case, rule, trig_group, register_hits, first_date, kind=kind, days=days))
    return findings


def _finding(case, rule, trig_group, register_hits, first_date, **fmt) -> dict:
    date_text = first_date.date().isoformat() if first_date is not None and not pd.isna(first_date) else "date unknown"
    kind = (fmt.get("kind") or "").replace("_", " ")
    message = rule["message"].format(date=f"contact {date_text}", kind=kind.capitalize() or "Agency", days=fmt.get("days"))
    first = trig_group.iloc[0] if len(trig_group) else None
    evidence = []
    for _, m in trig_group.head(5).iterrows():
        evidence.append({"contact_id": m["contact_id"], "date": m["date"].date().isoformat(), "text": m["text"],
                         "start": int(m["start"]), "end": int(m["end"]), "label": m["label"], "rule_id": m["rule_id"],
                         "source": m["source"]})
    if register_hits:
        evidence.append({"contact_id": None, "date": None, "text": ";".join(register_hits), "start": -1, "end": -1,
                         "label": "REGISTER", "rule_id": "register." + "/".join(register_hits), "source": "cases.registers"})
    return {
        "crn": case.crn, "gap_id": rule["id"], "criteria": list(rule["criteria"]), "message": message,
        "trigger_contact_ids": list(dict.fromkeys(trig_group["contact_id"].tolist())),
        "trigger_date": date_text if date_text != "date unknown" else "",
        "evidence": _quote(first["text"]) if first is not None else f"registers: {';'.join(register_hits)}",
        "trigger_rules": sorted(set(trig_group["rule_id"].dropna())) + [f"register.{r}" for r in register_hits],
        "looked_for": rule["looked_for"], "response_labels": rule.get("response", {}).get("labels", []),
        "kind": fmt.get("kind"), "evidence_spans": evidence,
    }


def contact_interval_gap(case: Case, rule: dict, settings: Settings) -> dict | None:
    limit = settings.max_contact_interval_days.get(case.rosh or "")
    if not limit:
        return None
    done = case.contacts[case.with_person()]
    dates = sorted(set(done["date"].dropna()))
    if len(dates) < 2:
        return None
    gaps = [(b - a).days for a, b in zip(dates, dates[1:])]
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    if gaps[worst] <= limit:
        return None
    start, end = dates[worst], dates[worst + 1]
    ids = done.loc[done["date"].isin([start, end]), "contact_id"].tolist()
    message = rule["message"].format(interval=gaps[worst], start=start.date(), end=end.date(), limit=limit, rosh=case.rosh)
    return {
        "crn": case.crn, "gap_id": rule["id"], "criteria": list(rule["criteria"]), "message": message,
        "trigger_contact_ids": ids, "trigger_date": start.date().isoformat(),
        "evidence": f"{gaps[worst]} days between completed contacts; RoSH {case.rosh} ({case.rosh_source})",
        "trigger_rules": [f"policy.max_contact_interval_days.{case.rosh}"], "looked_for": rule["looked_for"],
        "response_labels": [], "kind": None, "evidence_spans": [],
    }


def rosh_from_notes(mentions: pd.DataFrame) -> str | None:
    """The latest RoSH level stated in the notes (affirmed, not planned)."""
    m = affirmed(mentions)
    m = m[(m["label"] == "ROSH_LEVEL") & m["kind"].notna()]
    if m.empty:
        return None
    return m.sort_values(["date", "contact_id"], kind="stable").iloc[-1]["kind"]


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return f"\u201c{text[:limit]}\u201d"
