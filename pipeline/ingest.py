"""Read and validate the contacts and cases files (SPEC section 2).

A file that cannot be used at all raises `InputError` with one clear line. Rows that
cannot be analysed go to quarantine with a reason; every input row ends up either
analysed or quarantined.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CONTACT_REQUIRED = ("crn", "contact_id", "contact_date", "notes")
CASE_COLUMNS = ("crn", "rosh", "service", "team", "officer", "registers")
ROSH_LEVELS = ("low", "medium", "high", "very high")
MAX_NOTE_CHARS = 900_000  # spaCy's default max_length is 1,000,000
QUARANTINE_COLUMNS = ["source", "row", "crn", "contact_id", "reason"]
UK_DATE = r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"


class InputError(Exception):
    """The input cannot be used at all (unreadable, or a required column is missing)."""


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    """Read CSV, JSON Lines or Parquet, every column as text."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        elif suffix in (".jsonl", ".ndjson", ".json"):
            df = pd.read_json(path, lines=suffix != ".json", dtype=False)
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(path)
        else:
            raise InputError(f"{what} file {path.name}: unsupported format {suffix!r} (use .csv, .jsonl or .parquet)")
    except InputError:
        raise
    except Exception as exc:  # pandas/pyarrow raise many types; all mean "unreadable"
        raise InputError(f"cannot read {what} file {path.name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


REQUIRED = {"contacts": CONTACT_REQUIRED, "cases": ("crn",)}


def check_file(path: str | Path, what: str) -> pd.DataFrame:
    """Read a file and check its required columns; one-line `InputError` otherwise."""
    df = read_table(path, what)
    missing = [c for c in REQUIRED[what] if c not in df.columns]
    if missing:
        raise InputError(f"{what} file {Path(path).name} is missing required column(s): {', '.join(missing)}")
    return df


def load_contacts(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (valid contacts, quarantined rows). Valid rows get `row`, `date`, `type_code`."""
    return validate_contacts(check_file(path, "contacts"))


def validate_contacts(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = df.copy()
    df.insert(0, "row", range(1, len(df) + 1))
    df["crn"] = _text(df["crn"]).str.strip()
    df["contact_id"] = _text(df["contact_id"]).str.strip()
    df["notes"] = _text(df["notes"])
    df["contact_type"] = _text(df["contact_type"]).str.strip() if "contact_type" in df else ""
    df["date"] = parse_dates(df["contact_date"])

    reasons = pd.Series("", index=df.index, dtype=object)

    def flag(mask, reason):
        reasons[mask & (reasons == "")] = reason

    flag(df["crn"] == "", "missing crn")
    flag(df["contact_id"] == "", "missing contact_id")
    raw_dates = _text(df["contact_date"]).str.strip()
    flag(raw_dates == "", "missing contact_date")
    for i in df.index[df["date"].isna() & (reasons == "")]:
        reasons[i] = f"unparseable contact_date {raw_dates[i][:40]!r}"
    flag(df["notes"].str.len() > MAX_NOTE_CHARS, f"note longer than {MAX_NOTE_CHARS:,} characters")
    ok_ids = df["contact_id"].where(reasons == "")
    first_row = df.groupby(ok_ids)["row"].transform("min")
    dup = ok_ids.notna() & ok_ids.duplicated(keep="first")
    for i in df.index[dup]:
        reasons[i] = f"duplicate contact_id (first seen at row {int(first_row[i])})"

    bad = reasons != ""
    quarantine = pd.DataFrame(
        {"source": "contacts", "row": df.loc[bad, "row"], "crn": df.loc[bad, "crn"],
         "contact_id": df.loc[bad, "contact_id"], "reason": reasons[bad]}
    )
    good = df.loc[~bad].copy()
    good["type_code"] = good["contact_type"].str.upper()
    good = good.sort_values(["crn", "date", "row"], kind="stable").reset_index(drop=True)
    return good, quarantine.reset_index(drop=True)


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO 8601 first; UK day-first dates (12/03/2024) as a fallback. Unparseable → NaT."""
    # the date as written: a trailing UTC offset is dropped, not converted
    text = _text(values).str.strip().str.replace(r"(?<=\d)(?:Z|[+-]\d{2}:?\d{2})$", "", regex=True)
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    rest = iso.isna() & text.str.match(UK_DATE)
    if rest.any():
        iso[rest] = pd.to_datetime(text[rest], format="mixed", dayfirst=True, errors="coerce")
    return iso.dt.normalize()


def load_cases(path: str | Path | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (cases, quarantined case rows). No file → empty frame."""
    if path is None:
        return pd.DataFrame(columns=list(CASE_COLUMNS)), pd.DataFrame(columns=QUARANTINE_COLUMNS)
    df = check_file(path, "cases").copy()
    df.insert(0, "row", range(1, len(df) + 1))
    for col in CASE_COLUMNS:
        df[col] = _text(df[col]).str.strip() if col in df else ""
    df["rosh"] = df["rosh"].str.lower().str.replace("_", " ")
    df["service"] = df["service"].str.lower().replace("", "probation")
    reasons = pd.Series("", index=df.index, dtype=object)
    reasons[df["crn"] == ""] = "missing crn"
    bad_rosh = (df["rosh"] != "") & ~df["rosh"].isin(ROSH_LEVELS)
    reasons[bad_rosh & (reasons == "")] = "unknown rosh level (expected low, medium, high or very high)"
    dup = df["crn"].duplicated(keep="first") & (reasons == "")
    reasons[dup] = "duplicate crn in cases file"
    bad = reasons != ""
    quarantine = pd.DataFrame(
        {"source": "cases", "row": df.loc[bad, "row"], "crn": df.loc[bad, "crn"], "contact_id": "", "reason": reasons[bad]}
    )
    return df.loc[~bad].reset_index(drop=True), quarantine.reset_index(drop=True)


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").map(str)
