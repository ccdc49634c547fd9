"""A larger synthetic input for timing runs: the sample's notes repeated under new crns and contact ids.

Copy k of data/sample/ gets crn "<crn>-<k>" and contact id "<contact_id>-<k>" (blank ones stay blank,
so the sample's bad rows are quarantined in every copy, as in the original); cases.csv is copied the
same way. Whole copies are written until at least --rows contact rows. The notes are the synthetic
sample's, never real case notes. Write the output outside the repository (default: under /tmp).

    python benchmarks/make_large_input.py [--rows 20000] [--out /tmp/casenotes-large]
    casenotes run /tmp/casenotes-large/contacts.csv --cases /tmp/casenotes-large/cases.csv --out /tmp/run-default
    casenotes run /tmp/casenotes-large/contacts.csv --cases /tmp/casenotes-large/cases.csv --out /tmp/run-dask \\
        --dask local --workers 2
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from pipeline.config import SAMPLE_DIR


def _suffix(values: pd.Series, k: int) -> pd.Series:
    text = values.fillna("").astype(str)
    return text.where(text.str.strip() == "", text + f"-{k:03d}")


def make(rows: int, out: Path) -> tuple[int, int]:
    contacts = pd.read_csv(SAMPLE_DIR / "contacts.csv", dtype=str, keep_default_na=False)
    cases = pd.read_csv(SAMPLE_DIR / "cases.csv", dtype=str, keep_default_na=False)
    copies = max(1, math.ceil(rows / len(contacts)))
    big_contacts, big_cases = [], []
    for k in range(1, copies + 1):
        c = contacts.copy()
        c["crn"] = _suffix(c["crn"], k)
        c["contact_id"] = _suffix(c["contact_id"], k)
        big_contacts.append(c)
        s = cases.copy()
        s["crn"] = _suffix(s["crn"], k)
        big_cases.append(s)
    out.mkdir(parents=True, exist_ok=True)
    big = pd.concat(big_contacts, ignore_index=True)
    big.to_csv(out / "contacts.csv", index=False)
    pd.concat(big_cases, ignore_index=True).to_csv(out / "cases.csv", index=False)
    return len(big), copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000, help="at least this many contact rows (whole copies)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/casenotes-large"))
    args = parser.parse_args()
    n, copies = make(args.rows, args.out)
    print(f"{n} contact rows ({copies} copies of the sample) → {args.out / 'contacts.csv'}, {args.out / 'cases.csv'}")


if __name__ == "__main__":
    main()
