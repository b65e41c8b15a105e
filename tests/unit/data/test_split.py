import numpy as np

from glassnet.data.split import split_indices


def test_train_fraction_sets_the_train_size():
    train, val = split_indices(10, 0.7, np.random.default_rng(0))
    assert len(train) == 7 and len(val) == 3
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(10))


def test_at_least_one_training_row():
    train, val = split_indices(4, 0.01, np.random.default_rng(0))
    assert len(train) == 1 and len(val) == 3


def test_same_seed_same_split():
    a = split_indices(50, 0.5, np.random.default_rng(7))
    b = split_indices(50, 0.5, np.random.default_rng(7))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_keep_order_with_fraction_1_keeps_every_row_in_place():
    train, val = split_indices(4, 1.0, np.random.default_rng(0), keep_order=True)
    assert train.tolist() == [0, 1, 2, 3] and len(val) == 0


def test_keep_order_sorts_each_split():
    train, val = split_indices(20, 0.5, np.random.default_rng(0), keep_order=True)
    assert np.all(np.diff(train) > 0) and np.all(np.diff(val) > 0)


def test_without_keep_order_the_rows_are_shuffled():
    train, _ = split_indices(100, 1.0, np.random.default_rng(0))
    assert train.tolist() != list(range(100))
