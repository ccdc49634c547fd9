"""The learned context fallback: `ContextClassifier` and the `probation_context_model` component.

Rules are good at negation and weak at planned / historical / other-person context.
The classifier takes, for each target span, the rule flags and rule ids that fired, the
nearest context cues whether they fired or not, the words around the span (within its
sentence) and, weakly, the words of the sentences before and after it, and predicts the
five flags.
Trained on `annotations/` (see `pipeline/training.py`); combined with the rules by
construction, since the rules' output is among its features.

Saved with skops (no pickle); the file's sha256 is checked against its provenance
sidecar before loading (`pipeline.artefacts`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import CONTEXT_FLAGS
from pipeline.nlp import _extensions  # noqa: F401

LEFT, RIGHT = 8, 6
LABEL_LEFT, LABEL_RIGHT = 6, 2  # window words also paired with the span's label (5-fold CV on train + dev)
NEIGHBOUR_WEIGHT = 0.5  # the words of the sentences before and after (5-fold CV: 0.3, 0.5, 0.7, 1.0 tried)
YEAR = re.compile(r"(19[6-9]\d|20[0-3]\d)")
WHO, WHO_FLAG = "who:", "other_person"  # features with this prefix feed only this flag's regression
BOOST_MIN_COUNT = 3  # the trees read features seen at least this often in training
# fixed LightGBM settings: quiet, reproducible (one seed, deterministic histograms)
BOOST_FIXED = {"verbose": -1, "random_state": 0, "deterministic": True, "force_row_wise": True, "n_jobs": 2}
# chosen by 5-fold CV on train + dev (`scripts/context_cv.py`): 1,500 trees of 31 leaves at a
# learning rate of 0.05, each tree on 30% of the features and 80% of the spans. Macro F1 of the
# mean with the regressions: 400 trees 0.8706, 800 0.8751, 1,500 0.8780 (regressions alone 0.8634)
BOOST_PARAMS = {"n_estimators": 1500, "learning_rate": 0.05, "num_leaves": 31, "min_child_samples": 10,
                "colsample_bytree": 0.3, "subsample": 0.8, "subsample_freq": 1}


@lru_cache(maxsize=1)
def who_words() -> dict[str, str]:
    """Person word → "pop" or "other" (`who` in rules/context.yaml)."""
    from pipeline.nlp.rulefile import load_rules

    return {str(w).lower(): side for side, words in load_rules("context").get("who", {}).items() for w in words}


@lru_cache(maxsize=1)
def pronoun_rules() -> tuple[dict[str, str], re.Pattern]:
    """Pronoun → "he" or "she", and the pattern that names the PoP a woman (`pop_pronoun` in
    rules/context.yaml)."""
    from pipeline.nlp.rulefile import load_rules

    rules = load_rules("context")["pop_pronoun"]
    pronouns = {str(w).lower(): side for side in ("he", "she") for w in rules[side]}
    return pronouns, re.compile("|".join(f"(?:{r})" for r in rules["she_regex"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def pop_pronoun(doc: Doc) -> str:
    """"she" where the note names the PoP a woman ("Female PoP") or uses she/her more than
    he/him/his; else "he". Read once per note: the spans of a note come one after another
    (a Doc hashes by identity, and the cache holds only the last note, in memory)."""
    pronouns, she = pronoun_rules()
    if she.search(doc.text):
        return "she"
    counts = {"he": 0, "she": 0}
    for t in doc:
        side = pronouns.get(t.lower_)
        if side:
            counts[side] += 1
    return "she" if counts["she"] > counts["he"] else "he"


def who_features(ent: Span, sent: Span | None = None) -> dict[str, float]:
    """The person word nearest the span on each side within its sentence (`sent`, found if
    not given), and whether it is the PoP or someone else: "Partner was [[drunk]]" against
    "he says partner was ...". Then the nearest he/she pronoun on each side, and whether it is
    the PoP's own (`pop_pronoun`, read from the whole note): "She smelt of [[drink]]" is
    someone else in a note about him."""
    doc, sent, words = ent.doc, sent if sent is not None else ent.sent, who_words()
    pronouns, _ = pronoun_rules()
    pop = pop_pronoun(doc)
    f: dict[str, float] = {}
    for side, tokens in (("L", doc[sent.start:ent.start]), ("R", doc[ent.end:sent.end])):
        tokens = list(tokens)
        for t in reversed(tokens) if side == "L" else tokens:
            who = words.get(t.lower_)
            if who:
                f[f"{WHO}{side}={who}"] = f[f"{WHO}{side}w={t.lower_}"] = 1.0
                f[f"{WHO}{side}={who}|{ent.label_}"] = 1.0
                break
        for t in reversed(tokens) if side == "L" else tokens:
            if t.lower_ in pronouns:
                whose = "pop" if pronouns[t.lower_] == pop else "other"
                f[f"{WHO}{side}pron={whose}"] = f[f"{WHO}{side}pron={whose}|{ent.label_}"] = 1.0
                break
    return f


def span_features(ent: Span) -> dict[str, float]:
    """Features of one target span: label, rule output, words around it, section."""
    doc, sent = ent.doc, ent.sent
    f: dict[str, float] = {f"label={ent.label_}": 1.0}
    for flag in CONTEXT_FLAGS:
        if getattr(ent._, flag):
            f[f"rule:{flag}"] = 1.0
            f[f"rule:{flag}|{ent.label_}"] = 1.0
    for rid in ent._.context_rules or []:
        f[f"ctx={rid}"] = 1.0
    left = [t for t in doc[max(sent.start, ent.start - LEFT):ent.start] if not t.is_space]
    right = [t for t in doc[ent.end:min(sent.end, ent.end + RIGHT)] if not t.is_space]
    # a semicolon ends the clause: "not to contact him directly or indirectly; [[exclusion zone]]"
    # does not take the "or" of a negated list (5-fold CV on train + dev: macro F1 0.8551 → 0.8556)
    semicolon = max((i for i, t in enumerate(left) if t.text == ";"), default=-1)
    if semicolon >= 0:
        left = left[semicolon + 1:]
        f["L_semicolon"] = 1.0
    for i, t in enumerate(reversed(left), 1):
        w = t.lower_
        f[f"L={w}"] = 1.0
        if i <= 3:
            f[f"L{i}={w}"] = 1.0
    for i, t in enumerate(right, 1):
        w = t.lower_
        f[f"R={w}"] = 1.0
        if i <= 3:
            f[f"R{i}={w}"] = 1.0
    # the nearest words again, paired with the label: "his" before SUBSTANCE_USE ("his drinking")
    # and before AGENCY ("his social worker") says different things about who and whether
    for t in left[-LABEL_LEFT:]:
        f[f"L={t.lower_}|{ent.label_}"] = 1.0
    for t in right[:LABEL_RIGHT]:
        f[f"R={t.lower_}|{ent.label_}"] = 1.0
    if len(left) >= 2:
        f[f"Lbi={left[-2].lower_}_{left[-1].lower_}"] = 1.0
    if len(right) >= 2:
        f[f"Rbi={right[0].lower_}_{right[1].lower_}"] = 1.0
    for t in ent:
        f[f"T={t.lower_}"] = 1.0
    f[f"section={doc[ent.start]._.section}"] = 1.0
    if sent.text.rstrip().endswith("?"):
        f["sent_question"] = 1.0
    # the rest of the sentence, more weakly: time expressions and cues beyond the window
    for t in sent:
        if t.i < ent.start - LEFT or t.i >= ent.end + RIGHT:
            f[f"S={t.lower_}"] = 0.5
        if YEAR.fullmatch(t.text):
            f["sent_year"] = 1.0
            f[f"year_{'before' if t.i < ent.start else 'after'}"] = 1.0
    for t in left:
        if t.lower_.endswith("ed") and len(t) > 3:
            f["L_past_ed"] = 1.0
    f.update(who_features(ent, sent))
    f.update(cue_features(ent))
    f.update(neighbour_features(sent))
    return f


def neighbour_features(sent: Span) -> dict[str, float]:
    """The words of the sentence before (`P=`) and after (`N=`), weakly: a note often says
    who and when one sentence away ("Spoke to mum. She has been [[drinking]] since ...",
    "The index offence was in 2019. He was [[drunk]]"). 5-fold CV on train + dev: macro F1
    0.8584 → 0.8647, other person 0.796 → 0.816."""
    doc, f = sent.doc, {}
    for prefix, i in (("P", sent.start - 1), ("N", sent.end)):
        if not 0 <= i < len(doc):
            continue
        for t in doc[i].sent:
            if YEAR.fullmatch(t.text):
                f[f"{prefix}_year"] = 1.0
            if not (t.is_punct or t.is_space):
                f[f"{prefix}={t.lower_}"] = NEIGHBOUR_WEIGHT
    return f


def _gap(n: int) -> str:
    return "0" if n == 0 else "1-2" if n <= 2 else "3-5" if n <= 5 else "6+"


def cue_features(ent: Span) -> dict[str, float]:
    """The nearest context cue of each category on each side (`span._.context_cues`, set by
    the rules whether or not the cue reached the span): how far, and whether punctuation
    stands between. Lets the model learn the reach the rules' fixed scopes get wrong."""
    f: dict[str, float] = {}
    for category, side, gap, barriers in ent._.context_cues or []:
        f[f"cue={category}|{side}|{_gap(gap)}|b={min(barriers, 1)}"] = 1.0
        f[f"cue={category}|{side}|{ent.label_}"] = 1.0
    return f


