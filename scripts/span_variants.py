"""Variants of the span model, each fitted on train and scored (rules + it) on dev.

Session 20 asked whether the CRF could still move MENTAL_HEALTH_RESPONSE and AGENCY_CONTACT
with a change of model rather than more examples. Each variant is one fit with the shipped
model's regularisation; as in `train_spans`, it takes over the labels where it beats the
rules on dev. Never reads the test split. About 5 to 10 minutes a fit on one core (the
stacked variant makes four fits, the gate none: it reads the shipped train-only fit).

    python scripts/span_variants.py base wide iter400 ap oversample stack gate

- base: the shipped features and settings (the figure the others are compared with);
- wide: also the lexicons of the words 3 to 5 away in the sentence, and the words 3 away;
- iter400: 400 L-BFGS iterations instead of 150;
- ap: crfsuite's averaged perceptron (30 epochs) instead of L-BFGS;
- oversample: the train examples holding either watched label counted twice;
- stack: a second CRF that also reads the first one's tags nearby and the labels it found
  elsewhere in the sentence (the first pass on train from 3-fold fits, on dev the full fit);
- gate: the shipped train-only fit, its spans kept only where the lowest marginal of their
  tags (and of the tag after them) reaches a threshold, else the rules' spans stand.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pycrfsuite

from pipeline.annotations import corpus
from pipeline.annotations.markup import LABELS
from pipeline.config import SPAN_MODEL
from pipeline.nlp import build_nlp
from pipeline.nlp.span_model import SpanModelComponent, SpanTagger, decode_bio, doc_features, gazetteer, max_span_lengths
from pipeline.training import combined_sets_from_tags, gold_sets, rule_docs, span_examples, span_scores, span_sets, unseen_by_dev

WATCH = ("MENTAL_HEALTH_RESPONSE", "AGENCY_CONTACT", "AGENCY")
FOLDS = 3
GATES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def wide_features(doc, feats):
    """Add the lexicons of the words 3 to 5 away (same sentence) and the words 3 away."""
    gaz = gazetteer()
    lower = [t.lower_ for t in doc]
    sent = [t.sent.start for t in doc]
    for i, f in enumerate(feats):
        for d in (3, 4, 5):
            for side, j in (("L", i - d), ("R", i + d)):
                if 0 <= j < len(doc) and sent[j] == sent[i]:
                    for name in gaz.get(lower[j], ()):
                        if not name.endswith(":part"):
                            f[f"lex{side}={name}"] = 1.0
        for sign, j in (("-", i - 3), ("+", i + 3)):
            if 0 <= j < len(doc):
                f[f"w{sign}3={lower[j]}"] = 1.0
    return feats


def stacked_features(doc, feats, tags):
    """Add the first pass's tags at and near each token and the labels it found elsewhere in the sentence."""
    feats = [dict(f) for f in feats]
    spans = decode_bio(tags)
    sent = [t.sent.start for t in doc]
    for i, f in enumerate(feats):
        f[f"p1={tags[i]}"] = 1.0
        for d in (1, 2):
            f[f"p1-{d}={tags[i - d] if i - d >= 0 else '<e>'}"] = 1.0
            f[f"p1+{d}={tags[i + d] if i + d < len(tags) else '<e>'}"] = 1.0
        before = [lab for s, e, lab in spans if e <= i and sent[s] == sent[i]]
        after = [lab for s, e, lab in spans if s > i and sent[s] == sent[i]]
        if before:
            f[f"p1prev={before[-1]}"] = 1.0
        if after:
            f[f"p1next={after[0]}"] = 1.0
        for lab in set(before) | set(after):
            f[f"p1sent={lab}"] = 1.0
    return feats


def perceptron(X, y, epochs: int = 30) -> SpanTagger:
    trainer = pycrfsuite.Trainer(algorithm="ap", verbose=False)
    for xseq, yseq in zip(X, y):
        if xseq:
            trainer.append(xseq, yseq)
    trainer.set_params({"max_iterations": epochs, "feature.possible_transitions": True})
    fd, tmp = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(tmp)
        model = SpanTagger()
        model.model_bytes_, model._tagger = Path(tmp).read_bytes(), None
    finally:
        os.unlink(tmp)
    model.labels_, model.max_lengths_ = sorted({t for seq in y for t in seq}), max_span_lengths(y)
    return model


