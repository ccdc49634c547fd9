"""pipeline.report.writer: per-case HTML/JSON, tables and file names (SPEC section 5)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.report.writer import (
    GAP_COLUMNS, case_filename, render_case_html, segments, write_case, write_tables,
)

def test_report_writer_escapes_note_text_in_case_html(case_report):
    html = render_case_html(case_report)

    assert "<script>" not in html and "</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "he&#39;s fine" in html or "he&#x27;s fine" in html
    assert "&#34;he" in html or "&quot;he" in html
    assert "North &lt;Team&gt;" in html


def test_report_writer_escapes_ids_inside_attributes(case_report):
    case_report["contacts"][0]["contact_id"] = 'C1" onmouseover="alert(1)'
    for e in case_report["entities"]:
        if e["contact_id"] == "C1":
            e["contact_id"] = case_report["contacts"][0]["contact_id"]

    html = render_case_html(case_report)

    assert 'onmouseover="alert(1)' not in html


def test_report_writer_highlights_entities_in_note(case_report):
    html = render_case_html(case_report)

    assert '<mark class="trigger"' in html            # gf / 2 kids
    assert "2 kids" in html
    assert "CHILD_NO_SAFEGUARDING_CHECK" in html      # the finding is listed


@pytest.mark.parametrize("text, entities", [
    ("Lives with gf and her 2 kids", [(11, 13), (22, 28)]),          # two spans
    ("Lives with gf and her 2 kids", [(22, 28), (11, 13)]),          # out of order
    ("gf", [(0, 2)]),                                                 # span is the whole note
    ("no spans here", []),                                            # nothing to highlight
    ("<b>SFGC</b> sent\n- HV done", [(3, 7), (19, 21)]),              # markup and newlines
    ("overlap test", [(0, 7), (3, 12)]),                              # overlapping spans: second skipped
    ("Zoë – “quote” ✓ kids", [(16, 20)]),                             # non-ASCII
])
def test_report_writer_segments_rebuild_the_note_exactly(text, entities):
    ents = [{"start": s, "end": e, "label": "CHILD", "context": {"negated": False}} for s, e in entities]

    parts = segments(text, ents)

    assert "".join(p["text"] for p in parts) == text
    highlighted = [p["text"] for p in parts if p["entity"]]
    assert all(h for h in highlighted)


def test_report_writer_segments_mark_flagged_entities_muted():
    ents = [{"start": 3, "end": 7, "label": "SAFEGUARDING_CHECK", "context": {"negated": False, "hypothetical": True}}]

    (_, seg, _) = segments("to SFGC", ents)

    assert seg["css"] == "response muted"
    assert seg["flags"] == ["planned/hypothetical"]


@pytest.mark.parametrize("crn", [
    "X123456",            # ordinary: unchanged
    "X123/456",           # path separator
    "../../etc/passwd",   # traversal
    "X 123 456",          # spaces
    "Ä123",               # non-ASCII
    "X" * 60,             # very long
    'X1"<>|?*:',          # characters Windows forbids
])
def test_report_writer_case_filename_is_safe(crn):
    name = case_filename(crn)

    assert name and "/" not in name and "\\" not in name and ".." not in name
    assert all(ch.isalnum() or ch in "_-" for ch in name)
    assert len(name) <= 60


def test_report_writer_case_filename_keeps_plain_crn():
    assert case_filename("X123456") == "X123456"


@pytest.mark.parametrize("a, b", [
    ("X123/456", "X123_456"),   # replaced char vs literal underscore
    ("X123/456", "X123:456"),   # two different unsafe chars
    ("X" * 45, "X" * 46),       # differ only after the cut-off
])
def test_report_writer_case_filename_is_unique(a, b):
    assert case_filename(a) != case_filename(b)


def test_report_writer_write_case_uses_safe_name(case_report, hostile_note, tmp_path):
    case_report["crn"] = "X12/34"

    write_case(case_report, tmp_path)

    files = sorted(p.name for p in tmp_path.iterdir())
    stem = case_filename("X12/34")
    assert files == [f"{stem}.html", f"{stem}.json"]
    data = json.loads((tmp_path / f"{stem}.json").read_text(encoding="utf-8"))
    assert data["crn"] == "X12/34"
    assert data["contacts"][0]["notes"] == hostile_note


def test_report_writer_write_tables_spec_columns(case_report, tmp_path):
    criteria = pd.DataFrame(case_report["criteria"])
    quarantine = pd.DataFrame([{"source": "contacts", "row": 7, "crn": "", "contact_id": "9", "reason": "missing crn"}])

    gaps = write_tables(tmp_path, case_report["findings"], criteria, quarantine)

    written = pd.read_csv(tmp_path / "gaps.csv", dtype=str, keep_default_na=False)
    assert list(written.columns[: len(GAP_COLUMNS)]) == GAP_COLUMNS
    assert len(written) == len(case_report["findings"]) == len(gaps) > 0
    child = written[written["gap_id"] == "CHILD_NO_SAFEGUARDING_CHECK"].iloc[0]
    assert child["criteria"] == "assess.sources_used;deliver.victim_protection;deliver.agency_coordination"
    assert child["trigger_contact_ids"] == "C1"
    assert (tmp_path / "gaps.parquet").exists()
    assert pd.read_csv(tmp_path / "quarantine.csv")["reason"].tolist() == ["missing crn"]
    assert len(pd.read_csv(tmp_path / "criteria.csv")) == 16
