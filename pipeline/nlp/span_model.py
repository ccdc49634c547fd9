"""The learned span fallback: `SpanTagger` and the `probation_span_model` component.

The target rules find most spans, but annotators' boundaries and the long tail of
phrasing ("got in staff's face", "+ve coke") escape them. `SpanTagger` is a linear-chain
CRF (python-crfsuite) over BIO tags whose features are the words around each token
**and the rules' own tags**, so it learns where the rules go wrong rather than
starting from nothing. It is trained on the annotations' train split
(`pipeline.training.train_spans`), and it replaces the rules only for the labels where
it beat them on the dev split (`model_labels`, recorded in the model's provenance).

The model file is crfsuite's own binary format (no pickle); its sha256 is checked
against the provenance sidecar before it is opened (`pipeline.artefacts`).
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import pycrfsuite
from sklearn.base import BaseEstimator
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp import _extensions  # noqa: F401
from pipeline.nlp.rulefile import load_rules
from pipeline.nlp.target_matcher import IGNORED

WINDOW = 2
MODEL_RULE_ID = "model:span_tagger"


def bio_tags(doc: Doc, spans) -> list[str]:
    """BIO tag per token for (start_token, end_token, label) triples or Spans."""
    tags = ["O"] * len(doc)
    for s in spans:
        start, end, label = (s.start, s.end, s.label_) if isinstance(s, Span) else s
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def decode_bio(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of each span in BIO tags (an I- without a matching B- starts a span)."""
    spans, start, label = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        kind, _, lab = tag.partition("-")
        if start is not None and (kind != "I" or lab != label):
            spans.append((start, i, label))
            start, label = None, None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, lab
    return spans


def spans_from_tags(doc: Doc, tags: list[str]) -> list[Span]:
    """Decode BIO tags into Spans of `doc`."""
    return [Span(doc, start, end, label=label) for start, end, label in decode_bio(tags)]


GAZETTEER_SKIP = {"det", "num"}  # lexicons of function words: too common to tell anything


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, frozenset[str]]:
    """Word → the `targets.yaml` lexicon lists it appears in ("coke" → {"substance"}), so the
    model knows the rules' vocabulary even where no template matched ("+ve coke")."""
    words: dict[str, set[str]] = {}
    for name, entries in load_rules("targets").get("lexicon", {}).items():
        if name in GAZETTEER_SKIP:
            continue
        for entry in entries:
            parts = str(entry).lower().split()
            for word in parts:  # a word of a longer entry ("co" of "care co") says less than a whole entry
                words.setdefault(word, set()).add(name if len(parts) == 1 else f"{name}:part")
    return {w: frozenset(names) for w, names in words.items()}


