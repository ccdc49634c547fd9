"""End-to-end smoke test: the real Prefect flow on data/sample/ (SPEC section 5)."""

import json

import pandas as pd
import pytest

from pipeline.config import SAMPLE_DIR
from pipeline.flows import gap_analysis_flow
from pipeline.ingest import load_contacts
from pipeline.rules_check import GAP_IDS, CRITERIA_IDS  # noqa: F401  (ids must stay exactly the SPEC's)


@pytest.fixture(scope="module")
def sample_run(prefect_harness, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_run")
    result = gap_analysis_flow(
        contacts_path=str(SAMPLE_DIR / "contacts.csv"), out_dir=str(out), cases_path=str(SAMPLE_DIR / "cases.csv"))
    return out, result


def test_flow_writes_every_spec_output(sample_run):
    out, _ = sample_run
    for name in ("gaps.csv", "gaps.parquet", "criteria.csv", "index.html", "quarantine.csv", "manifest.json"):
        assert (out / name).is_file(), name
    assert not (out / "_work").exists(), "working files with note text must be removed"
    crns = set(load_contacts(SAMPLE_DIR / "contacts.csv")[0]["crn"])
    assert {p.stem for p in (out / "cases").glob("*.json")} == {p.stem for p in (out / "cases").glob("*.html")}
    assert len(list((out / "cases").glob("*.json"))) == len(crns)


def test_flow_accounts_for_every_row(sample_run):
    out, result = sample_run
    manifest = json.loads((out / "manifest.json").read_text())
    rows = manifest["rows"]
    assert rows["read"] == rows["analysed"] + rows["quarantined"] == len(pd.read_csv(SAMPLE_DIR / "contacts.csv", dtype=str))
    assert rows["quarantined"] == len(pd.read_csv(out / "quarantine.csv")) > 0
    assert result["read"] == rows["read"]
    assert manifest["models"] and all(len(h) == 64 for h in manifest["models"].values())


def test_flow_outputs_use_spec_ids_and_columns(sample_run):
    out, _ = sample_run
    gaps = pd.read_csv(out / "gaps.csv", dtype=str)
    assert list(gaps.columns[:7]) == ["crn", "gap_id", "criteria", "message", "trigger_contact_ids", "trigger_date", "evidence"]
    assert set(gaps["gap_id"]) <= GAP_IDS and len(gaps) > 0
    criteria = pd.read_csv(out / "criteria.csv", dtype=str)
    assert set(criteria["criterion"]) == CRITERIA_IDS
    assert set(criteria["status"]) <= {"evidenced", "not_evidenced", "not_applicable"}
    assert len(criteria) == 16 * criteria["crn"].nunique()


def test_flow_case_report_links_findings_to_evidence(sample_run):
    out, _ = sample_run
    gaps = pd.read_csv(out / "gaps.csv", dtype=str)
    first = gaps.iloc[0]
    report = json.loads(next((out / "cases").glob(f"{first['crn']}*.json")).read_text())
    finding = next(f for f in report["findings"] if f["gap_id"] == first["gap_id"])
    contact_ids = {c["contact_id"] for c in report["contacts"]}
    assert set(finding["trigger_contact_ids"]) <= contact_ids
    assert finding["trigger_rules"] and finding["looked_for"]
    html = next((out / "cases").glob(f"{first['crn']}*.html")).read_text()
    assert first["gap_id"] in html and "<mark" in html


def test_flow_results_do_not_depend_on_batch_sizes(sample_run, tmp_path):
    out, _ = sample_run
    settings = tmp_path / "small.yaml"
    settings.write_text("batch_size: 97\ncases_per_task: 6\n")
    small = tmp_path / "small"
    gap_analysis_flow(contacts_path=str(SAMPLE_DIR / "contacts.csv"), out_dir=str(small),
                      cases_path=str(SAMPLE_DIR / "cases.csv"), settings_file=str(settings))
    key = ["crn", "gap_id"]
    a = pd.read_csv(out / "gaps.csv", dtype=str).sort_values(key).reset_index(drop=True)
    b = pd.read_csv(small / "gaps.csv", dtype=str).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert json.loads((small / "manifest.json").read_text())["settings"]["batch_size"] == 97
