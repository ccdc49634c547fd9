"""The spaCy pipeline: `spacy.blank("en")` plus the project's registered components.

    probation_sentencizer → probation_sectionizer → probation_target_matcher
    → probation_span_model (learned, optional) → probation_context (rules)
    → probation_context_model (learned, optional)
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp import _extensions  # noqa: F401
from pipeline.nlp import context, context_model, sectionizer, sentencizer, span_model, target_matcher  # noqa: F401  (factories)


QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u00a0": " "})


class NormalisingTokenizer:
    """Curly quotes, en dashes and non-breaking spaces → ASCII before tokenising.

    One character for one, so offsets into the original note stay valid.
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        return self.tokenizer(text.translate(QUOTES))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def build_nlp(context_model_path: str | Path | None = None, span_model_path: str | Path | None = None) -> Language:
    """Assemble the pipeline. With model paths, the learned span tagger runs after the
    target rules and the learned context model runs last."""
    nlp = spacy.blank("en")
    nlp.tokenizer = NormalisingTokenizer(nlp.tokenizer)
    nlp.add_pipe("probation_sentencizer")
    nlp.add_pipe("probation_sectionizer")
    nlp.add_pipe("probation_target_matcher")
    if span_model_path and Path(span_model_path).exists():
        nlp.add_pipe("probation_span_model", config={"model_path": str(span_model_path)})
    nlp.add_pipe("probation_context")
    if context_model_path and Path(context_model_path).exists():
        nlp.add_pipe("probation_context_model", config={"model_path": str(context_model_path)})
    return nlp


_BUILD_LOCK = threading.Lock()


def cached_nlp(context_model_path: str | None = None, span_model_path: str | None = None) -> Language:
    """One pipeline per process (tasks in the same worker reuse it); threads that ask at
    the same time wait for the one build instead of each building their own."""
    with _BUILD_LOCK:
        return _cached_nlp(context_model_path, span_model_path)


@lru_cache(maxsize=4)
def _cached_nlp(context_model_path: str | None, span_model_path: str | None) -> Language:
    return build_nlp(context_model_path, span_model_path)


cached_nlp.cache_info = _cached_nlp.cache_info  # how many builds a worker made (tests/test_flows.py)