def doc_features(doc: Doc) -> list[dict[str, float]]:
    """Features of every token: word, shape, affixes, section, the `targets.yaml` lexicons
    it belongs to, and the rules' tags around it (IGNORE matches included: they keep
    "working relationship" from being a partner). Token attributes are read once into
    lists first: spaCy builds a new Token object on every `doc[i]`."""
    rule = bio_tags(doc, [*doc.ents, *doc.spans.get(IGNORED, [])])  # IGNORE matches never overlap entities
    gaz = gazetteer()
    tokens = list(doc)
    lower = [t.lower_ for t in tokens]
    word = ["<nl>" if t.is_space else w for t, w in zip(tokens, lower)]
    lexicons = [gaz.get(w, ()) for w in lower]
    feats = []
    n = len(doc)
    for i, t in enumerate(tokens):
        w, low = word[i], lower[i]
        f = {
            "bias": 1.0, f"w={w}": 1.0, f"shape={t.shape_[:6]}": 1.0,
            f"suf={low[-3:]}": 1.0, f"pre={low[:3]}": 1.0,
            f"suf4={low[-4:]}": 1.0, f"pre4={low[:4]}": 1.0,
            f"rule={rule[i]}": 1.0, f"section={t._.section}": 1.0,
        }
        for name in lexicons[i]:
            f[f"lex={name}"] = 1.0
        for name in lexicons[i - 1] if i > 0 else ():
            f[f"lex-1={name}"] = 1.0
        for name in lexicons[i + 1] if i + 1 < n else ():
            f[f"lex+1={name}"] = 1.0
        if t.like_num:
            f["num"] = 1.0
        if t.is_punct:
            f["punct"] = 1.0
        if t.is_sent_start:
            f["sent_start"] = 1.0
        if t.is_upper and len(t) > 1:
            f["upper"] = 1.0
        for d in range(1, WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < n:
                    f[f"w{sign}{d}={word[j]}"] = 1.0
                    f[f"rule{sign}{d}={rule[j]}"] = 1.0
                else:
                    f[f"w{sign}{d}=<edge>"] = 1.0
        if i > 0:
            f[f"bi-={word[i - 1]}|{w}"] = 1.0
        if i + 1 < n:
            f[f"bi+={w}|{word[i + 1]}"] = 1.0
        feats.append(f)
    return feats


def max_span_lengths(tag_sequences) -> dict[str, int]:
    """Label → the most tokens any of its spans covers in these BIO sequences."""
    longest: dict[str, int] = {}
    for seq in tag_sequences:
        for start, end, label in decode_bio(seq):
            longest[label] = max(longest.get(label, 0), end - start)
    return longest


class OwnedTagger(pycrfsuite.Tagger):
    """A crfsuite Tagger that holds the model bytes it reads (`model_bytes`). `open_inmemory`
    does not copy them, so a bare Tagger outliving the bytes (a `SpanTagger` collected while its
    tagger, or a bound method of it, is still in use) would read freed memory; here the bytes
    live exactly as long as the Tagger does."""

    @classmethod
    def from_bytes(cls, model_bytes: bytes) -> "OwnedTagger":
        tagger = cls()
        tagger.model_bytes = model_bytes
        tagger.open_inmemory(model_bytes)
        return tagger


class SpanTagger(BaseEstimator):
    """A linear-chain CRF over token feature dicts → BIO tags (scikit-learn estimator API).

    Parameters
    ----------
    c1, c2 : float
        L1 and L2 regularisation of crfsuite's L-BFGS training.
    max_iterations : int
    model_labels : tuple of str
        Labels for which the component uses this model's spans instead of the rules'.

    Attributes
    ----------
    model_bytes_ : bytes
        The trained crfsuite model (its own binary format).
    labels_ : list of str
        The BIO tags seen in training.
    max_lengths_ : dict of str to int
        The longest span of each label in the training tags, in tokens. The component drops
        a model span longer than that: a run-away chain of I- tags ("protecting Kerry-Ann -
        not to contact her ..." as self-harm) is never a span the annotators drew.
    """

    def __init__(self, c1: float = 0.05, c2: float = 0.05, max_iterations: int = 150, model_labels=()):
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.model_labels = model_labels

    def fit(self, X: list[list[dict]], y: list[list[str]]):
        trainer = pycrfsuite.Trainer(verbose=False)
        for xseq, yseq in zip(X, y):
            if xseq:
                trainer.append(xseq, yseq)
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        fd, tmp = tempfile.mkstemp(suffix=".crfsuite")
        os.close(fd)
        try:
            trainer.train(tmp)
            self.model_bytes_ = Path(tmp).read_bytes()
        finally:
            os.unlink(tmp)
        self._tagger = None
        self.labels_ = sorted({tag for seq in y for tag in seq})
        self.max_lengths_ = max_span_lengths(y)
        return self

    @property
    def tagger(self) -> OwnedTagger:
        if getattr(self, "_tagger", None) is None:
            self._tagger = OwnedTagger.from_bytes(self.model_bytes_)
        return self._tagger

    def predict(self, X: list[list[dict]]) -> list[list[str]]:
        return [self.tagger.tag(xseq) if xseq else [] for xseq in X]

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.model_bytes_)

    @classmethod
    def load(cls, path: str | Path) -> "SpanTagger":
        """Verify the file against its provenance sidecar, then open it (crfsuite format, no pickle)."""
        from pipeline.artefacts import verify

        meta = verify(path)
        model = cls(**{k: meta[k] for k in ("c1", "c2", "max_iterations") if k in meta},
                    model_labels=tuple(meta.get("model_labels", ())))
        model.model_bytes_ = Path(path).read_bytes()
        model._tagger = None
        model.labels_ = sorted(model.tagger.labels())
        model.max_lengths_ = {str(k): int(v) for k, v in meta.get("max_lengths", {}).items()}
        return model


