"""Extraction throughput, as ratios against a baseline measured in the same run.

Baseline: spaCy's blank English tokenizer alone (`nlp.pipe` over the same notes).
Measured: the rule pipeline, and the rule pipeline plus the context model.
The sample notes are repeated to --notes notes. Machines are shared and noisy: read the
ratios, not the absolute numbers. Not part of the test suite.

    python benchmarks/bench_pipeline.py [--notes 5000] [--repeats 3] [--compare-context OTHER.skops]

`--compare-context` adds a row for another context-model file (with its .meta.json beside it),
to compare two context models in the same run.
"""

from __future__ import annotations

import argparse
import resource
import time

import spacy

from pipeline.config import CONTEXT_MODEL, SAMPLE_DIR, SPAN_MODEL
from pipeline.ingest import load_contacts
from pipeline.nlp import build_nlp


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--compare-context", default=None, help="another context-model file, for a row of its own")
    args = parser.parse_args()
    contacts, _ = load_contacts(SAMPLE_DIR / "contacts.csv")
    base = list(contacts["notes"])
    texts = (base * (args.notes // len(base) + 1))[: args.notes]
    words = sum(len(t.split()) for t in texts)
    pipelines = {
        "baseline: tokenizer only": spacy.blank("en"),
        "rules": build_nlp(),
        "rules + context model": build_nlp(CONTEXT_MODEL),
        **({"rules + other context model": build_nlp(args.compare_context)} if args.compare_context else {}),
        "rules + both models (default)": build_nlp(CONTEXT_MODEL, SPAN_MODEL),
    }
    baseline = None
    print(f"{args.notes} notes, {words:,} words, best of {args.repeats}")
    if args.compare_context:
        print(f"other context model: {args.compare_context}")
    print(f"{'pipeline':30} {'seconds':>8} {'words/s':>10} {'x baseline time':>16}")
    for name, nlp in pipelines.items():
        seconds = best_of(lambda: [None for _ in nlp.pipe(texts, batch_size=256)], args.repeats)
        baseline = baseline or seconds
        print(f"{name:30} {seconds:8.2f} {words / seconds:10,.0f} {seconds / baseline:16.1f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
