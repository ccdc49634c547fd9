"""Evaluate extraction against the annotations, and train the two learned fallbacks.

- `evaluate_extraction(split)`: span precision/recall/F1 per label (strict: same start,
  end and label) for the rules alone and for rules + span model, and per context flag
  accuracy/F1 on the gold spans for the rules alone and rules + context model.
- `train_context()`: fit `ContextClassifier` on train, choose C and class weights on dev
  (overall, and per flag), fit gradient-boosted trees once and choose each flag's C and class
  weight again with the trees beside the regressions, keep the candidate that does best on
  dev (with or without trees), keep the rules' decision for flags where the model
  does not beat them, and save it only if it beats the current model on dev (re-scored on
  today's annotations).
- `train_spans()`: fit `SpanTagger` (a CRF over words and the rules' tags) on train,
  choose its regularisation on dev, use it only for the labels where it beats the rules
  on dev, and save it only if rules + model beat the current combination on dev.

Both are chosen and gated on dev with models fitted on train alone; the model that ships
is then fitted again, with the same settings, on train + dev (more examples, and the
learning curve is still rising: `scripts/span_learning_curve.py`). The train-only fit is
kept beside it in `held-out/` (`held_out`): the dev figures and the next gate are measured
with it, since the shipped model has seen dev. The test split is never used for fitting or
choosing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np

from spacy.tokens import Span

from pipeline import artefacts, bootstrap
from pipeline.annotations import corpus
from pipeline.annotations.markup import LABELS
from pipeline.config import ANNOTATIONS_DIR, CONTEXT_FLAGS, CONTEXT_MODEL, SPAN_MODEL
from pipeline.nlp import build_nlp
from pipeline.nlp.context_model import BOOST_PARAMS, ContextClassifier, load_model, save_model, span_features
from pipeline.nlp.span_model import SpanModelComponent, SpanTagger, bio_tags, doc_features

C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
CRF_GRID = ((0.01, 0.1), (0.05, 0.05), (0.01, 0.01), (0.003, 0.01))  # (c1, c2)


def held_out(model_path: str | Path) -> Path:
    """Where the train-only fit of a model is kept: `held-out/` beside it, same name."""
    model_path = Path(model_path)
    return model_path.parent / "held-out" / model_path.name


def fitted_on(model_path: str | Path) -> str:
    """"train" or "train+dev", from the model's provenance (files from before the refit: "train")."""
    return artefacts.read_meta(model_path).get("fitted_on", "train")


def unseen_by_dev(model_path: str | Path | None) -> Path | None:
    """The version of a model that has not seen the dev split: its held-out fit if it was
    refitted on train + dev, else the model itself; None if there is no such file."""
    if not model_path or not Path(model_path).exists():
        return None
    if fitted_on(model_path) == "train":
        return Path(model_path)
    return held_out(model_path) if held_out(model_path).exists() else None


def _ship(model_path: Path, candidate, refit, save, meta: dict, own_meta=lambda model: {}) -> None:
    """Save the train-only fit (`candidate`) in `held-out/`, then the same settings refitted
    on train + dev (`refit()`) as the model itself, each with its provenance (`meta`, and
    `own_meta(model)` for what differs between the two fits)."""
    kept = held_out(model_path)
    kept.parent.mkdir(parents=True, exist_ok=True)
    save(candidate, kept)
    artefacts.write_meta(kept, **meta, **own_meta(candidate), fitted_on="train")
    shipped = refit()
    save(shipped, model_path)
    artefacts.write_meta(model_path, **meta, **own_meta(shipped), fitted_on="train+dev",
                         held_out_model=f"held-out/{kept.name}", held_out_sha256=artefacts.sha256(kept))


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
    """Context-model features, gold flags and the rules' flags, one row per gold span."""
    X, y, rules, _ = features_labels_groups(nlp, records)
    return X, y, rules


def gold_span_rows(nlp, records) -> list[tuple[tuple[str, int, int, str], Span, list[int]]]:
    """One row per gold span that `gold_spans` keeps: its key (example id, start and end
    character, label), the span with the rule context applied, and its gold flags."""
    return [((rec["meta"]["id"], ent.start_char, ent.end_char, ent.label_), ent, gold)
            for rec, (_, pairs) in zip(records, gold_spans(nlp, records)) for ent, gold in pairs]


def rule_flags_of(ent) -> list[int]:
    return [int(bool(getattr(ent._, f))) for f in CONTEXT_FLAGS]


