"""Reproducible samples of flagged cases for inspectors.

The sample depends only on the run's gaps.csv, the seed, the size and the gap filter:
cases are sorted by crn, then drawn with `random.Random(seed)`, so the same inputs give
the same cases on any machine.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.config import TEMPLATES_DIR
from pipeline.report.writer import case_filename


def sample_cases(out: Path, n: int = 20, seed: int = 1, gap: str | None = None):
    gaps_csv = Path(out) / "gaps.csv"
    if not gaps_csv.exists():
        raise FileNotFoundError(f"no gaps.csv in {out}: run `casenotes run` first")
    if n < 1:
        raise ValueError("--n must be at least 1")
    gaps = pd.read_csv(gaps_csv, dtype=str, keep_default_na=False)
    if gap:
        gaps = gaps[gaps["gap_id"] == gap]
    by_case = gaps.groupby("crn")["gap_id"].apply(lambda s: ";".join(sorted(set(s))))
    crns = sorted(by_case.index)
    chosen = sorted(random.Random(seed).sample(crns, min(n, len(crns))))
    rows = [{"crn": c, "gaps": by_case[c], "report": f"cases/{case_filename(c)}.html"} for c in chosen]
    stem = f"sample-{seed}{'-' + gap if gap else ''}"
    csv_path = Path(out) / f"{stem}.csv"
    pd.DataFrame(rows, columns=["crn", "gaps", "report"]).to_csv(csv_path, index=False)
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html", "j2"]))
    html = env.get_template("sample.html.j2").render(rows=rows, seed=seed, gap=gap, n=n, population=len(crns))
    html_path = Path(out) / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    return csv_path, html_path, rows