def score(name, dev_docs, dev_gold, rules, tags, max_lengths, kinds, labels=None) -> None:
    """Rules + the variant on dev, with the labels it beats the rules on (or `labels`)."""
    if labels is None:
        alone = span_scores(dev_gold, combined_sets_from_tags(dev_docs, tags, LABELS, kinds, max_lengths))
        labels = tuple(lab for lab in LABELS if alone["per_label"][lab]["f1"] > rules["per_label"][lab]["f1"])
    scores = span_scores(dev_gold, combined_sets_from_tags(dev_docs, tags, labels, kinds, max_lengths))
    print(f"{name:14s} dev micro F1={scores['micro']['f1']:.4f} "
          + " ".join(f"{lab}={scores['per_label'][lab]['f1']:.3f}" for lab in WATCH), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("variants", nargs="+", choices=("base", "wide", "iter400", "ap", "oversample", "stack", "gate"))
    args = ap.parse_args()
    nlp = build_nlp()
    kinds = nlp.get_pipe("probation_target_matcher")
    shipped = SpanTagger.load(unseen_by_dev(SPAN_MODEL))
    train, dev = corpus.load("train"), corpus.load("dev")
    train_docs, dev_docs, dev_gold = rule_docs(nlp, train), rule_docs(nlp, dev), gold_sets(dev)
    X, y = span_examples(train_docs, train)
    dev_X = [doc_features(d) for d in dev_docs]
    rules = span_scores(dev_gold, [span_sets(d) for d in dev_docs])
    settings = dict(c1=shipped.c1, c2=shipped.c2)
    for variant in args.variants:
        if variant == "gate":
            tagger = shipped.tagger
            for threshold in GATES:
                component, tags_all = SpanModelComponent(None, kinds), []
                for doc, feats in zip(dev_docs, dev_X):
                    tags = tagger.tag(feats) if feats else []
                    kept = list(tags)
                    for s, e, _ in decode_bio(tags):
                        sure = min([tagger.marginal(tags[t], t) for t in range(s, e)]
                                   + ([tagger.marginal(tags[e], e)] if e < len(tags) else []))
                        if sure < threshold:
                            kept[s:e] = ["O"] * (e - s)
                    tags_all.append(kept)
                score(f"gate {threshold}", dev_docs, dev_gold, rules, tags_all, shipped.max_lengths_, kinds,
                      labels=shipped.model_labels)
            continue
        if variant == "wide":
            Xv, dev_Xv = [wide_features(d, [dict(f) for f in x]) for d, x in zip(train_docs, X)], \
                         [wide_features(d, [dict(f) for f in x]) for d, x in zip(dev_docs, dev_X)]
        else:
            Xv, dev_Xv = X, dev_X
        yv = y
        if variant == "oversample":
            watched = {f"B-{lab}" for lab in WATCH[:2]}
            extra = [k for k, seq in enumerate(y) if watched & set(seq)]
            Xv, yv = X + [X[k] for k in extra], y + [y[k] for k in extra]
        if variant == "ap":
            model = perceptron(Xv, yv)
        elif variant == "stack":
            first = [None] * len(X)
            for k in range(FOLDS):
                fold = [i for i in range(len(X)) if i % FOLDS != k]
                part = SpanTagger(**settings).fit([X[i] for i in fold], [y[i] for i in fold])
                for i in range(k, len(X), FOLDS):
                    first[i] = part.predict([X[i]])[0]
            Xv = [stacked_features(d, x, t) for d, x, t in zip(train_docs, X, first)]
            dev_Xv = [stacked_features(d, x, t) for d, x, t in zip(dev_docs, dev_X, shipped.predict(dev_X))]
            model = SpanTagger(**settings).fit(Xv, yv)
        else:
            model = SpanTagger(**settings, max_iterations=400 if variant == "iter400" else 150).fit(Xv, yv)
        score(variant, dev_docs, dev_gold, rules, model.predict(dev_Xv), model.max_lengths_, kinds)


if __name__ == "__main__":
    main()
