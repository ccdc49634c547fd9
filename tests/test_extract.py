"""pipeline.extract: notes and contact types → mention records."""

from __future__ import annotations

import pytest

from pipeline.extract import (
    MENTION_COLUMNS, code_labels, contact_type_mentions, extract_mentions, is_contact_with_person, note_not_completed,
    write_mentions,
)


def _by(mentions, source, label):
    return mentions[(mentions["source"] == source) & (mentions["label"] == label)]


def test_extract_text_mentions_have_offsets_flags_and_rules(nlp, contacts_frame):
    note = "Denies drug use, lives with gf and her 2 kids.\nWill request SFGC."
    contacts = contacts_frame([("C1", "2024-03-04", "COAP", note)])

    m = extract_mentions(nlp, contacts)

    assert list(m.columns) == MENTION_COLUMNS
    rows = {r["text"]: r for r in m.to_dict("records")}
    assert set(rows) == {"gf", "2 kids", "drug use", "SFGC"}
    for text, r in rows.items():
        assert note[r["start"]:r["end"]] == text
        assert r["crn"] == "X123456" and r["contact_id"] == "C1" and r["source"] == "text"
        assert r["rule_id"]
    assert rows["drug use"]["negated"] and rows["drug use"]["context_rules"] == "neg.no"
    assert rows["SFGC"]["hypothetical"] and not rows["SFGC"]["negated"]
    assert not any(rows["2 kids"][f] for f in ("negated", "hypothetical", "historical", "other_person", "attempted"))


def test_extract_uses_contact_date_year_for_historical(nlp, contacts_frame):
    contacts = contacts_frame([
        ("C1", "2024-03-04", "COAP", "DV with ex in 2013."),
        ("C2", "2014-03-04", "COAP", "DV with ex in 2013."),
    ])

    m = extract_mentions(nlp, contacts).set_index(["contact_id", "label"])

    assert m.loc[("C1", "DOMESTIC_ABUSE"), "historical"]
    assert not m.loc[("C2", "DOMESTIC_ABUSE"), "historical"]


def test_extract_initial_appointment_is_an_induction_note(nlp, contacts_frame):
    contacts = contacts_frame([
        ("C1", "2024-03-04", "COAI", "12m YRO, robbery of a phone off a 15 yr old."),  # initial appointment
        ("C2", "2024-03-04", "COAP", "12m YRO, robbery of a phone off a 15 yr old."),
    ])

    m = extract_mentions(nlp, contacts).query("source == 'text'").set_index(["contact_id", "label"])

    assert m.loc[("C1", "AGGRESSION"), "historical"] and m.loc[("C1", "AGGRESSION"), "section"] == "induction"
    assert not m.loc[("C2", "AGGRESSION"), "historical"]


def test_when_note_empty_then_no_text_mentions(nlp, contacts_frame):
    contacts = contacts_frame([("C1", "2024-03-04", "COAP", ""), ("C2", "2024-03-05", "COAP", "   ")])

    assert extract_mentions(nlp, contacts).empty


