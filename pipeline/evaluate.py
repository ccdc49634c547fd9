"""Score gap findings against a gold file, per (crn, gap_id): precision, recall, F1."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.nlp.rulefile import load_rules


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if (p is not None and r is not None) else None)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def score_gaps(gaps_csv: Path, gold_csv: Path) -> dict:
    pred = pd.read_csv(gaps_csv, dtype=str, keep_default_na=False)
    gold = pd.read_csv(gold_csv, dtype=str, keep_default_na=False)
    pred_pairs = set(zip(pred["crn"], pred["gap_id"]))
    gold_pairs = set(zip(gold["crn"], gold["gap_id"]))
    per_gap = {}
    for gid in [r["id"] for r in load_rules("gaps")["rules"]]:
        p = {x for x in pred_pairs if x[1] == gid}
        g = {x for x in gold_pairs if x[1] == gid}
        per_gap[gid] = prf(len(p & g), len(p - g), len(g - p))
    overall = prf(len(pred_pairs & gold_pairs), len(pred_pairs - gold_pairs), len(gold_pairs - pred_pairs))
    return {"per_gap": per_gap, "overall": overall, "gold": str(gold_csv),
            "false_positives": sorted(map(list, pred_pairs - gold_pairs)),
            "false_negatives": sorted(map(list, gold_pairs - pred_pairs))}


def format_table(result: dict) -> str:
    def f(x):
        return "  -  " if x is None else f"{x:.2f}"

    lines = [f"{'gap_id':32} {'tp':>3} {'fp':>3} {'fn':>3} {'prec':>5} {'rec':>5} {'f1':>5}"]
    for gid, s in [*result["per_gap"].items(), ("OVERALL", result["overall"])]:
        lines.append(f"{gid:32} {s['tp']:>3} {s['fp']:>3} {s['fn']:>3} {f(s['precision']):>5} {f(s['recall']):>5} {f(s['f1']):>5}")
    return "\n".join(lines)
