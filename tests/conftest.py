"""Shared fixtures for the unit tests (the only conftest in the suite).

Everything here is small and synthetic. The spaCy pipeline is built once per session,
rules only (no learned context model), so the tests do not depend on `models/`.
Frame builders are plain functions exposed through fixtures, so a test asks for
`make_case` or `case_from_notes` instead of importing from this file.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from pipeline.config import CONTEXT_FLAGS, Settings
from pipeline.extract import MENTION_COLUMNS
from pipeline.gaps import Case
from pipeline.ingest import validate_contacts

DEFAULT_CRN = "X123456"
_ids = itertools.count(1)


# --------------------------------------------------------------------------- spaCy


@pytest.fixture(scope="session")
def nlp():
    """The rule-based pipeline (sentencizer, sectionizer, target matcher, ConText)."""
    from pipeline.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def parse(nlp):
    """Run one note through the pipeline; `note_year` as extract sets it (default 2024)."""

    def _parse(text: str, note_year: int | None = 2024):
        doc = nlp.make_doc(text)
        doc._.note_year = note_year
        return nlp(doc)

    return _parse


@pytest.fixture
def settings() -> Settings:
    """Default settings (settings.yaml): high 7, medium 14, low 28 days; reallocation 28 days."""
    return Settings.load()


# --------------------------------------------------------------------------- frames


def raw_contacts(rows, crn: str = DEFAULT_CRN, **extra_columns) -> pd.DataFrame:
    """A raw contacts table as it comes out of a file (all text).

    `rows`: (contact_id, contact_date, contact_type, notes) tuples, or dicts with any of
    crn/contact_id/contact_date/contact_type/notes/author.
    """
    records = []
    for row in rows:
        if isinstance(row, dict):
            rec = {"crn": crn, "contact_id": f"C{next(_ids)}", "contact_date": "2024-01-01", "contact_type": "",
                   "notes": "", "author": "J Smith"}
            rec.update(row)
        else:
            cid, date, ctype, notes = row
            rec = {"crn": crn, "contact_id": cid, "contact_date": date, "contact_type": ctype, "notes": notes,
                   "author": "J Smith"}
        records.append(rec)
    df = pd.DataFrame(records, columns=["crn", "contact_id", "contact_date", "contact_type", "notes", "author"])
    for name, values in extra_columns.items():
        df[name] = values
    return df


def make_contacts(rows, crn: str = DEFAULT_CRN) -> pd.DataFrame:
    """Validated contacts (as ingest returns them: `row`, `date`, `type_code` added)."""
    good, quarantine = validate_contacts(raw_contacts(rows, crn=crn))
    assert quarantine.empty, f"test data has bad rows: {quarantine.to_dict('records')}"
    return good


def make_mention(contact_id: str, label: str, date: str, text: str | None = None, kind: str | None = None,
                 source: str = "text", crn: str = DEFAULT_CRN, rule_id: str | None = None, **flags) -> dict:
    """One mention record (extract.MENTION_COLUMNS + `date`), affirmed unless flags say otherwise."""
    unknown = set(flags) - set(CONTEXT_FLAGS)
    assert not unknown, f"unknown context flags {unknown}"
    text = text or label.lower().replace("_", " ")
    return {
        "crn": crn, "contact_id": contact_id, "label": label, "text": text, "start": 0, "end": len(text),
        "source": source, "rule_id": rule_id or f"test.{label.lower()}", "kind": kind,
        **{f: bool(flags.get(f, False)) for f in CONTEXT_FLAGS},
        "context_rules": ";".join(f"test.{f}" for f in CONTEXT_FLAGS if flags.get(f)), "section": None,
        "sentence": f"0:{len(text)}", "date": pd.Timestamp(date),
    }


def make_case(mentions=(), contacts=None, crn: str = DEFAULT_CRN, **case_kwargs) -> Case:
    """A `Case` from hand-built mentions. Without `contacts`, one office contact per mentioned contact id."""
    mentions = pd.DataFrame(list(mentions), columns=[*MENTION_COLUMNS, "date"])
    if contacts is None:
        seen = mentions.drop_duplicates("contact_id")
        contacts = pd.DataFrame({
            "contact_id": seen["contact_id"].tolist(), "date": seen["date"].tolist(),
            "contact_type": ["COAP"] * len(seen), "notes": ["seen in office"] * len(seen),
        })
    return Case(crn=crn, contacts=contacts.reset_index(drop=True), mentions=mentions, **case_kwargs)


def case_from_notes(nlp, rows, crn: str = DEFAULT_CRN, **case_row) -> Case:
    """Contacts → extract (real pipeline) → `Case`, the way the flow builds it.

    `case_row`: cases-file columns (rosh, service, registers...).
    """
    from pipeline.analyse import build_cases
    from pipeline.extract import extract_mentions

    contacts = make_contacts(rows, crn=crn)
    mentions = extract_mentions(nlp, contacts)
    cases = pd.DataFrame([{"crn": crn, **case_row}]) if case_row else pd.DataFrame(columns=["crn"])
    (case, _info), = list(build_cases(contacts, mentions, cases))
    return case


@pytest.fixture
def raw_contacts_frame():
    return raw_contacts


@pytest.fixture
def contacts_frame():
    return make_contacts


@pytest.fixture
def mention():
    return make_mention


@pytest.fixture
def case():
    """`case(mentions, contacts=None, **Case fields)` → a hand-built Case."""
    return make_case


@pytest.fixture
def notes_case(nlp):
    """`notes_case(rows, **cases-file columns)` → a Case built by running extract on the notes."""

    def _build(rows, crn: str = DEFAULT_CRN, **case_row):
        return case_from_notes(nlp, rows, crn=crn, **case_row)

    return _build


@pytest.fixture
def gap_ids():
    """`gap_ids(findings)` → the set of gap ids fired."""
    return lambda findings: {f["gap_id"] for f in findings}
