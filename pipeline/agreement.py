"""Inter-annotator agreement: how far a second annotator, and the extractor, agree with the corpus.

A second annotator re-labels a sample of corpus notes from GUIDELINES alone, without seeing
their corpus labels (markup files in `annotations/agreement/`). `agreement_study` matches
each note to its corpus example by id and scores, on exactly those notes:

- spans, strictly (same start, end and label): second annotator against the corpus, and the
  extractor (rules + span model) against the corpus and against the second annotator;
- context flags on the spans both annotators drew identically: the second annotator's flags
  and the context model's against the corpus's.

F1 between two annotators is symmetric (swapping which one is the reference swaps precision
and recall), so the second annotator's F1 is the agreement, a rough ceiling for what any
system can score against labels applied this consistently.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.annotations import corpus
from pipeline.config import ANNOTATIONS_DIR, CONTEXT_FLAGS, CONTEXT_MODEL, SPAN_MODEL


class AgreementError(ValueError):
    """A second annotation that cannot be compared (unknown note, note given twice)."""


def read_second(paths) -> list[dict]:
    """The second annotator's records, from markup files, in file order."""
    records = [rec for path in paths for rec in corpus.read_markup(Path(path))]
    seen = set()
    for rec in records:
        if rec["meta"]["id"] in seen:
            raise AgreementError(f"{rec['meta']['source']}: this note is annotated twice in the study")
        seen.add(rec["meta"]["id"])
    return records


def pair_with_corpus(second: list[dict], reference: list[dict]) -> list[tuple[dict, dict]]:
    """(corpus record, second record) for every second record; a note not in the corpus is an error."""
    by_id = {r["meta"]["id"]: r for r in reference}
    missing = [r["meta"]["source"] for r in second if r["meta"]["id"] not in by_id]
    if missing:
        raise AgreementError(f"{len(missing)} note(s) not in the corpus, first {missing[0]}: "
                             "the study compares labels of corpus notes only")
    return [(by_id[r["meta"]["id"]], r) for r in second]


def matched_flags(pairs) -> tuple[list[tuple[str, int, int, str]], np.ndarray, np.ndarray]:
    """The spans both annotations drew identically, as (example id, start, end, label), with
    the flags each gave them (rows of 0/1 in `CONTEXT_FLAGS` order)."""
    keys, first, second = [], [], []
    for ref, other in pairs:
        theirs = {(s["start"], s["end"], s["label"]): s for s in other["spans"]}
        for s in sorted(ref["spans"], key=lambda s: (s["start"], s["end"], s["label"])):
            match = theirs.get((s["start"], s["end"], s["label"]))
            if match is None:
                continue
            keys.append((ref["meta"]["id"], s["start"], s["end"], s["label"]))
            first.append([int(bool(s.get(f))) for f in CONTEXT_FLAGS])
            second.append([int(bool(match.get(f))) for f in CONTEXT_FLAGS])
    shape = (-1, len(CONTEXT_FLAGS))
    return keys, np.asarray(first, dtype=int).reshape(shape), np.asarray(second, dtype=int).reshape(shape)


def model_flags(nlp, records, keys, model) -> np.ndarray:
    """The context model's flags (the rules' where there is no model) for each key (example id,
    start, end, label), read on the corpus's gold spans as `evaluate_extraction` reads them.
    A key the gold-span docs do not hold exactly (a span off token boundaries, or overlapping an
    earlier one) gets no flag, so no row is lost and the model is not flattered."""
    from pipeline.nlp.context_model import span_features
    from pipeline.training import gold_span_rows, rule_flags_of

    rows = gold_span_rows(nlp, records)
    index = {key: i for i, (key, _, _) in enumerate(rows)}
    if model is not None and rows:
        predicted = model.predict([span_features(ent) for _, ent, _ in rows])
    else:
        predicted = [rule_flags_of(ent) for _, ent, _ in rows]
    predicted = np.asarray(predicted, dtype=int).reshape(-1, len(CONTEXT_FLAGS))
    none = np.zeros(len(CONTEXT_FLAGS), dtype=int)
    return np.asarray([predicted[index[k]] if k in index else none for k in keys], dtype=int).reshape(-1, len(CONTEXT_FLAGS))


