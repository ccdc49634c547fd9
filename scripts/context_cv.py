"""5-fold cross-validation of the context model on train + dev, grouped by example.

Used to choose context features: the dev split alone (about 2,000 spans) moves by 0.01 on
a handful of spans, so a feature is kept when it helps here as well as on dev. The model's
hyperparameters are those of the saved model (`models/context_model.skops`); folds are a
hash of the example id, so a run is reproducible. Never reads the test split.

    python scripts/context_cv.py              # as the saved model is (with its trees, if it has them)
    python scripts/context_cv.py --trees off  # the regressions alone
    python scripts/context_cv.py --trees on   # with trees (`BOOST_PARAMS`)
"""

from __future__ import annotations

import argparse
import hashlib

import numpy as np

from pipeline.annotations import corpus
from pipeline.config import CONTEXT_FLAGS, CONTEXT_MODEL
from pipeline.nlp import build_nlp
from pipeline.nlp.context_model import BOOST_PARAMS, ContextClassifier, load_model
from pipeline.training import features_labels_groups, flag_scores

FOLDS = 5


def main() -> None:
    ap = argparse.ArgumentParser(description="5-fold CV of the context model on train + dev.")
    ap.add_argument("--trees", choices=("saved", "on", "off"), default="saved",
                    help="gradient-boosted trees beside the regressions: as the saved model, or on / off")
    args = ap.parse_args()
    nlp = build_nlp()
    saved = load_model(CONTEXT_MODEL)
    params = {**saved.get_params(), "rule_flags": ()}
    if args.trees != "saved":
        params["boost"] = dict(BOOST_PARAMS) if args.trees == "on" else None
    X, y, rules, groups = [], [], [], []
    for split in ("train", "dev"):
        Xs, ys, rs, gs = features_labels_groups(nlp, corpus.load(split))
        X += Xs
        y.append(ys)
        rules.append(rs)
        groups += gs
    y, rules = np.vstack(y), np.vstack(rules)
    fold = np.array([int(hashlib.md5(g.encode()).hexdigest(), 16) % FOLDS for g in groups])
    pred = np.zeros_like(y)
    for k in range(FOLDS):
        train, held = np.where(fold != k)[0], np.where(fold == k)[0]
        model = ContextClassifier(**params)
        model.fit([X[i] for i in train], y[train])
        pred[held] = model.predict([X[i] for i in held])
    print(f"{len(y)} spans from {len(set(groups))} train + dev examples, {FOLDS} folds grouped by example; "
          f"trees {'on' if params['boost'] else 'off'}")
    for name, scores in (("rules", flag_scores(y, rules)), ("rules+model", flag_scores(y, pred))):
        print(f"{name:12s} " + " ".join(f"{f}={scores[f]['f1']:.3f}" for f in CONTEXT_FLAGS)
              + f" macro={scores['macro_f1']:.4f}")


if __name__ == "__main__":
    main()
