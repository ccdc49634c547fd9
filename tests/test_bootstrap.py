"""Bootstrap intervals for F1: resampling examples, with a fixed seed."""

import numpy as np

from pipeline.bootstrap import f1_from_counts, interval, resampled_f1


def test_f1_from_counts_is_2tp_over_2tp_fp_fn_and_zero_with_nothing_to_count():
    totals = np.array([[8, 2, 2], [0, 0, 0], [0, 3, 1]])
    assert np.allclose(f1_from_counts(totals), [16 / 20, 0.0, 0.0])


def test_identical_examples_give_an_interval_of_one_point():
    counts = np.tile([[[3, 1, 0]]], (50, 1, 1))  # every example: tp 3, fp 1
    lo, hi = interval(resampled_f1(counts, resamples=200))
    assert np.allclose(lo, 6 / 7) and np.allclose(hi, 6 / 7)


def test_the_interval_holds_the_whole_split_figure_and_narrows_with_more_examples():
    rng = np.random.default_rng(0)
    hits = rng.random(200) < 0.8  # one span per example, found 80% of the time
    counts = np.zeros((200, 1, 3))
    counts[hits, 0, 0] = 1
    counts[~hits, 0, 2] = 1
    point = f1_from_counts(counts.sum(axis=0))[0]
    lo, hi = interval(resampled_f1(counts, resamples=500))
    assert lo[0] < point < hi[0] and lo[1] < point < hi[1]  # the label, and micro (the same here)
    lo10, hi10 = interval(resampled_f1(np.tile(counts, (10, 1, 1)), resamples=500))
    assert hi10[0] - lo10[0] < (hi[0] - lo[0]) / 2  # ten times the examples: about a third as wide


def test_micro_is_the_last_column_and_pools_the_groups():
    rng = np.random.default_rng(2)
    counts = np.zeros((60, 2, 3))
    counts[:, 0, :] = rng.integers(0, 4, (60, 3))  # group 1 varies, group 2 counts nothing
    samples = resampled_f1(counts, resamples=100)
    assert samples.shape == (100, 3)
    assert np.allclose(samples[:, 2], samples[:, 0]) and not samples[:, 1].any()
    doubled = counts.copy()
    doubled[:, 1, :] = counts[:, 0, :]  # group 2 the same as group 1: micro pools to the same F1
    assert np.allclose(resampled_f1(doubled, resamples=100)[:, 2], samples[:, 0])


def test_the_same_seed_draws_the_same_resamples_so_two_systems_can_be_compared():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 3, (80, 2, 3))
    better = a.copy()
    better[:, :, 0] += 1  # one more true positive in every example, every group
    gain = resampled_f1(better, resamples=300)[:, -1] - resampled_f1(a, resamples=300)[:, -1]
    assert (gain > 0).all()  # paired: the better system wins in every resample


def test_no_examples_gives_zeros_not_an_error():
    samples = resampled_f1(np.zeros((0, 4, 3)), resamples=10)
    assert samples.shape == (10, 5) and not samples.any()