class ContextClassifier(ClassifierMixin, BaseEstimator):
    """One logistic regression per context flag over `span_features` dicts. The `who:`
    features (the nearest person word, `who_features`) are given to the other-person
    regression only: on cross-validation they helped it and added noise to the others.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of each logistic regression.
    class_weight : dict, "balanced" or None
        Passed to each logistic regression.

    Attributes
    ----------
    vectorizer_ : DictVectorizer
    coefs_ : ndarray of shape (n_flags, n_features)
    intercepts_ : ndarray of shape (n_flags,)
    flags_ : list of str
    rule_flags : tuple of str
        Flags for which the rules' own decision is kept (set where the model did not
        beat the rules on the dev split; see `pipeline.training.train_context`).
    flag_params : dict or None
        Per flag, overrides of ``C`` and ``class_weight`` (``{"historical": {"C": 30.0,
        "class_weight": None}}``): the flags are separate regressions and need not share them.
    boost : dict or None
        If given, LightGBM parameters: each flag also gets gradient-boosted trees over the same
        features (those seen at least `BOOST_MIN_COUNT` times in training), and its probability
        is the mean of the regression's and the trees' (weighted by ``boost_weight``). The trees
        read every feature (the `who:` ones included) and can use combinations of features,
        which the regressions cannot. 5-fold CV on train + dev (`scripts/context_cv.py`): macro
        F1 0.8634 → 0.8780, negation 0.938 → 0.946, other person 0.818 → 0.844.
    boost_weight : float
        Weight of the trees' probability in the mean.

    Attributes
    ----------
    boosters_ : list of lightgbm.Booster or None
        One per flag (None for a flag with one class in training), when ``boost`` is set;
        saved as LightGBM's own text format, not pickle.
    boost_columns_ : ndarray of int
        The vectorizer's columns the trees read.
    """

    def __init__(self, C: float = 1.0, class_weight=None, rule_flags=(), flag_params=None,
                 boost=None, boost_weight: float = 0.5):
        self.C = C
        self.class_weight = class_weight
        self.rule_flags = rule_flags
        self.flag_params = flag_params
        self.boost = boost
        self.boost_weight = boost_weight

    def fit(self, X: list[dict], y):
        y = np.asarray(y, dtype=int)
        self.flags_ = list(CONTEXT_FLAGS)
        self.vectorizer_ = DictVectorizer()
        Xv = self.vectorizer_.fit_transform(X)
        who = np.array([name.startswith(WHO) for name in self.vectorizer_.get_feature_names_out()], dtype=bool)
        coefs, intercepts = [], []
        for j in range(y.shape[1]):
            col = y[:, j]
            if col.min() == col.max():  # one class only: a constant decision
                coefs.append(np.zeros(Xv.shape[1]))
                intercepts.append(10.0 if col[0] else -10.0)
                continue
            own = (self.flag_params or {}).get(self.flags_[j], {})
            keep = np.ones(Xv.shape[1], dtype=bool) if self.flags_[j] == WHO_FLAG else ~who
            lr = LogisticRegression(C=own.get("C", self.C), class_weight=own.get("class_weight", self.class_weight),
                                    max_iter=2000).fit(Xv[:, keep], col)
            coef = np.zeros(Xv.shape[1])
            coef[keep] = lr.coef_[0]
            coefs.append(coef)
            intercepts.append(lr.intercept_[0])
        self.coefs_ = np.vstack(coefs)
        self.intercepts_ = np.asarray(intercepts)
        self.classes_ = np.array([0, 1])
        self.boosters_, self.boost_columns_ = None, None
        if self.boost:
            self._fit_boosters(Xv, y)
        return self

    def _fit_boosters(self, Xv, y) -> None:
        import lightgbm

        counts = np.asarray((Xv != 0).sum(axis=0)).ravel()
        self.boost_columns_ = np.flatnonzero(counts >= BOOST_MIN_COUNT)
        Xb = self._tree_input(Xv)
        self.boosters_ = []
        for j in range(y.shape[1]):
            col = y[:, j]
            if col.min() == col.max():
                self.boosters_.append(None)
                continue
            model = lightgbm.LGBMClassifier(**{**BOOST_FIXED, **self.boost}).fit(Xb, col)
            self.boosters_.append(model.booster_)

    def __getstate__(self):
        """Save the fitted vocabulary as one array of feature names instead of the fitted
        DictVectorizer: skops writes a dict entry by entry into its JSON schema, which made the
        file 56 MB for 66,000 features (and every retrain another blob in git)."""
        state = dict(super().__getstate__())
        vectorizer = state.pop("vectorizer_", None)
        if vectorizer is not None:
            state["feature_names_"] = np.asarray(vectorizer.feature_names_, dtype=str)
        boosters = state.pop("boosters_", None)
        if boosters is not None:  # LightGBM's own text format; "" for a flag without trees
            state["booster_texts_"] = [b.model_to_string() if b is not None else "" for b in boosters]
        return state

    def __setstate__(self, state):
        state = dict(state)
        names = state.pop("feature_names_", None)
        texts = state.pop("booster_texts_", None)
        state.setdefault("boost", None)  # files saved before the trees
        state.setdefault("boost_weight", 0.5)
        super().__setstate__(state)
        if texts is not None:
            import lightgbm

            self.boosters_ = [lightgbm.Booster(model_str=t) if t else None for t in texts]
        if names is not None:  # files saved before this format hold the DictVectorizer itself
            vectorizer = DictVectorizer()
            vectorizer.feature_names_ = [str(n) for n in names]
            vectorizer.vocabulary_ = {n: i for i, n in enumerate(vectorizer.feature_names_)}
            self.vectorizer_ = vectorizer

    def decision_function(self, X: list[dict]) -> np.ndarray:
        """The regressions' scores (log-odds), shape (n_samples, n_flags); the trees, if any,
        come in only in `predict_proba`."""
        return self._log_odds(self.vectorizer_.transform(X))

    def _log_odds(self, Xv) -> np.ndarray:
        return np.asarray(Xv @ self.coefs_.T) + self.intercepts_

    def _tree_input(self, Xv):
        """The columns the trees read, as LightGBM is given them in training and prediction alike."""
        return Xv[:, self.boost_columns_].astype(np.float32).tocsr()

    def predict_proba(self, X: list[dict]) -> np.ndarray:
        """Probability of each flag being set, shape (n_samples, n_flags)."""
        Xv = self.vectorizer_.transform(X)
        linear = 1.0 / (1.0 + np.exp(-self._log_odds(Xv)))
        if not getattr(self, "boosters_", None):
            return linear
        return (1 - self.boost_weight) * linear + self.boost_weight * self._trees(Xv, linear)

    def tree_proba(self, X: list[dict]) -> np.ndarray | None:
        """The trees' own probability of each flag (the regression's for a flag without trees),
        shape (n_samples, n_flags); None for a model without trees."""
        if not getattr(self, "boosters_", None):
            return None
        Xv = self.vectorizer_.transform(X)
        return self._trees(Xv, 1.0 / (1.0 + np.exp(-self._log_odds(Xv))))

    def _trees(self, Xv, linear) -> np.ndarray:
        Xb = self._tree_input(Xv)
        return np.column_stack([b.predict(Xb, num_threads=1) if b is not None else linear[:, j]
                                for j, b in enumerate(self.boosters_)])

    def take_trees(self, source: "ContextClassifier") -> "ContextClassifier":
        """Give this fitted model the trees of `source`, a model fitted with trees on the same
        rows. The trees depend on neither C nor the class weights, so a settings search can fit
        them once and try them beside each regression (`pipeline.training.train_context`)."""
        if list(self.vectorizer_.feature_names_) != list(source.vectorizer_.feature_names_):
            raise ValueError("the two models were not fitted on the same features")
        if not getattr(source, "boosters_", None):
            raise ValueError("the source model has no trees")
        self.boost, self.boost_weight = dict(source.boost), source.boost_weight
        self.boosters_, self.boost_columns_ = source.boosters_, source.boost_columns_
        return self

    def predict(self, X: list[dict]) -> np.ndarray:
        pred = (self.predict_proba(X) >= 0.5).astype(int)
        for j, flag in enumerate(self.flags_):
            if flag in getattr(self, "rule_flags", ()):
                pred[:, j] = [int(f"rule:{flag}" in x) for x in X]
        return pred


