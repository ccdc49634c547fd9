"""Evaluate extraction against the annotations, and train the context model.

- `evaluate_extraction(split)`: span precision/recall/F1 per label (strict: same start,
  end and label), and per context flag accuracy/F1 on the gold spans, for the rules
  alone and for rules + model side by side.
- `train_context()`: fit `ContextClassifier` on train, choose C and class weights on dev,
  keep the rules' decision for flags where the model does not beat them, and save it only
  if it beats the current model on dev (re-scored on today's annotations).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline import artefacts
from pipeline.annotations import corpus
from pipeline.annotations.markup import LABELS
from pipeline.config import ANNOTATIONS_DIR, CONTEXT_FLAGS, CONTEXT_MODEL
from pipeline.nlp import build_nlp
from pipeline.nlp.context_model import ContextClassifier, load_model, save_model, span_features

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def gold_spans(nlp, records):
    """Docs with the gold spans as entities and the rule context applied: [(doc, [(ent, gold)])]."""
    out = []
    for rec in records:
        doc = nlp.make_doc(rec["text"])
        for name in ("probation_sentencizer", "probation_sectionizer"):
            doc = nlp.get_pipe(name)(doc)
        ents, golds = [], []
        for s in sorted(rec["spans"], key=lambda s: s["start"]):
            span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
            if span is None or (ents and span.start < ents[-1].end):
                continue
            ents.append(span)
            golds.append([int(bool(s.get(f))) for f in CONTEXT_FLAGS])
        doc.ents = ents
        doc = nlp.get_pipe("probation_context")(doc)
        out.append((doc, list(zip(doc.ents, golds))))
    return out


def features_and_labels(nlp, records):
    X, y, rules = [], [], []
    for _, pairs in gold_spans(nlp, records):
        for ent, gold in pairs:
            X.append(span_features(ent))
            y.append(gold)
            rules.append([int(bool(getattr(ent._, f))) for f in CONTEXT_FLAGS])
    return X, np.asarray(y, dtype=int).reshape(-1, len(CONTEXT_FLAGS)), np.asarray(rules, dtype=int).reshape(-1, len(CONTEXT_FLAGS))


def flag_scores(y_true, y_pred) -> dict:
    out = {}
    for j, flag in enumerate(CONTEXT_FLAGS):
        t, p = y_true[:, j], y_pred[:, j]
        s = _prf(int(((t == 1) & (p == 1)).sum()), int(((t == 0) & (p == 1)).sum()), int(((t == 1) & (p == 0)).sum()))
        s["accuracy"] = round(float((t == p).mean()), 4) if len(t) else 0.0
        s["support"] = int(t.sum())
        out[flag] = s
    out["macro_f1"] = round(float(np.mean([out[f]["f1"] for f in CONTEXT_FLAGS])), 4)
    return out


def span_scores(nlp, records) -> dict:
    counts = {lab: [0, 0, 0] for lab in LABELS}
    for rec, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"]}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}
        for lab in LABELS:
            g = {x for x in gold if x[2] == lab}
            p = {x for x in pred if x[2] == lab}
            counts[lab][0] += len(g & p)
            counts[lab][1] += len(p - g)
            counts[lab][2] += len(g - p)
    per_label = {lab: {**_prf(*c), "support": c[0] + c[2]} for lab, c in counts.items()}
    tot = np.asarray(list(counts.values())).sum(axis=0)
    return {"per_label": per_label, "micro": _prf(*map(int, tot))}


def evaluate_extraction(split: str = "test", model_path: str | Path | None = CONTEXT_MODEL,
                        annotations: Path = ANNOTATIONS_DIR / "spans.jsonl") -> dict:
    records = corpus.load(split, annotations)
    nlp = build_nlp()
    X, y, rule_pred = features_and_labels(nlp, records)
    result = {"split": split, "examples": len(records), "gold_spans": int(len(y)),
              "annotations_sha256": artefacts.sha256(annotations),
              "spans": span_scores(nlp, records), "context": {"rules": flag_scores(y, rule_pred)}}
    if model_path and Path(model_path).exists():
        model = load_model(model_path)
        result["context"]["rules+model"] = flag_scores(y, model.predict(X))
        result["model_sha256"] = artefacts.sha256(model_path)
    return result


def train_context(model_path: Path = CONTEXT_MODEL, force: bool = False,
                  annotations: Path = ANNOTATIONS_DIR / "spans.jsonl") -> dict:
    nlp = build_nlp()
    X_tr, y_tr, _ = features_and_labels(nlp, corpus.load("train", annotations))
    X_dev, y_dev, rules_dev = features_and_labels(nlp, corpus.load("dev", annotations))
    trials = []
    for C in C_GRID:
        for weight in (None, "balanced"):
            model = ContextClassifier(C=C, class_weight=weight).fit(X_tr, y_tr)
            trials.append((flag_scores(y_dev, model.predict(X_dev))["macro_f1"], f"C={C},class_weight={weight}", model))
    _, best_C, best = max(trials, key=lambda t: t[0])
    # per flag, keep the rules' decision where the model does not beat them on dev
    model_scores, rule_scores = flag_scores(y_dev, best.predict(X_dev)), flag_scores(y_dev, rules_dev)
    best.set_params(rule_flags=tuple(f for f in CONTEXT_FLAGS if model_scores[f]["f1"] <= rule_scores[f]["f1"]))
    best_f1 = flag_scores(y_dev, best.predict(X_dev))["macro_f1"]
    report = {"dev_macro_f1": best_f1, "C": best_C, "trials": {str(c): f for f, c, _ in trials},
              "rule_flags": list(best.rule_flags), "dev_rules_macro_f1": rule_scores["macro_f1"]}
    current = None
    if model_path.exists():
        current = flag_scores(y_dev, load_model(model_path).predict(X_dev))["macro_f1"]
    report["current_dev_macro_f1"] = current
    if current is not None and best_f1 <= current and not force:
        report["saved"] = False
        report["reason"] = f"new model dev macro F1 {best_f1:.4f} does not beat the current {current:.4f}"
        return report
    model_path.parent.mkdir(parents=True, exist_ok=True)
    save_model(best, model_path)
    artefacts.write_meta(model_path, kind="context classifier", C=best_C, dev_macro_f1=best_f1, rule_flags=list(best.rule_flags),
                         annotations_sha256=artefacts.sha256(annotations),
                         train_spans=int(len(y_tr)), dev_spans=int(len(y_dev)))
    report["saved"] = True
    return report


def format_extraction(result: dict) -> str:
    lines = [f"split={result['split']} examples={result['examples']} gold spans={result['gold_spans']}", "",
             f"{'label':24} {'prec':>5} {'rec':>5} {'f1':>5} {'support':>7}"]
    for lab, s in result["spans"]["per_label"].items():
        lines.append(f"{lab:24} {s['precision']:>5.2f} {s['recall']:>5.2f} {s['f1']:>5.2f} {s['support']:>7}")
    m = result["spans"]["micro"]
    lines += [f"{'micro':24} {m['precision']:>5.2f} {m['recall']:>5.2f} {m['f1']:>5.2f}", ""]
    cols = list(result["context"])
    lines.append(f"{'context flag (gold spans)':26}" + "".join(f"{c + ' acc':>18}{c + ' F1':>17}" for c in cols) + f"{'support':>9}")
    for flag in CONTEXT_FLAGS:
        row = f"{flag:26}" + "".join(f"{result['context'][c][flag]['accuracy']:>18.3f}{result['context'][c][flag]['f1']:>17.3f}" for c in cols)
        lines.append(row + f"{result['context'][cols[0]][flag]['support']:>9}")
    lines.append(f"{'macro F1':26}" + "".join(f"{'':>18}{result['context'][c]['macro_f1']:>17.3f}" for c in cols))
    return "\n".join(lines)
