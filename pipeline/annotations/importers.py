"""Convert Label Studio and doccano exports into the canonical span format.

Context flags travel as span-level choices (Label Studio: a `choices` result with
`from_name` "context" attached to the span's id; doccano: a label suffix such as
`CHILD|neg,hist`). Write the result to `annotations/imported/<name>.jsonl` and
rebuild the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.annotations.markup import FLAG_CODES, LABELS
from pipeline.config import CONTEXT_FLAGS


def _span(start: int, end: int, label: str, flags: set[str]) -> dict:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    return {"start": int(start), "end": int(end), "label": label, **{f: f in flags for f in CONTEXT_FLAGS}}


def _flags(values) -> set[str]:
    out = set()
    for v in values:
        v = str(v).strip().lower()
        out.add(FLAG_CODES.get(v, v))
    unknown = out - set(CONTEXT_FLAGS)
    if unknown:
        raise ValueError(f"unknown context flag(s): {sorted(unknown)}")
    return out


def from_label_studio(path: Path) -> list[dict]:
    """Label Studio JSON export (list of tasks with `data.text` and `annotations[].result`)."""
    tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    records = []
    for task in tasks:
        text = task["data"]["text"]
        for ann in task.get("annotations", [])[:1]:
            spans, flags = {}, {}
            for res in ann.get("result", []):
                value = res.get("value", {})
                if res.get("type") == "labels":
                    spans[res["id"]] = (value["start"], value["end"], value["labels"][0])
                elif res.get("type") == "choices" and res.get("from_name") == "context":
                    flags[res["id"]] = _flags(value.get("choices", []))
            records.append({"text": text, "spans": [
                _span(s, e, lab, flags.get(rid, set())) for rid, (s, e, lab) in sorted(spans.items(), key=lambda kv: kv[1][0])]})
    return records


def from_doccano(path: Path) -> list[dict]:
    """doccano JSONL export: {"text", "label": [[start, end, "LABEL|flags"], ...]} (or "entities")."""
    records = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        spans = []
        for ent in item.get("label") or item.get("entities") or []:
            if isinstance(ent, dict):
                start, end, tag = ent["start_offset"], ent["end_offset"], ent["label"]
            else:
                start, end, tag = ent
            label, _, flags = str(tag).partition("|")
            spans.append(_span(start, end, label, _flags(f for f in flags.split(",") if f)))
        records.append({"text": item["text"], "spans": sorted(spans, key=lambda s: s["start"])})
    return records


IMPORTERS = {"labelstudio": from_label_studio, "doccano": from_doccano}