def features_labels_groups(nlp, records):
    """As `features_and_labels`, plus each span's example id (for cross-validation grouped by
    example: `scripts/context_cv.py`)."""
    rows = gold_span_rows(nlp, records)
    X = [span_features(ent) for _, ent, _ in rows]
    shape = (-1, len(CONTEXT_FLAGS))
    y = np.asarray([gold for _, _, gold in rows], dtype=int).reshape(shape)
    rules = np.asarray([rule_flags_of(ent) for _, ent, _ in rows], dtype=int).reshape(shape)
    return X, y, rules, [key[0] for key, _, _ in rows]


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


def span_sets(doc) -> set:
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}


def gold_sets(records) -> list[set]:
    return [{(s["start"], s["end"], s["label"]) for s in rec["spans"]} for rec in records]


def span_counts(golds: list[set], preds: list[set]) -> np.ndarray:
    """Strict-match true positives, false positives and false negatives of each label (in
    `LABELS` order) in each example: shape (examples, labels, 3)."""
    counts = np.zeros((len(golds), len(LABELS), 3), dtype=int)
    index = {lab: j for j, lab in enumerate(LABELS)}
    for k, (gold, pred) in enumerate(zip(golds, preds)):
        for x in gold & pred:
            counts[k, index[x[2]], 0] += 1
        for x in pred - gold:
            if x[2] in index:
                counts[k, index[x[2]], 1] += 1
        for x in gold - pred:
            counts[k, index[x[2]], 2] += 1
    return counts


def span_scores(golds: list[set], preds: list[set]) -> dict:
    """Strict span P/R/F1 per label and micro, from gold and predicted (start, end, label) sets."""
    return scores_of_counts(span_counts(golds, preds))


def scores_of_counts(counts: np.ndarray) -> dict:
    """`span_scores` from `span_counts`."""
    totals = counts.sum(axis=0)
    per_label = {lab: {**_prf(*map(int, c)), "support": int(c[0] + c[2])} for lab, c in zip(LABELS, totals)}
    return {"per_label": per_label, "micro": _prf(*map(int, totals.sum(axis=0)))}