@Language.factory("probation_span_model", default_config={"model_path": None})
def make_span_model(nlp: Language, name: str, model_path: str | None):
    kinds = nlp.get_pipe("probation_target_matcher") if "probation_target_matcher" in nlp.pipe_names else None
    return SpanModelComponent(SpanTagger.load(model_path) if model_path else None, kinds)


class SpanModelComponent:
    """For the model's labels, replace the rules' spans with the tagger's.

    Runs right after `probation_target_matcher`. Spans of the other labels stay as the
    rules found them; where a model span overlaps one, the model span wins (it saw the
    rule's tag among its features). A model span never covers a rules' IGNORE match
    ("working relationship", "drug test"). A model span that is exactly a rule's span (same
    tokens, same label) keeps that rule's id and kind, so the finding still says which rule
    fired; the others carry `rule_id = "model:span_tagger"` and the kind the target rules'
    `kinds` table gives their text.
    """

    def __init__(self, model: SpanTagger | None, kinds=None):
        self.model = model
        self.kinds = kinds

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None or not self.model.model_labels or not len(doc):
            return doc
        return self.apply(doc, self.model.predict([doc_features(doc)])[0], self.model.model_labels,
                          self.model.max_lengths_)

    def apply(self, doc: Doc, tags: list[str], model_labels, max_lengths: dict[str, int] | None = None) -> Doc:
        """Put the tagger's spans (from `tags`) in place of the rules' for `model_labels`;
        a model span longer than `max_lengths` allows for its label is dropped, and the rules'
        spans of that label under it are kept."""
        labels = set(model_labels)
        protected = {i for s in doc.spans.get(IGNORED, []) for i in range(s.start, s.end)}
        limits = max_lengths or {}
        candidates = [s for s in spans_from_tags(doc, tags)
                      if s.label_ in labels and protected.isdisjoint(range(s.start, s.end))]
        fits = [len(s) <= limits.get(s.label_, len(s)) for s in candidates]
        model_spans = [s for s, ok in zip(candidates, fits)
                       if ok and (self.kinds is None or self.kinds.model_span_allowed(s))]
        # where a span was dropped as too long, the rules' spans of its label under it stand:
        # "[[exclusion zone]] - not to enter Hessle Road between ..." run on past any trained length
        too_long = {(i, s.label_) for s, ok in zip(candidates, fits) if not ok for i in range(s.start, s.end)}
        agreed = {(e.start, e.end, e.label_): (e._.rule_id, e._.kind) for e in doc.ents if e.label_ in labels}
        rule_spans = [e for e in doc.ents if e.label_ not in labels
                      or all((i, e.label_) in too_long for i in range(e.start, e.end))]
        taken = {i for s in model_spans for i in range(s.start, s.end)}
        keep = [(e, e._.rule_id, e._.kind) for e in rule_spans if taken.isdisjoint(range(e.start, e.end))]
        new = [(s, *agreed.get((s.start, s.end, s.label_),
                               (MODEL_RULE_ID, self.kinds.kind_of(s) if self.kinds else None)))
               for s in model_spans]
        final = sorted(keep + new, key=lambda x: x[0].start)
        if self.kinds is not None:  # the target matcher: a worker's name after a contact is part of it
            final = self.kinds.with_names(doc, final)
        doc.ents = [s for s, _, _ in final]
        for span, rid, kind in final:
            span._.rule_id = rid
            span._.kind = kind
        return doc
