"""Shared fixtures for the unit tests (the only conftest in the suite).

Everything here is small and synthetic. The spaCy pipeline is built once per session,
rules only (no learned context model), so the tests do not depend on `models/`.
Frame builders are plain functions exposed through fixtures, so a test asks for
`case` or `notes_case` instead of importing from this file.
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


@pytest.fixture
def family_case(case, mention):
    """`family_case(service)`: child and partner, a C369 DA check and a home visit, no safeguarding check."""

    def _build(service: str = "probation"):
        return case([
            mention("C1", "CHILD", "2024-03-01", text="2 kids"),
            mention("C1", "PARTNER", "2024-03-01", text="gf"),
            mention("C2", "DA_CHECK", "2024-03-02", text="C369", source="contact_type"),
            mention("C3", "HOME_VISIT", "2024-03-05", text="HV"),
            mention("C3", "KEY_INDIVIDUAL", "2024-03-05", text="spoke to his partner"),
        ], service=service)

    return _build


# --------------------------------------------------------------------------- reports


HOSTILE_NOTE = 'Gf said "he\'s fine" <script>alert(\'x\')</script> & lives with her 2 kids <b>bold</b>'


@pytest.fixture
def hostile_note() -> str:
    """Note text with markup, a script tag and both kinds of quote."""
    return HOSTILE_NOTE


@pytest.fixture
def case_report(notes_case, settings):
    """A per-case report (analyse.analyse_case) for a case whose note holds `hostile_note`."""
    from pipeline.analyse import analyse_case

    c = notes_case([
        ("C1", "2024-03-04", "COAP", HOSTILE_NOTE),
        ("C2", "2024-03-11", "CHVS", "HV attempted - no answer."),
    ], rosh="medium", team="North <Team>", officer="J O'Brien")
    return analyse_case(c, {"team": "North <Team>", "officer": "J O'Brien"}, settings)


# --------------------------------------------------------------------------- artefacts


@pytest.fixture
def model_file(tmp_path):
    """A stand-in model file (bytes only; nothing loads it)."""
    path = tmp_path / "context_model.skops"
    path.write_bytes(b"pretend model bytes \x00\x01\x02")
    return path


# --------------------------------------------------------------------------- rule files


@pytest.fixture(scope="session")
def blank_nlp():
    """A bare English tokenizer/vocab for compiling and running Matcher patterns."""
    import spacy

    return spacy.blank("en")


@pytest.fixture(scope="session")
def tokenize(blank_nlp):
    return lambda text: [t.text for t in blank_nlp.tokenizer(text)]


# --------------------------------------------------------------------------- command line


@pytest.fixture
def cli_runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def stub_flow(monkeypatch):
    """Replace `pipeline.flows` (Prefect) with a stub module so the CLI never starts a flow.

    `stub_flow(behaviour=None)` installs it and returns the list of recorded calls;
    `behaviour(**kwargs)` may return a result dict or raise.
    """
    import sys
    import types

    def install(behaviour=None):
        calls = []

        def gap_analysis_flow(**kwargs):
            calls.append(kwargs)
            if behaviour:
                return behaviour(**kwargs)
            return {"findings": 0, "read": 1, "analysed": 1, "quarantined": 0}

        module = types.ModuleType("pipeline.flows")
        module.gap_analysis_flow = gap_analysis_flow
        monkeypatch.setitem(sys.modules, "pipeline.flows", module)
        return calls

    return install


@pytest.fixture
def flow_calls(stub_flow):
    """The default stub flow installed; the recorded calls."""
    return stub_flow()


# --------------------------------------------------------------------------- batches


@pytest.fixture
def two_case_batch(nlp):
    """(contacts, mentions) for two cases, X2 listed first in the file; an extra `office` column."""
    from pipeline.extract import extract_mentions

    raw = pd.concat([
        raw_contacts([("A1", "2024-03-04", "COAP", "Assessed as posing a medium risk of serious harm.")], crn="X2"),
        raw_contacts([("B1", "2024-03-05", "COAP", "Lives with gf and her 2 kids."),
                      ("B2", "2024-03-08", "C369", "sent")], crn="X1"),
    ], ignore_index=True)
    raw["office"] = ["Leeds", "York", "York"]
    contacts, _ = validate_contacts(raw)
    return contacts, extract_mentions(nlp, contacts)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server (SQLite) for the whole session: the first start is slow."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