def agreement_study(paths, annotations: Path = ANNOTATIONS_DIR / "spans.jsonl",
                    span_model_path: str | Path | None = SPAN_MODEL,
                    context_model_path: str | Path | None = CONTEXT_MODEL) -> dict:
    from pipeline import artefacts
    from pipeline.nlp import build_nlp
    from pipeline.nlp.context_model import load_model
    from pipeline.nlp.span_model import SpanTagger
    from pipeline.training import combined_sets, flag_scores, gold_sets, rule_docs, span_scores, span_sets, unseen_by_dev

    # the study's notes are dev notes: the extractor is scored with the models' train-only fits
    span_model_path, context_model_path = unseen_by_dev(span_model_path), unseen_by_dev(context_model_path)

    pairs = pair_with_corpus(read_second(paths), corpus.load(None, annotations))
    reference = [ref for ref, _ in pairs]
    golds, seconds = gold_sets(reference), gold_sets([other for _, other in pairs])
    nlp = build_nlp()
    docs = rule_docs(nlp, reference)
    span_model = SpanTagger.load(span_model_path) if span_model_path and Path(span_model_path).exists() else None
    extractor = (combined_sets(docs, span_model, nlp.get_pipe("probation_target_matcher")) if span_model
                 else [span_sets(d) for d in docs])
    keys, flags_ref, flags_second = matched_flags(pairs)
    context_model = load_model(context_model_path) if context_model_path and Path(context_model_path).exists() else None
    flags_model = model_flags(nlp, reference, keys, context_model)
    splits = dict(Counter(ref["meta"]["split"] for ref in reference))
    return {
        "examples": len(pairs), "splits": splits,
        "corpus_spans": sum(map(len, golds)), "second_spans": sum(map(len, seconds)), "matched_spans": len(keys),
        "annotations_sha256": artefacts.sha256(annotations),
        "files": [Path(p).name for p in paths],
        "spans": {"second vs corpus": span_scores(golds, seconds),
                  "extractor vs corpus": span_scores(golds, extractor),
                  "extractor vs second": span_scores(seconds, extractor)},
        "context": {"second vs corpus": flag_scores(flags_ref, flags_second),
                    "model vs corpus": flag_scores(flags_ref, flags_model)},
        "extractor": "rules + span model" if span_model else "rules",
        "context_model": "context model" if context_model else "rules",
    }


def format_agreement(result: dict) -> str:
    lines = [f"examples={result['examples']} ({', '.join(f'{k} {v}' for k, v in sorted(result['splits'].items()))}) "
             f"corpus spans={result['corpus_spans']} second annotator's spans={result['second_spans']} "
             f"drawn identically={result['matched_spans']}", "",
             f"spans, strict F1 (extractor: {result['extractor']})"]
    cols = list(result["spans"])
    lines.append(f"{'label':24}" + "".join(f"{c:>22}" for c in cols) + f"{'corpus support':>16}")
    first = result["spans"][cols[0]]["per_label"]
    for lab, row in first.items():
        if row["support"] == 0 and row["fp"] == 0:
            continue
        lines.append(f"{lab:24}" + "".join(f"{result['spans'][c]['per_label'][lab]['f1']:>22.2f}" for c in cols)
                     + f"{row['support']:>16}")
    lines.append(f"{'micro':24}" + "".join(f"{result['spans'][c]['micro']['f1']:>22.3f}" for c in cols))
    lines += ["", f"context flags on the spans drawn identically, F1 (model: {result['context_model']})"]
    ccols = list(result["context"])
    lines.append(f"{'flag':24}" + "".join(f"{c:>22}" for c in ccols) + f"{'corpus support':>16}")
    for flag in CONTEXT_FLAGS:
        lines.append(f"{flag:24}" + "".join(f"{result['context'][c][flag]['f1']:>22.3f}" for c in ccols)
                     + f"{result['context'][ccols[0]][flag]['support']:>16}")
    lines.append(f"{'macro F1':24}" + "".join(f"{result['context'][c]['macro_f1']:>22.3f}" for c in ccols))
    return "\n".join(lines)