def test_when_batch_has_no_mentions_then_its_file_reads_back_with_a_crn_filter(nlp, contacts_frame, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    routine = contacts_frame([("C1", "2024-03-04", "COAP", "Reported on time, nothing to note."),
                              ("C2", "2024-03-11", "COAP", "Seen, discussed work and money.")])
    busy = contacts_frame([("C3", "2024-03-04", "COAP", "Positive for cocaine, referred to CGL.")])
    empty, full = extract_mentions(nlp, routine), extract_mentions(nlp, busy)
    assert empty.empty and not full.empty
    paths = [tmp_path / "m0.parquet", tmp_path / "m1.parquet"]
    write_mentions(empty, paths[0])
    write_mentions(full, paths[1])

    assert pq.read_schema(paths[0]) == pq.read_schema(paths[1])
    crns = list(full["crn"].unique())
    back = [pd.read_parquet(p, filters=[("crn", "in", crns)]) for p in paths]  # failed with "null vs string"
    assert len(back[0]) == 0 and len(back[1]) == len(full)
    assert list(back[1].columns) == MENTION_COLUMNS


@pytest.mark.parametrize("ctype, note, label, attempted", [
    ("C369", "sent", "DA_CHECK", False),                                   # request sent: done
    ("c369 ", "Police DA check requested re new gf", "DA_CHECK", False),   # code case/space, text agrees
    ("SFGC", "SFGC sent to MASH", "SAFEGUARDING_CHECK", False),  # text agrees with the code
    ("SFGC", "Will request SFGC next week", "SAFEGUARDING_CHECK", True),   # text says only planned
    ("CHVS", "HV attempted, no answer. Card left.", "HOME_VISIT", True),   # not completed
    ("CHVS", "No one home, calling card left", "HOME_VISIT", True),  # nobody in
    ("CHVS", "Seen at home with partner, house tidy", "HOME_VISIT", False),  # completed visit
    ("Home Visit to Case (NS)", "seen, no concerns", "HOME_VISIT", False),  # description, not code
    ("MO3", "", "MANAGEMENT_OVERSIGHT", False),                            # empty note is fine
    ("COAP", "cancelled by PoP", None, None),                              # office visit: no label of its own
])
def test_extract_contact_type_evidence(nlp, contacts_frame, ctype, note, label, attempted):
    contacts = contacts_frame([("C1", "2024-03-04", ctype, note)])

    m = extract_mentions(nlp, contacts)
    coded = m[m["source"] == "contact_type"]

    if label is None:
        assert coded.empty
        return
    assert coded["label"].tolist() == [label]
    row = coded.iloc[0]
    assert bool(row["attempted"]) is attempted
    assert row["contact_id"] == "C1" and row["start"] == -1
    assert row["rule_id"].startswith("contact_type.")
    assert ("contact_type.not_completed" in row["context_rules"]) is attempted


def test_extract_contact_type_mentions_without_text_mentions(contacts_frame):
    from pipeline.extract import MENTION_COLUMNS as cols
    import pandas as pd

    contacts = contacts_frame([("C1", "2024-03-04", "C369", "sent"), ("C2", "2024-03-05", "COAP", "seen")])

    m = contact_type_mentions(contacts, pd.DataFrame(columns=cols))

    assert m["contact_id"].tolist() == ["C1"] and m["label"].tolist() == ["DA_CHECK"]


@pytest.mark.parametrize("ctype, labels", [
    ("CHVS", ["HOME_VISIT"]),                                     # code
    ("chvs", ["HOME_VISIT"]),                                     # lower case code
    (" C416 ", ["MANAGEMENT_OVERSIGHT", "RISK_REVIEW"]),          # two labels, padded
    ("Home Visit to Case (NS)", ["HOME_VISIT"]),                  # nDelius description
    ("High Risk Review", ["MANAGEMENT_OVERSIGHT", "RISK_REVIEW"]),  # description with two labels
    ("COAP", []),                                                 # office appointment: no evidence by itself
    ("", []),                                                     # no type
    (None, []),                                                   # missing
    ("XYZ9", []),                                                 # unknown code
])
def test_extract_code_labels(ctype, labels):
    assert sorted(code_labels(ctype)) == sorted(labels)


@pytest.mark.parametrize("ctype, note, expected", [
    ("COAP", "Seen in office, denies drug use", True),   # completed office visit
    ("CHVS", "Seen at home", True),                      # completed home visit
    ("Office Visit", "seen", True),                      # description
    ("COAP", "FTA - warning letter to be sent", False),  # failed to attend
    ("COAP", "DNA", False),  # did not attend
    ("CHVS", "HV attempted, no answer", False),          # not completed
    ("COAP", "Appt cancelled by PP", False),  # cancelled
    ("SFGC", "SFGC sent", False),                        # not a contact with the person
    ("", "seen", False),                                 # no type
])
def test_extract_is_contact_with_person(ctype, note, expected):
    assert is_contact_with_person(ctype, note) is expected


@pytest.mark.parametrize("note, expected", [
    ("FTA", True),                          # failed to attend
    ("f.t.a.", True),                       # dotted abbreviation
    ("did not attend", True),               # spelt out
    ("No answer at door", True),            # visit, nobody answered
    ("no-one home", True),                  # hyphenated
    ("Re-arranged to Tuesday", True),       # moved
    ("Seen and spoke about ETE", False),    # completed
    ("", False),                            # empty note
    (None, False),                          # missing note
])
def test_extract_note_not_completed(note, expected):
    assert note_not_completed(note) is expected
