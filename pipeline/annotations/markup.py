"""Parse the inline authoring markup of `annotations/GUIDELINES.md` section 1.

    Seen with [[his son|CHILD]]... → text + spans with flags
"""

from __future__ import annotations

import re

from pipeline.config import CONTEXT_FLAGS

SPAN = re.compile(r"\[\[([^|\]]+)\|([A-Z_]+)(?:\|([a-z,]+))?\]\]")
FLAG_CODES = {"neg": "negated", "hyp": "hypothetical", "hist": "historical", "other": "other_person", "att": "attempted"}
LABELS = (
    "CHILD", "PARTNER", "NEW_RELATIONSHIP", "DOMESTIC_ABUSE", "SUBSTANCE_USE", "AGGRESSION", "SELF_HARM",
    "PROTECTIVE_ORDER", "AGENCY", "RISK_ESCALATION", "REALLOCATION", "ROSH_LEVEL", "SAFEGUARDING_CHECK", "DA_CHECK",
    "DISCLOSURE", "HOME_VISIT", "RISK_REVIEW", "MANAGEMENT_OVERSIGHT", "SUBSTANCE_RESPONSE", "MENTAL_HEALTH_RESPONSE",
    "VICTIM_CONTACT", "AGENCY_CONTACT", "HANDOVER",
)


class MarkupError(ValueError):
    pass


def parse_line(line: str) -> dict:
    """One markup line → {"text", "spans"} (offsets into the plain text)."""
    line = line.replace("\\n", "\n")
    text, spans, pos = [], [], 0
    length = 0
    for m in SPAN.finditer(line):
        before = line[pos:m.start()]
        text.append(before)
        length += len(before)
        span_text, label, flags = m.group(1), m.group(2), m.group(3) or ""
        if label not in LABELS:
            raise MarkupError(f"unknown label {label!r}")
        unknown = [f for f in flags.split(",") if f and f not in FLAG_CODES]
        if unknown:
            raise MarkupError(f"unknown flag(s) {unknown}")
        on = {FLAG_CODES[f] for f in flags.split(",") if f}
        spans.append({"start": length, "end": length + len(span_text), "label": label,
                      **{flag: flag in on for flag in CONTEXT_FLAGS}})
        text.append(span_text)
        length += len(span_text)
        pos = m.end()
    text.append(line[pos:])
    plain = "".join(text)
    if "[[" in plain or "]]" in plain:
        raise MarkupError("unparsed [[ or ]] left in the line")
    return {"text": plain, "spans": spans}


def to_markup(record: dict) -> str:
    """The inverse of parse_line (used to export examples for re-annotation)."""
    out, pos = [], 0
    codes = {v: k for k, v in FLAG_CODES.items()}
    for s in sorted(record["spans"], key=lambda s: s["start"]):
        out.append(record["text"][pos:s["start"]])
        flags = ",".join(codes[f] for f in CONTEXT_FLAGS if s.get(f))
        out.append(f"[[{record['text'][s['start']:s['end']]}|{s['label']}{'|' + flags if flags else ''}]]")
        pos = s["end"]
    out.append(record["text"][pos:])
    return "".join(out).replace("\n", "\\n")
