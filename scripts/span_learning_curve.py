"""Learning curve of the span model: fit it on a share of the train split, score rules + it on dev.

Each share is a fixed subset of train (a hash of the example id below the share), fitted
with the shipped model's regularisation and scored with its labels, so the only thing that
changes is how many examples it learns from. A curve still rising at 100% says more
examples help: the reason the shipped models are refitted on train + dev once chosen.
Never reads the test split; each fit takes about 5 minutes on one core.

    python scripts/span_learning_curve.py [--shares 0.6 0.8 1.0]
"""

from __future__ import annotations

import argparse
import hashlib

from pipeline.annotations import corpus
from pipeline.config import SPAN_MODEL
from pipeline.nlp import build_nlp
from pipeline.nlp.span_model import SpanTagger, doc_features
from pipeline.training import combined_sets_from_tags, gold_sets, rule_docs, span_examples, span_scores, unseen_by_dev

WATCH = ("AGGRESSION", "AGENCY", "SUBSTANCE_RESPONSE", "MENTAL_HEALTH_RESPONSE", "AGENCY_CONTACT")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shares", type=float, nargs="+", default=[0.6, 0.8, 1.0])
    args = ap.parse_args()
    nlp = build_nlp()
    kinds = nlp.get_pipe("probation_target_matcher")
    shipped = SpanTagger.load(unseen_by_dev(SPAN_MODEL))
    train, dev = corpus.load("train"), corpus.load("dev")
    dev_docs, dev_gold = rule_docs(nlp, dev), gold_sets(dev)
    dev_features = [doc_features(d) for d in dev_docs]
    for share in args.shares:
        part = [r for r in train if int(hashlib.md5(r["meta"]["id"].encode()).hexdigest(), 16) % 100 < share * 100]
        X, y = span_examples(rule_docs(nlp, part), part)
        model = SpanTagger(c1=shipped.c1, c2=shipped.c2, max_iterations=shipped.max_iterations).fit(X, y)
        tags = model.predict(dev_features)
        scores = span_scores(dev_gold, combined_sets_from_tags(dev_docs, tags, shipped.model_labels, kinds,
                                                               model.max_lengths_))
        print(f"share={share:.2f} train examples={len(part)} dev micro F1={scores['micro']['f1']:.4f} "
              + " ".join(f"{lab}={scores['per_label'][lab]['f1']:.3f}" for lab in WATCH), flush=True)


if __name__ == "__main__":
    main()
