"""The canonical annotation corpus: Prodigy-compatible JSONL with a fixed split.

`build()` reads every `annotations/src/*.txt` (markup) and `annotations/imported/*.jsonl`
(converted exports) and writes `annotations/spans.jsonl`. The split of an example is a
hash of its text: 70% train, 15% dev, 15% test; adding examples never moves old ones.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.annotations.markup import MarkupError, parse_line
from pipeline.config import ANNOTATIONS_DIR

SPLITS = (("train", 70), ("dev", 15), ("test", 15))


def example_id(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:12]


def split_of(text: str) -> str:
    bucket = int(example_id(text), 16) % 100
    edge = 0
    for name, share in SPLITS:
        edge += share
        if bucket < edge:
            return name
    return SPLITS[-1][0]


def read_markup(path: Path) -> list[dict]:
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rec = parse_line(line.rstrip())
        except MarkupError as exc:
            raise MarkupError(f"{path.name}:{n}: {exc}") from None
        records.append(_finish(rec, f"src/{path.name}:{n}"))
    return records


def _finish(rec: dict, source: str) -> dict:
    return {"text": rec["text"], "spans": rec["spans"], "answer": "accept",
            "meta": {"id": example_id(rec["text"]), "source": source, "split": split_of(rec["text"])}}


def build(directory: Path = ANNOTATIONS_DIR) -> tuple[Path, dict]:
    """Rebuild spans.jsonl; returns its path and counts. Duplicated texts are kept once."""
    records, seen = [], set()
    sources = [(p, read_markup(p)) for p in sorted((directory / "src").glob("*.txt"))]
    sources += [(p, [_finish(r, f"imported/{p.name}") for r in read_jsonl(p)]) for p in sorted((directory / "imported").glob("*.jsonl"))]
    for _, recs in sources:
        for rec in recs:
            if rec["meta"]["id"] in seen:
                continue
            seen.add(rec["meta"]["id"])
            records.append(rec)
    out = directory / "spans.jsonl"
    write_jsonl(out, records)
    counts = {name: sum(r["meta"]["split"] == name for r in records) for name, _ in SPLITS}
    counts["spans"] = sum(len(r["spans"]) for r in records)
    return out, counts


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def load(split: str | None = None, path: Path | None = None) -> list[dict]:
    records = [r for r in read_jsonl(path or ANNOTATIONS_DIR / "spans.jsonl") if r.get("answer", "accept") == "accept"]
    return [r for r in records if split is None or r["meta"]["split"] == split]
