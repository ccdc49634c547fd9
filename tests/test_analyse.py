"""pipeline.analyse: contacts + mentions + cases file → one Case per crn → the per-case report."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.analyse import analyse_case, build_cases


def _cases(batch, rows):
    contacts, mentions = batch
    cases = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["crn"])
    return {c.crn: (c, info) for c, info in build_cases(contacts, mentions, cases)}


def test_analyse_build_cases_one_case_per_crn_sorted(two_case_batch):
    contacts, mentions = two_case_batch

    crns = [c.crn for c, _ in build_cases(contacts, mentions, pd.DataFrame(columns=["crn"]))]

    assert crns == ["X1", "X2"]


def test_analyse_build_cases_attaches_contact_dates_to_mentions(two_case_batch):
    case, _ = _cases(two_case_batch, [])["X1"]

    dates = case.mentions.set_index("label")["date"].dt.strftime("%Y-%m-%d").to_dict()

    assert dates == {"PARTNER": "2024-03-05", "CHILD": "2024-03-05", "DA_CHECK": "2024-03-08"}


@pytest.mark.parametrize("rows, crn, rosh, source", [
    ([], "X2", "medium", "notes"),                                            # no cases file: stated in a note
    ([], "X1", None, "unknown"),                                              # never stated
    ([{"crn": "X2", "rosh": "high"}], "X2", "high", "cases file"),            # cases file wins over the note
    ([{"crn": "X2", "rosh": ""}], "X2", "medium", "notes"),                   # blank in the cases file
])
def test_analyse_rosh_source(two_case_batch, rows, crn, rosh, source):
    case, _ = _cases(two_case_batch, rows)[crn]

    assert (case.rosh, case.rosh_source) == (rosh, source)


def test_analyse_registers_and_service_from_cases_file(two_case_batch):
    case, info = _cases(two_case_batch, [{"crn": "X1", "service": "youth", "registers": " advp ; RCCO;", "team": "North"}])["X1"]

    assert case.registers == ["ADVP", "RCCO"]
    assert case.register_date == pd.Timestamp("2024-03-05")
    assert case.service == "youth"
    assert info["team"] == "North"


def test_analyse_case_report_is_complete(two_case_batch, settings):
    case, info = _cases(two_case_batch, [{"crn": "X1", "team": "North", "officer": "J Smith"}])["X1"]

    report = analyse_case(case, info, settings)

    assert report["crn"] == "X1" and report["team"] == "North" and report["officer"] == "J Smith"
    assert [c["contact_id"] for c in report["contacts"]] == ["B1", "B2"]
    assert report["contacts"][0]["extra"] == {"office": "York"}          # extra column carried through
    assert report["contacts"][0]["completed_contact"] is True            # office visit
    assert report["contacts"][1]["completed_contact"] is False           # a police check is not a contact
    assert {e["label"] for e in report["entities"]} == {"PARTNER", "CHILD", "DA_CHECK"}
    assert {f["gap_id"] for f in report["findings"]} == {"CHILD_NO_SAFEGUARDING_CHECK"}
    assert len(report["criteria"]) == 16
    child = next(e for e in report["entities"] if e["label"] == "CHILD")
    assert set(child["context"]) == {"negated", "hypothetical", "historical", "other_person", "attempted"}
