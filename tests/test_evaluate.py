"""pipeline.evaluate: gap findings scored against a gold file per (crn, gap_id)."""

from __future__ import annotations

import pytest

from pipeline.evaluate import format_table, prf, score_gaps


def _csv(tmp_path, name, rows, header="crn,gap_id"):
    path = tmp_path / name
    path.write_text("\n".join([header, *[",".join(r) for r in rows]]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("tp, fp, fn, precision, recall, f1", [
    (2, 1, 1, 2 / 3, 2 / 3, 2 / 3),      # typical
    (3, 0, 0, 1.0, 1.0, 1.0),            # perfect
    (0, 2, 3, 0.0, 0.0, 0.0),            # all wrong
    (1, 0, 3, 1.0, 0.25, 0.4),           # precise, low recall
    (0, 0, 2, None, 0.0, None),          # predicted nothing: precision undefined
    (0, 0, 0, None, None, None),         # nothing anywhere
])
def test_evaluate_prf(tp, fp, fn, precision, recall, f1):
    s = prf(tp, fp, fn)

    assert (s["tp"], s["fp"], s["fn"]) == (tp, fp, fn)
    for key, want in (("precision", precision), ("recall", recall), ("f1", f1)):
        assert s[key] == (pytest.approx(want) if want is not None else None), key


def test_evaluate_score_gaps_counts_per_gap_and_overall(tmp_path):
    pred = _csv(tmp_path, "gaps.csv", [
        ("X1", "CHILD_NO_SAFEGUARDING_CHECK"),   # tp
        ("X1", "PARTNER_NO_DA_CHECK"),           # fp
        ("X2", "CHILD_NO_SAFEGUARDING_CHECK"),   # tp
        ("X2", "AGENCY_NO_LIAISON"),             # tp (reported twice, two agency kinds)
        ("X2", "AGENCY_NO_LIAISON"),
    ], header="crn,gap_id,criteria")
    gold = _csv(tmp_path, "gold.csv", [
        ("X1", "CHILD_NO_SAFEGUARDING_CHECK"),
        ("X2", "CHILD_NO_SAFEGUARDING_CHECK"),
        ("X2", "AGENCY_NO_LIAISON"),
        ("X3", "NO_HOME_VISIT"),                 # fn
    ])

    result = score_gaps(pred, gold)

    child = result["per_gap"]["CHILD_NO_SAFEGUARDING_CHECK"]
    assert (child["tp"], child["fp"], child["fn"]) == (2, 0, 0) and child["f1"] == 1.0
    partner = result["per_gap"]["PARTNER_NO_DA_CHECK"]
    assert (partner["tp"], partner["fp"], partner["fn"]) == (0, 1, 0) and partner["precision"] == 0.0
    home = result["per_gap"]["NO_HOME_VISIT"]
    assert (home["tp"], home["fp"], home["fn"]) == (0, 0, 1) and home["recall"] == 0.0
    overall = result["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (3, 1, 1)
    assert overall["precision"] == pytest.approx(0.75)
    assert overall["recall"] == pytest.approx(0.75)
    assert overall["f1"] == pytest.approx(0.75)
    assert result["false_positives"] == [["X1", "PARTNER_NO_DA_CHECK"]]
    assert result["false_negatives"] == [["X3", "NO_HOME_VISIT"]]
    assert len(result["per_gap"]) == 12


def test_evaluate_no_predictions_file_with_header_only(tmp_path):
    pred = _csv(tmp_path, "gaps.csv", [], header="crn,gap_id,criteria,message")
    gold = _csv(tmp_path, "gold.csv", [("X1", "NO_HOME_VISIT")])

    result = score_gaps(pred, gold)

    assert result["overall"]["fn"] == 1 and result["overall"]["precision"] is None


def test_evaluate_format_table_lists_every_gap_and_overall(tmp_path):
    pred = _csv(tmp_path, "gaps.csv", [("X1", "NO_HOME_VISIT")])
    gold = _csv(tmp_path, "gold.csv", [("X1", "NO_HOME_VISIT")])

    table = format_table(score_gaps(pred, gold)).splitlines()

    assert len(table) == 1 + 12 + 1
    assert table[-1].split()[:4] == ["OVERALL", "1", "0", "0"]
    assert "  -  " in table[1]  # undefined figures shown as a dash