@Language.factory("probation_context_model", default_config={"model_path": None, "rules": "context"})
def make_context_model(nlp: Language, name: str, model_path: str | None, rules: str):
    return ContextModelComponent(load_model(model_path) if model_path else None, authoritative_rules(rules))


def authoritative_rules(rules: str = "context") -> dict[str, str]:
    """Rule id → flag, for the context rules and sections marked `authoritative: true`."""
    from pipeline.nlp.rulefile import load_rules

    data = load_rules(rules)
    out = {r["id"]: data["categories"][r["category"]] for r in data.get("rules", [])
           if r.get("authoritative") and r.get("category") in data.get("categories", {})}
    out.update({s["id"]: s["flag"] for s in data.get("sections", []) if s.get("authoritative") and s.get("flag")})
    return out


class ContextModelComponent:
    """Replace the rule flags with the classifier's (which saw the rule flags), except the
    flags set by `authoritative` rules (rule id → flag), which stay on."""

    def __init__(self, model: ContextClassifier | None, authoritative: dict[str, str] | None = None):
        self.model = model
        self.authoritative = authoritative or {}

    def __call__(self, doc: Doc) -> Doc:
        self._apply([doc])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        """As `__call__`, one prediction per batch of docs (the trees' per-call cost is not
        paid per note)."""
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            self._apply(batch)
            yield from batch

    def _apply(self, docs) -> None:
        if self.model is None:
            return
        ents = [ent for doc in docs for ent in doc.ents]
        if not ents:
            return
        for ent in ents:
            if ent._.context_rules is None:
                ent._.context_rules = []
        pred = self.model.predict([span_features(e) for e in ents])
        for ent, row in zip(ents, pred):
            kept = {self.authoritative[r] for r in ent._.context_rules if r in self.authoritative}
            for flag, value in zip(self.model.flags_, row):
                value = value or flag in kept
                if bool(value) != bool(getattr(ent._, flag)):
                    ent._.context_rules = [*ent._.context_rules, f"model:{flag}={'on' if value else 'off'}"]
                setattr(ent._, flag, bool(value))


TRUSTED_TYPES = {
    "pipeline.nlp.context_model.ContextClassifier",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "builtins.float", "builtins.int", "builtins.str", "builtins.list", "builtins.dict", "builtins.tuple",
    "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray",
}


def save_model(model: ContextClassifier, path) -> None:
    import zipfile

    import skops.io as sio

    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED)


def load_model(path) -> ContextClassifier:
    """Verify the file's hash against its provenance, then load with an explicit type allowlist."""
    import skops.io as sio

    from pipeline.artefacts import ArtefactError, verify

    verify(path)
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - TRUSTED_TYPES)
    if unexpected:
        raise ArtefactError(f"{path}: unexpected types in model file: {unexpected}")
    return sio.load(path, trusted=untrusted)