def flag_counts(y_true, y_pred, groups) -> np.ndarray:
    """True positives, false positives and false negatives of each context flag, summed per
    example (`groups`: each span's example id, in first-seen order): (examples, flags, 3)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    order = {g: k for k, g in enumerate(dict.fromkeys(groups))}
    counts = np.zeros((len(order), len(CONTEXT_FLAGS), 3), dtype=int)
    hits = np.stack([(y_true == 1) & (y_pred == 1), (y_true == 0) & (y_pred == 1), (y_true == 1) & (y_pred == 0)], axis=-1)
    np.add.at(counts, np.asarray([order[g] for g in groups], dtype=int), hits.astype(int))  # each span into its example's row
    return counts


def micro_samples(counts: np.ndarray, resamples: int = bootstrap.RESAMPLES) -> np.ndarray:
    """Micro F1 over all groups in each bootstrap resample of the examples."""
    return bootstrap.resampled_f1(counts, resamples)[:, -1]


def macro_samples(counts: np.ndarray, resamples: int = bootstrap.RESAMPLES) -> np.ndarray:
    """Macro F1 (the mean over groups) in each bootstrap resample of the examples."""
    return bootstrap.resampled_f1(counts, resamples)[:, :-1].mean(axis=1)


def gain_interval(new: np.ndarray, old: np.ndarray) -> list[float]:
    """95% interval of new minus old, resample by resample (paired: both from the same draws)."""
    return np.round(bootstrap.interval(new - old), 4).tolist()


def _put_intervals(samples: np.ndarray, scores: list[dict]) -> None:
    """`ci95` into each score dict from the matching column of `samples`."""
    bounds = np.round(bootstrap.interval(samples), 4)
    for j, score in enumerate(scores):
        score["ci95"] = bounds[:, j].tolist()


def add_intervals(result: dict, span_counts_by_column: dict, flag_counts_by_column: dict,
                  resamples: int = bootstrap.RESAMPLES) -> None:
    """Put 95% bootstrap intervals (resampling examples: `pipeline.bootstrap`) into an
    `evaluate_extraction` result: `ci95` beside each F1, and `gain_ci95` for the gain in span
    micro F1 and in flag macro F1 of rules + models over the rules alone (the same resamples
    for both columns, so the gain's interval is paired)."""
    micro, macro = {}, {}
    for column, counts in span_counts_by_column.items():
        samples = bootstrap.resampled_f1(counts, resamples)
        scores = result["spans"][column]
        _put_intervals(samples, [*(scores["per_label"][lab] for lab in LABELS), scores["micro"]])
        micro[column] = samples[:, -1]
    for column, counts in flag_counts_by_column.items():
        samples = bootstrap.resampled_f1(counts, resamples)[:, :-1]  # micro over flags is not reported
        scores = result["context"][column]
        _put_intervals(samples, [scores[flag] for flag in CONTEXT_FLAGS])
        macro[column] = samples.mean(axis=1)
        scores["macro_f1_ci95"] = np.round(bootstrap.interval(macro[column]), 4).tolist()
    gains = {name: gain_interval(samples["rules+model"], samples["rules"])
             for name, samples in (("span_micro_f1", micro), ("flag_macro_f1", macro))
             if "rules" in samples and "rules+model" in samples}
    if gains:
        result["gain_ci95"] = gains
    result["bootstrap"] = {"resamples": resamples, "seed": bootstrap.SEED, "unit": "example"}


def rule_docs(nlp, records) -> list:
    """Docs after the target rules (the span model's input)."""
    later = [n for n in nlp.pipe_names if n in ("probation_span_model", "probation_context", "probation_context_model")]
    with nlp.select_pipes(disable=later):
        return list(nlp.pipe(r["text"] for r in records))


def span_examples(docs, records) -> tuple[list, list]:
    """Token features (with the rules' tags) and gold BIO tags; gold spans that do not fall on
    token boundaries, or overlap an earlier one, are left out of the tags."""
    X, y = [], []
    for doc, rec in zip(docs, records):
        spans = []
        for s in sorted(rec["spans"], key=lambda s: s["start"]):
            span = doc.char_span(s["start"], s["end"], label=s["label"])
            if span is not None and not (spans and span.start < spans[-1].end):
                spans.append(span)
        X.append(doc_features(doc))
        y.append(bio_tags(doc, spans))
    return X, y


def combined_sets(docs, model: SpanTagger | None, kinds=None) -> list[set]:
    """Predicted spans of rules + span model (the model's labels replace the rules')."""
    component = SpanModelComponent(model, kinds)
    return [span_sets(component(doc.copy())) for doc in docs]


def combined_sets_from_tags(docs, tags: list[list[str]], labels, kinds=None, max_lengths=None) -> list[set]:
    """As `combined_sets`, from tags already predicted, for any set of model labels."""
    component = SpanModelComponent(None, kinds)
    return [span_sets(component.apply(doc.copy(), doc_tags, labels, max_lengths)) for doc, doc_tags in zip(docs, tags)]


def evaluate_extraction(split: str = "test", model_path: str | Path | None = CONTEXT_MODEL,
                        annotations: Path = ANNOTATIONS_DIR / "spans.jsonl",
                        span_model_path: str | Path | None = SPAN_MODEL, sources: str | None = None,
                        resamples: int = bootstrap.RESAMPLES) -> dict:
    """Score the split; `sources` (a regex on `meta.source`, "src/batch11_") keeps only the
    examples from matching annotation files, to compare the same examples across sessions.
    With `resamples` > 0, each F1 gets a 95% bootstrap interval over examples (`ci95`), and
    the models' gain over the rules one too (`gain_ci95`).
    On dev, each model is scored by its train-only fit (`unseen_by_dev`), and a model that
    has seen dev and has no such fit is not scored."""
    if split == "dev":
        span_model_path, model_path = unseen_by_dev(span_model_path), unseen_by_dev(model_path)
    records = corpus.load(split, annotations)
    if sources:
        records = [r for r in records if re.search(sources, r["meta"].get("source", ""))]
    nlp = build_nlp()
    X, y, rule_pred, groups = features_labels_groups(nlp, records)
    docs, golds = rule_docs(nlp, records), gold_sets(records)
    spans_by_column = {"rules": span_counts(golds, [span_sets(d) for d in docs])}
    result = {"split": split, "examples": len(records), "gold_spans": int(len(y)), **({"sources": sources} if sources else {}),
              "annotations_sha256": artefacts.sha256(annotations),
              "spans": {"rules": scores_of_counts(spans_by_column["rules"])},
              "context": {"rules": flag_scores(y, rule_pred)}}
    flags_by_column = {"rules": flag_counts(y, rule_pred, groups)}
    if span_model_path and Path(span_model_path).exists():
        tagger = SpanTagger.load(span_model_path)
        kinds = nlp.get_pipe("probation_target_matcher")
        spans_by_column["rules+model"] = span_counts(golds, combined_sets(docs, tagger, kinds))
        result["spans"]["rules+model"] = scores_of_counts(spans_by_column["rules+model"])
        result["span_model_labels"] = list(tagger.model_labels)
        result["span_model_sha256"] = artefacts.sha256(span_model_path)
        result["span_model_fitted_on"] = fitted_on(span_model_path)
    if model_path and Path(model_path).exists():
        model = load_model(model_path)
        predicted = model.predict(X)
        result["context"]["rules+model"] = flag_scores(y, predicted)
        flags_by_column["rules+model"] = flag_counts(y, predicted, groups)
        result["model_sha256"] = artefacts.sha256(model_path)
        result["model_fitted_on"] = fitted_on(model_path)
    if resamples:
        add_intervals(result, spans_by_column, flags_by_column, resamples)
    return result


def _settings_search(trials, y_dev, trees_dev=None, boost_weight: float = 0.5):
    """From the regressions fitted on train with each C and class weight (`trials`: name, model,
    dev probabilities), the one with the best dev macro F1 and, per flag, the C and class weight
    that score best on that flag. With `trees_dev` (the trees' dev probabilities) each regression
    is scored mixed with the trees, as it would be used: its best partner for the trees need not
    be its best alone. Also returns each trial's dev macro F1 (for the report)."""
    scored = []
    for name, model, proba in trials:
        if trees_dev is not None:
            proba = (1 - boost_weight) * proba + boost_weight * trees_dev
        scored.append((name, model, flag_scores(y_dev, (proba >= 0.5).astype(int))))
    name, best, _ = max(scored, key=lambda t: t[2]["macro_f1"])
    per_flag = {}
    for flag in CONTEXT_FLAGS:
        chosen = max(scored, key=lambda t: t[2][flag]["f1"])[1]
        per_flag[flag] = {"C": chosen.C, "class_weight": chosen.class_weight}
    return name, best, per_flag, {n: scores["macro_f1"] for n, _, scores in scored}


def train_context(model_path: Path = CONTEXT_MODEL, force: bool = False,
                  annotations: Path = ANNOTATIONS_DIR / "spans.jsonl", boost: dict | None = BOOST_PARAMS) -> dict:
    nlp = build_nlp()
    X_tr, y_tr, _ = features_and_labels(nlp, corpus.load("train", annotations))
    X_dev, y_dev, rules_dev, dev_groups = features_labels_groups(nlp, corpus.load("dev", annotations))
    trials = []
    for C in C_GRID:
        for weight in (None, "balanced"):
            model = ContextClassifier(C=C, class_weight=weight).fit(X_tr, y_tr)
            trials.append((f"C={C},class_weight={weight}", model, model.predict_proba(X_dev)))
    # the candidates: the best single C and class weight; the flags as separate regressions, each
    # with the C and class weight that suit it on dev; and, with gradient-boosted trees beside the
    # regressions (settings chosen by CV), the same two plus the per-flag choice made again with
    # the trees in. The trees depend on neither C nor the class weight: fitted once, lent to each.
    name, plain, per_flag, trial_f1 = _settings_search(trials, y_dev)
    tuned = ContextClassifier(C=plain.C, class_weight=plain.class_weight, flag_params=per_flag).fit(X_tr, y_tr)
    candidates = [(name, plain), (f"{name}, per flag {per_flag}", tuned)]
    if boost:
        trees = ContextClassifier(C=plain.C, class_weight=plain.class_weight, boost=dict(boost)).fit(X_tr, y_tr)
        t_name, t_plain, t_per_flag, _ = _settings_search(trials, y_dev, trees.tree_proba(X_dev), trees.boost_weight)
        t_tuned = ContextClassifier(C=t_plain.C, class_weight=t_plain.class_weight, flag_params=t_per_flag).fit(X_tr, y_tr)
        with_trees = f", with trees {boost}"
        candidates += [(name + with_trees, trees),
                       (f"{name}, per flag {per_flag}{with_trees}", copy.deepcopy(tuned).take_trees(trees)),
                       (f"{t_name}, per flag {t_per_flag} (chosen with the trees){with_trees}", t_tuned.take_trees(trees))]
    scored = [(flag_scores(y_dev, model.predict(X_dev)), name, model) for name, model in candidates]
    best_scores, best_C, best = max(scored, key=lambda t: t[0]["macro_f1"])  # the first of equals: the simplest
    # per flag, keep the rules' decision where the model does not beat them on dev
    model_scores, rule_scores = best_scores, flag_scores(y_dev, rules_dev)
    best.set_params(rule_flags=tuple(f for f in CONTEXT_FLAGS if model_scores[f]["f1"] <= rule_scores[f]["f1"]))
    best_pred = best.predict(X_dev)
    best_f1 = flag_scores(y_dev, best_pred)["macro_f1"]
    report = {"dev_macro_f1": best_f1, "C": best_C,
              "trials": trial_f1,
              "candidates": {name: scores["macro_f1"] for scores, name, _ in scored},
              "rule_flags": list(best.rule_flags), "dev_rules_macro_f1": rule_scores["macro_f1"]}
    current, reference = None, unseen_by_dev(model_path)  # the current model as it was before it saw dev
    if reference is not None:
        current_pred = load_model(reference).predict(X_dev)
        current = flag_scores(y_dev, current_pred)["macro_f1"]
        # how sure is the gain? The gate is the point figure; this says how far dev's examples could move it
        report["gain_ci95_vs_current"] = gain_interval(macro_samples(flag_counts(y_dev, best_pred, dev_groups)),
                                                       macro_samples(flag_counts(y_dev, current_pred, dev_groups)))
    report["current_dev_macro_f1"] = current
    if current is not None and best_f1 <= current and not force:
        report["saved"] = False
        report["reason"] = f"new model dev macro F1 {best_f1:.4f} does not beat the current {current:.4f}"
        return report
    _ship(model_path, best,
          refit=lambda: ContextClassifier(**best.get_params()).fit(X_tr + X_dev, np.vstack([y_tr, y_dev])),
          save=save_model,
          meta=dict(kind="context classifier", C=best_C, dev_macro_f1=best_f1, rule_flags=list(best.rule_flags),
                    trees=bool(best.boost), annotations_sha256=artefacts.sha256(annotations),
                    train_spans=int(len(y_tr)), dev_spans=int(len(y_dev))))
    report["saved"], report["shipped_fit"] = True, "train+dev"
    return report


def train_spans(model_path: Path = SPAN_MODEL, force: bool = False,
                annotations: Path = ANNOTATIONS_DIR / "spans.jsonl") -> dict:
    nlp = build_nlp()
    kinds = nlp.get_pipe("probation_target_matcher")
    train_recs, dev_recs = corpus.load("train", annotations), corpus.load("dev", annotations)
    X_tr, y_tr = span_examples(rule_docs(nlp, train_recs), train_recs)
    dev_docs, dev_gold = rule_docs(nlp, dev_recs), gold_sets(dev_recs)
    rules = span_scores(dev_gold, [span_sets(d) for d in dev_docs])
    dev_features, y_dev = span_examples(dev_docs, dev_recs)  # the refit reads dev's gold tags too
    trials = []
    for c1, c2 in CRF_GRID:
        model = SpanTagger(c1=c1, c2=c2).fit(X_tr, y_tr)
        tags = model.predict(dev_features)
        # the model's own spans for every label, to compare with the rules label by label
        alone = span_scores(dev_gold, combined_sets_from_tags(dev_docs, tags, LABELS, kinds, model.max_lengths_))
        labels = tuple(lab for lab in LABELS
                       if alone["per_label"][lab]["f1"] > rules["per_label"][lab]["f1"])
        model.set_params(model_labels=labels)
        combined = span_scores(dev_gold, combined_sets_from_tags(dev_docs, tags, labels, kinds, model.max_lengths_))
        trials.append((combined["micro"]["f1"], f"c1={c1},c2={c2}", model, tags))
    best_f1, best_params, best, best_tags = max(trials, key=lambda t: t[0])
    report = {"dev_micro_f1": best_f1, "dev_rules_micro_f1": rules["micro"]["f1"], "params": best_params,
              "trials": {p: f for f, p, _, _ in trials}, "model_labels": list(best.model_labels)}
    current, reference = None, unseen_by_dev(model_path)  # the current model as it was before it saw dev
    if reference is not None:
        current_sets = combined_sets(dev_docs, SpanTagger.load(reference), kinds)
        current = span_scores(dev_gold, current_sets)["micro"]["f1"]
        best_sets = combined_sets_from_tags(dev_docs, best_tags, best.model_labels, kinds, best.max_lengths_)
        report["gain_ci95_vs_current"] = gain_interval(micro_samples(span_counts(dev_gold, best_sets)),
                                                       micro_samples(span_counts(dev_gold, current_sets)))
    report["current_dev_micro_f1"] = current
    baseline = rules["micro"]["f1"] if current is None else current
    if best_f1 <= baseline and not force:
        report["saved"] = False
        what = "the rules alone" if current is None else "the current model"
        report["reason"] = f"rules + new model dev micro F1 {best_f1:.4f} does not beat {what} ({baseline:.4f})"
        return report
    _ship(model_path, best,
          refit=lambda: SpanTagger(**best.get_params()).fit(X_tr + dev_features, y_tr + y_dev),
          save=lambda model, path: model.save(path),
          meta=dict(kind="span tagger (crfsuite CRF)", c1=best.c1, c2=best.c2, max_iterations=best.max_iterations,
                    model_labels=list(best.model_labels), dev_micro_f1=best_f1, dev_rules_micro_f1=rules["micro"]["f1"],
                    annotations_sha256=artefacts.sha256(annotations), train_examples=len(train_recs),
                    dev_examples=len(dev_recs)),
          own_meta=lambda model: {"max_lengths": model.max_lengths_})  # the refit has seen dev's spans too
    report["saved"], report["shipped_fit"] = True, "train+dev"
    return report


def _ci(scores: dict, key: str = "ci95") -> str:
    """ "0.87-0.91" from a score's interval (`key`), or "" when there is none."""
    return f"{scores[key][0]:.2f}-{scores[key][1]:.2f}" if key in scores else ""


def format_extraction(result: dict) -> str:
    sources = f" sources={result['sources']}" if result.get("sources") else ""
    lines = [f"split={result['split']}{sources} examples={result['examples']} gold spans={result['gold_spans']}", ""]
    span_cols = list(result["spans"])
    last = span_cols[-1]
    lines.append(f"{'label':24}" + "".join(f"{c + ' P':>14}{c + ' R':>14}{c + ' F1':>15}" for c in span_cols)
                 + f"{'support':>9}{last + ' F1 95%':>22}")
    first = result["spans"][span_cols[0]]
    for lab in first["per_label"]:
        row = "".join(f"{result['spans'][c]['per_label'][lab][k]:>{w}.2f}" for c in span_cols
                      for k, w in (("precision", 14), ("recall", 14), ("f1", 15)))
        lines.append(f"{lab:24}{row}{first['per_label'][lab]['support']:>9}{_ci(result['spans'][last]['per_label'][lab]):>22}")
    row = "".join(f"{result['spans'][c]['micro'][k]:>{w}.2f}" for c in span_cols
                  for k, w in (("precision", 14), ("recall", 14), ("f1", 15)))
    lines += [f"{'micro':24}{row}{'':>9}{_ci(result['spans'][last]['micro']):>22}", ""]
    if result.get("span_model_labels") is not None:
        lines += [f"span model used for: {', '.join(result['span_model_labels']) or '(no label)'}", ""]
    cols = list(result["context"])
    last = cols[-1]
    lines.append(f"{'context flag (gold spans)':26}" + "".join(f"{c + ' acc':>18}{c + ' F1':>17}" for c in cols)
                 + f"{'support':>9}{last + ' F1 95%':>22}")
    for flag in CONTEXT_FLAGS:
        row = f"{flag:26}" + "".join(f"{result['context'][c][flag]['accuracy']:>18.3f}{result['context'][c][flag]['f1']:>17.3f}" for c in cols)
        lines.append(row + f"{result['context'][cols[0]][flag]['support']:>9}{_ci(result['context'][last][flag]):>22}")
    macro_ci = _ci(result["context"][last], "macro_f1_ci95")
    lines.append(f"{'macro F1':26}" + "".join(f"{'':>18}{result['context'][c]['macro_f1']:>17.3f}" for c in cols)
                 + f"{'':>9}{macro_ci:>22}")
    gains = result.get("gain_ci95", {})
    if gains:
        lines += ["", "rules+model minus rules, 95% bootstrap interval over examples: "
                  + "; ".join(f"{name.replace('_', ' ').replace('f1', 'F1')} {lo:+.3f} to {hi:+.3f}"
                              for name, (lo, hi) in gains.items())]
    fits = {name: result[key] for name, key in (("span model", "span_model_fitted_on"), ("context model", "model_fitted_on"))
            if key in result}
    if fits:
        lines += ["", "models fitted on: " + ", ".join(f"{name} {on}" for name, on in fits.items())]
    return "\n".join(lines)
