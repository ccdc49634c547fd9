"""Bootstrap confidence intervals for F1 figures, resampling whole examples.

A test split of a few thousand notes holds only a hundred or two spans of some labels, so
an F1 of 0.89 against a target of 0.90 may say little either way. `resampled_f1` resamples
the examples (notes, not spans: the spans of one note are not independent) with
replacement and recomputes each F1 from the resampled counts; `interval` gives the 2.5th
and 97.5th percentiles of those: the percentile bootstrap.

Counts come in as one array of shape (examples, groups, 3): true positives, false positives
and false negatives of each group (a span label, or a context flag) in each example.
"""

from __future__ import annotations

import numpy as np

RESAMPLES = 1000
SEED = 2026


def f1_from_counts(totals: np.ndarray) -> np.ndarray:
    """F1 = 2tp / (2tp + fp + fn) along the last axis (tp, fp, fn); 0 where there is nothing."""
    tp, fp, fn = totals[..., 0], totals[..., 1], totals[..., 2]
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros(denom.shape, dtype=float), where=denom > 0)


def resampled_f1(counts: np.ndarray, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """Each group's F1, and the micro F1 over all groups (last column), in each of `resamples`
    bootstrap resamples of the examples: shape (resamples, groups + 1). `counts` is
    (examples, groups, 3). The same seed draws the same resamples for any counts of the same
    examples, so two systems scored on one split can be compared resample by resample."""
    counts = np.asarray(counts, dtype=float)
    n, groups, _ = counts.shape
    with_micro = np.concatenate([counts, counts.sum(axis=1, keepdims=True)], axis=1)
    if n == 0:
        return np.zeros((resamples, groups + 1))
    rng = np.random.default_rng(seed)
    # each resample as the number of times it draws each example: (resamples, n) @ (n, ...)
    draws = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(resamples)])
    totals = (draws @ with_micro.reshape(n, -1)).reshape(resamples, groups + 1, 3)
    return f1_from_counts(totals)


def interval(samples: np.ndarray, level: float = 0.95) -> np.ndarray:
    """The percentile interval of each column of `samples`: shape (2, columns), lower first."""
    tail = (1 - level) / 2 * 100
    return np.percentile(np.asarray(samples), [tail, 100 - tail], axis=0)
