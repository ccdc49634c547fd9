"""Turn notes into mention records: one plain dict per entity, with its context.

Mentions come from two sources: the text (spaCy pipeline) and the contact type code
(`rules/contact_types.yaml`). Records hold ids, offsets, labels, flags and rule ids;
the quoted text of a span is kept for the evidence column of the reports.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from spacy.language import Language

from pipeline.config import CONTEXT_FLAGS
from pipeline.nlp.target_matcher import all_targets
from pipeline.nlp.rulefile import load_rules

# One schema for every mentions file, and the column order of every mentions frame. Without
# it a batch with no mentions (500 routine notes) is written with null-typed columns, and
# reading it back with a filter on crn fails ("null vs string"), as a 1,000,000-row run found.
MENTION_SCHEMA = pa.schema(
    [("crn", pa.string()), ("contact_id", pa.string()), ("label", pa.string()), ("text", pa.string()),
     ("start", pa.int64()), ("end", pa.int64()), ("source", pa.string()), ("rule_id", pa.string()), ("kind", pa.string()),
     *((f, pa.bool_()) for f in CONTEXT_FLAGS),
     ("context_rules", pa.string()), ("section", pa.string()), ("sentence", pa.string())])
MENTION_COLUMNS = MENTION_SCHEMA.names


def write_mentions(mentions: pd.DataFrame, path) -> None:
    """Write one batch's mentions as parquet with `MENTION_SCHEMA`, empty or not."""
    frame = mentions[MENTION_COLUMNS].astype({"start": "int64", "end": "int64", **{f: bool for f in CONTEXT_FLAGS}})
    pq.write_table(pa.Table.from_pandas(frame, schema=MENTION_SCHEMA, preserve_index=False), path)


def extract_mentions(nlp: Language, contacts: pd.DataFrame, batch_size: int = 64) -> pd.DataFrame:
    """Run the pipeline over a batch of contacts (`nlp.pipe`) and collect mentions."""
    rows: list[dict] = []
    docs = (_doc(nlp, note, date, ctype) for note, date, ctype in zip(contacts["notes"], contacts["date"], contacts["contact_type"]))
    for (crn, cid), doc in zip(zip(contacts["crn"], contacts["contact_id"]), nlp.pipe(docs, batch_size=batch_size)):
        for ent in all_targets(doc):
            sent = ent.sent
            rows.append({
                "crn": crn, "contact_id": cid, "label": ent.label_, "text": ent.text,
                "start": ent.start_char, "end": ent.end_char, "source": "text", "rule_id": ent._.rule_id,
                "kind": ent._.kind, **{f: bool(getattr(ent._, f)) for f in CONTEXT_FLAGS},
                "context_rules": ";".join(ent._.context_rules or []), "section": doc[ent.start]._.section,
                "sentence": f"{sent.start_char}:{sent.end_char}",
            })
    text_mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    code_mentions = contact_type_mentions(contacts, text_mentions)
    return pd.concat([text_mentions, code_mentions], ignore_index=True)


def _doc(nlp: Language, note: str, date, contact_type=None):
    doc = nlp.make_doc(note or "")
    doc._.note_year = None if pd.isna(date) else int(date.year)
    doc._.contact_type = (contact_type.strip().upper() or None) if isinstance(contact_type, str) else None
    return doc


@lru_cache(maxsize=1)
def _contact_rules():
    data = load_rules("contact_types")
    not_done = re.compile("|".join(f"(?:{p})" for p in data["not_completed"]), re.I)
    return data, not_done


def code_labels(contact_type: str) -> list[str]:
    """Labels a contact type (code or description) evidences by itself."""
    data, _ = _contact_rules()
    code = (contact_type or "").strip()
    if code.upper() in data["codes"]:
        return list(data["codes"][code.upper()])
    lower = code.lower()
    return sorted({lab for desc, labs in data["descriptions"].items() if desc in lower for lab in labs})


def note_not_completed(note: str) -> bool:
    _, not_done = _contact_rules()
    return bool(not_done.search(note or ""))


def is_contact_with_person(contact_type: str, note: str) -> bool:
    """A completed contact with the person (for contact-interval checks)."""
    data, _ = _contact_rules()
    code = (contact_type or "").strip()
    typed = code.upper() in data["with_person_codes"] or any(d in code.lower() for d in data["with_person_descriptions"])
    return typed and not note_not_completed(note)


def contact_type_mentions(contacts: pd.DataFrame, text_mentions: pd.DataFrame) -> pd.DataFrame:
    rows = []
    by_contact = {cid: grp for cid, grp in text_mentions.groupby("contact_id")} if len(text_mentions) else {}
    for crn, cid, ctype, note in zip(contacts["crn"], contacts["contact_id"], contacts["contact_type"], contacts["notes"]):
        labels = code_labels(ctype)
        if not labels:
            continue
        ms = by_contact.get(cid)
        note_says_undone = note_not_completed(note)
        for label in labels:
            same = ms[ms["label"] == label] if ms is not None else None
            undone = note_says_undone
            if same is not None and len(same):
                affirmed = ~(same["negated"] | same["hypothetical"] | same["attempted"])
                undone = undone or not affirmed.any()
            rows.append({
                "crn": crn, "contact_id": cid, "label": label, "text": ctype, "start": -1, "end": -1,
                "source": "contact_type", "rule_id": f"contact_type.{ctype.upper()[:40]}", "kind": None,
                **{f: False for f in CONTEXT_FLAGS}, "attempted": bool(undone), "context_rules": "contact_type.not_completed" if undone else "",
                "section": None, "sentence": "",
            })
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)
