"""pipeline.ingest: reading contacts/cases files, validation and quarantine (SPEC section 2)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.ingest import InputError, load_cases, load_contacts, parse_dates, read_table, validate_contacts

CONTACT_ROWS = [
    {"crn": "X100001", "contact_id": "1", "contact_date": "2024-03-04", "contact_type": "COAP",
     "notes": "Seen in office. Lives with gf and her 2 kids.\n- no issues re accom", "author": "J Smith", "office": "Leeds"},
    {"crn": "X100001", "contact_id": "2", "contact_date": "2024-03-11T10:15:00", "contact_type": "CHVS",
     "notes": "HV attempted - no answer. Card left.", "author": "J Smith", "office": "Leeds"},
    {"crn": "X100002", "contact_id": "3", "contact_date": "12/03/2024", "contact_type": "SFGC",
     "notes": "", "author": "A Khan", "office": "Bradford"},
]


def _write(tmp_path, fmt: str, rows=CONTACT_ROWS, name="contacts"):
    df = pd.DataFrame(rows)
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "parquet":
        df.to_parquet(path, index=False)
    return path


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize("fmt", [
    "csv",      # the usual nDelius export
    "jsonl",    # JSON Lines
    "parquet",  # columnar export
])
def test_ingest_reads_every_supported_format(tmp_path, fmt):
    good, quarantine = load_contacts(_write(tmp_path, fmt))

    assert quarantine.empty
    assert good["contact_id"].tolist() == ["1", "2", "3"]
    assert good["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-03-11", "2024-03-12"]
    assert good.loc[0, "notes"] == CONTACT_ROWS[0]["notes"]  # newlines kept
    assert good["type_code"].tolist() == ["COAP", "CHVS", "SFGC"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_ingest_carries_extra_columns_through(tmp_path, fmt):
    good, _ = load_contacts(_write(tmp_path, fmt))

    assert good["office"].tolist() == ["Leeds", "Leeds", "Bradford"]
    assert good["author"].tolist() == ["J Smith", "J Smith", "A Khan"]


def test_ingest_column_names_are_normalised(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(" CRN ,Contact_ID,CONTACT_DATE,Notes\nX1,1,2024-01-02,seen\n", encoding="utf-8")

    good, _ = load_contacts(path)

    assert good.loc[0, "crn"] == "X1" and good.loc[0, "notes"] == "seen"


def test_ingest_csv_keeps_na_like_note_text(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("crn,contact_id,contact_date,notes\nX1,1,2024-01-02,N/A\nX1,2,2024-01-03,NA\n", encoding="utf-8")

    good, _ = load_contacts(path)

    assert good["notes"].tolist() == ["N/A", "NA"]


# ------------------------------------------------------------------ unusable input


@pytest.mark.parametrize("missing", [
    "crn",           # no case reference
    "contact_id",    # no contact id
    "contact_date",  # no date
    "notes",         # no note text column (empty notes are fine, a missing column is not)
])
def test_when_required_column_missing_then_input_error_names_it(tmp_path, missing):
    rows = [{k: v for k, v in r.items() if k != missing} for r in CONTACT_ROWS]
    path = _write(tmp_path, "csv", rows)

    with pytest.raises(InputError) as err:
        load_contacts(path)

    message = str(err.value)
    assert missing in message
    assert "\n" not in message


def test_when_optional_columns_missing_then_contacts_still_load(tmp_path):
    rows = [{k: v for k, v in r.items() if k in ("crn", "contact_id", "contact_date", "notes")} for r in CONTACT_ROWS]

    good, quarantine = load_contacts(_write(tmp_path, "csv", rows))

    assert len(good) == 3 and quarantine.empty
    assert good["contact_type"].tolist() == ["", "", ""]


@pytest.mark.parametrize("name, content", [
    ("contacts.parquet", b"this is not parquet at all"),            # corrupt parquet
    ("contacts.csv", "crn,notes\nX1,caf\xe9\n".encode("latin-1")),   # not UTF-8
    ("contacts.jsonl", b'{"crn": "X1", "notes": \n'),                # broken JSON
    ("contacts.xlsx", b"PK\x03\x04"),                                # unsupported format
])
def test_when_file_unreadable_then_input_error_on_one_line(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(InputError) as err:
        load_contacts(path)

    assert "\n" not in str(err.value)
    assert name in str(err.value)


def test_when_file_does_not_exist_then_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_table(tmp_path / "nope.csv", "contacts")


# ------------------------------------------------------------------ quarantine


@pytest.mark.parametrize("bad_row, reason", [
    ({"crn": "", "contact_id": "9"}, "missing crn"),                      # empty crn
    ({"crn": "   ", "contact_id": "9"}, "missing crn"),                   # whitespace-only crn
    ({"contact_id": ""}, "missing contact_id"),                           # empty id
    ({"contact_id": "1"}, "duplicate contact_id"),                        # repeats the first row's id
    ({"contact_date": "not a date"}, "unparseable contact_date"),         # free text
    ({"contact_date": "2024-02-30"}, "unparseable contact_date"),         # impossible date
    ({"contact_date": "31/13/2024"}, "unparseable contact_date"),         # impossible UK date
    ({"contact_date": ""}, "missing contact_date"),                       # empty date
    ({"notes": "x" * 900_001}, "note longer than"),                       # beyond spaCy's max_length
])
def test_when_row_invalid_then_quarantined_with_reason(raw_contacts_frame, bad_row, reason):
    row = {"contact_id": "9", "contact_date": "2024-03-05", "notes": "seen in office", **bad_row}
    raw = raw_contacts_frame([{"contact_id": "1", "contact_date": "2024-03-04", "notes": "seen"}, row])

    good, quarantine = validate_contacts(raw)

    assert good["contact_id"].tolist() == ["1"]
    assert len(quarantine) == 1
    q = quarantine.iloc[0]
    assert q["row"] == 2 and q["source"] == "contacts"
    assert q["reason"].startswith(reason)


def test_when_contact_id_duplicated_then_only_second_occurrence_quarantined(raw_contacts_frame):
    raw = raw_contacts_frame([
        {"contact_id": "A1", "contact_date": "2024-03-04", "notes": "first"},
        {"contact_id": "B2", "contact_date": "2024-03-05", "notes": "other"},
        {"contact_id": "A1", "contact_date": "2024-03-06", "notes": "second"},
    ])

    good, quarantine = validate_contacts(raw)

    assert sorted(good["notes"]) == ["first", "other"]
    assert quarantine["row"].tolist() == [3]
    assert quarantine.loc[0, "reason"] == "duplicate contact_id (first seen at row 1)"


@pytest.mark.parametrize("notes", [
    "",        # empty string
    None,      # null in JSON/Parquet
    "   \n ",  # whitespace only
])
def test_when_notes_empty_then_row_is_analysed(raw_contacts_frame, notes):
    raw = raw_contacts_frame([{"contact_id": "1", "contact_date": "2024-03-04", "contact_type": "COAP", "notes": notes}])

    good, quarantine = validate_contacts(raw)

    assert quarantine.empty
    assert len(good) == 1 and good.loc[0, "notes"].strip() == ""


def test_ingest_every_row_is_analysed_or_quarantined(tmp_path):
    rows = [
        *CONTACT_ROWS,
        {"crn": "", "contact_id": "4", "contact_date": "2024-03-05", "notes": "x"},
        {"crn": "X100001", "contact_id": "", "contact_date": "2024-03-05", "notes": "x"},
        {"crn": "X100001", "contact_id": "2", "contact_date": "2024-03-06", "notes": "dup"},
        {"crn": "X100001", "contact_id": "5", "contact_date": "yesterday", "notes": "x"},
    ]
    good, quarantine = load_contacts(_write(tmp_path, "csv", rows))

    assert len(good) + len(quarantine) == len(rows)
    assert len(quarantine) == 4
    assert set(good["row"]).isdisjoint(set(quarantine["row"]))
    assert sorted([*good["row"], *quarantine["row"]]) == list(range(1, len(rows) + 1))


def test_ingest_valid_rows_sorted_by_crn_then_date(raw_contacts_frame):
    raw = raw_contacts_frame([
        {"crn": "X2", "contact_id": "a", "contact_date": "2024-01-05"},
        {"crn": "X1", "contact_id": "b", "contact_date": "2024-02-01"},
        {"crn": "X1", "contact_id": "c", "contact_date": "2024-01-01"},
    ])

    good, _ = validate_contacts(raw)

    assert good["contact_id"].tolist() == ["c", "b", "a"]


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("text, expected", [
    ("2024-03-04", "2024-03-04"),                    # ISO date
    ("2024-03-04T10:15:00", "2024-03-04"),           # ISO date-time
    ("2024-03-04 23:59", "2024-03-04"),              # ISO with a space
    ("2024-03-04T10:15:00Z", "2024-03-04"),          # UTC
    ("03/04/2024", "2024-04-03"),                    # UK: 3 April, not 4 March
    ("12/03/2024", "2024-03-12"),                    # UK: 12 March
    ("25/12/2023", "2023-12-25"),                    # UK: day > 12
    ("12.03.2024", "2024-03-12"),                    # UK with dots
    ("2024-03-04T00:30:00+01:00", "2024-03-04"),     # BST: the local date, not UTC
])
def test_ingest_parse_dates(text, expected):
    parsed = parse_dates(pd.Series([text]))

    assert parsed.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["", "soon", "2024-02-30", "32/01/2024"])
def test_ingest_parse_dates_unparseable_is_nat(text):
    assert parse_dates(pd.Series([text])).isna().all()


# ------------------------------------------------------------------ cases file


def _cases_csv(tmp_path, body: str):
    path = tmp_path / "cases.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_ingest_load_cases_normalises_rosh_and_service(tmp_path):
    path = _cases_csv(tmp_path, "crn,rosh,service,team,officer,registers\n"
                                "X1,HIGH,,North,J Smith,ADVP;RCCO\n"
                                "X2,very_high,Youth,South,A Khan,\n"
                                "X3,,,,,\n")

    cases, quarantine = load_cases(path)

    assert quarantine.empty
    assert cases["rosh"].tolist() == ["high", "very high", ""]
    assert cases["service"].tolist() == ["probation", "youth", "probation"]
    assert cases.loc[0, "registers"] == "ADVP;RCCO"


@pytest.mark.parametrize("body, reason", [
    ("crn,rosh\nX1,extreme\n", "unknown rosh level"),          # not a RoSH level
    ("crn,rosh\nX1,medium-high\n", "unknown rosh level"),      # invented level
    ("crn,rosh\n,low\n", "missing crn"),                       # no crn
])
def test_when_case_row_invalid_then_quarantined(tmp_path, body, reason):
    cases, quarantine = load_cases(_cases_csv(tmp_path, body))

    assert cases.empty
    assert quarantine.loc[0, "reason"].startswith(reason)
    assert quarantine.loc[0, "source"] == "cases"


def test_when_case_crn_duplicated_then_second_row_quarantined(tmp_path):
    cases, quarantine = load_cases(_cases_csv(tmp_path, "crn,rosh\nX1,low\nX2,high\nX1,high\n"))

    assert cases["crn"].tolist() == ["X1", "X2"]
    assert cases.loc[0, "rosh"] == "low"  # the first row wins
    assert quarantine["row"].tolist() == [3]
    assert quarantine.loc[0, "reason"] == "duplicate crn in cases file"


def test_when_cases_file_has_no_crn_then_input_error(tmp_path):
    with pytest.raises(InputError, match="crn"):
        load_cases(_cases_csv(tmp_path, "case_ref,rosh\nX1,low\n"))


def test_when_no_cases_file_then_empty_frames():
    cases, quarantine = load_cases(None)

    assert cases.empty and quarantine.empty
    assert "rosh" in cases.columns


def test_ingest_jsonl_numbers_and_nulls_become_text(tmp_path):
    path = tmp_path / "contacts.jsonl"
    path.write_text('{"crn": "X1", "contact_id": 101, "contact_date": "2024-03-04", "notes": null}\n'
                    '{"crn": "X1", "contact_id": 102, "contact_date": "2024-03-05", "notes": "denies drug use"}\n',
                    encoding="utf-8")

    good, quarantine = load_contacts(path)

    assert quarantine.empty
    assert good["contact_id"].tolist() == ["101", "102"]
    assert good["notes"].tolist() == ["", "denies drug use"]
