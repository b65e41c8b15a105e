import numpy as np
import pytest

from glassnet.data import load
from glassnet.data.toy2d import FEATURE_NAMES, GENERATORS, featurize, gaussian

TOY_SETS = ["xor", "circle", "spiral", "gaussian", "moons", "linear"]


@pytest.mark.parametrize("name", TOY_SETS)
def test_same_spec_and_seed_give_identical_arrays(name):
    a = load({"dataset": name, "noise": 20}, seed=3)
    b = load({"dataset": name, "noise": 20}, seed=3)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_val, b.y_val)
    assert np.array_equal(a.raw_2d_train, b.raw_2d_train)


@pytest.mark.parametrize("name", TOY_SETS)
def test_different_seeds_give_different_points(name):
    a = load({"dataset": name, "noise": 20}, seed=1)
    b = load({"dataset": name, "noise": 20}, seed=2)
    assert not np.array_equal(a.raw_2d_train, b.raw_2d_train)


@pytest.mark.parametrize("name", TOY_SETS)
def test_points_lie_in_the_playground_square(name):
    ds = load({"dataset": name, "noise": 10, "n": 2000}, seed=0)
    points = np.concatenate([ds.raw_2d_train, ds.raw_2d_val])
    assert np.abs(points).max() < 7
    assert np.abs(points).max() > 2


@pytest.mark.parametrize("name", TOY_SETS)
def test_classes_are_balanced_binary_labels(name):
    ds = load({"dataset": name, "n": 1000, "train_fraction": 1.0}, seed=0)
    assert ds.task == "binary" and ds.y_train.shape == (1000, 1)
    assert set(np.unique(ds.y_train)) == {0.0, 1.0}
    assert 0.4 < ds.y_train.mean() < 0.6


@pytest.mark.parametrize("name", ["xor", "circle", "linear"])
def test_noise_free_labels_follow_the_rule(name):
    points, labels = GENERATORS[name](400, 0.0, np.random.default_rng(0))
    x, y = points[:, 0], points[:, 1]
    rule = {"xor": x * y >= 0, "circle": np.hypot(x, y) < 2.5, "linear": x + y >= 0}[name]
    assert np.array_equal(labels, rule.astype(int))


def test_label_noise_mislabels_some_xor_points_without_moving_them():
    clean_points, clean = GENERATORS["xor"](2000, 0.0, np.random.default_rng(0))
    points, noisy = GENERATORS["xor"](2000, 0.5, np.random.default_rng(0))
    rule = (points[:, 0] * points[:, 1] >= 0).astype(int)
    assert np.array_equal(points, clean_points)
    assert 0.05 < (noisy != rule).mean() < 0.5
    assert np.array_equal(clean, rule)


def test_xor_points_keep_the_padding_from_the_axes():
    points, _ = GENERATORS["xor"](1000, 0.0, np.random.default_rng(0))
    assert np.abs(points).min() >= 0.3


def test_spiral_noise_moves_points_by_at_most_noise():
    clean, _ = GENERATORS["spiral"](500, 0.0, np.random.default_rng(0))
    noisy, _ = GENERATORS["spiral"](500, 0.3, np.random.default_rng(0))
    assert 0 < np.abs(noisy - clean).max() <= 0.3


def test_gaussian_noise_widens_the_clusters():
    tight, _ = gaussian(2000, 0.0, np.random.default_rng(0))
    wide, _ = gaussian(2000, 0.5, np.random.default_rng(0))
    assert wide.std() > tight.std()


def test_two_gaussian_clusters_sit_at_the_playground_centres():
    points, labels = gaussian(4000, 0.0, np.random.default_rng(0))
    assert np.allclose(points[labels == 1].mean(axis=0), [2, 2], atol=0.1)
    assert np.allclose(points[labels == 0].mean(axis=0), [-2, -2], atol=0.1)


def test_gaussian_with_more_classes_gives_one_hot_targets():
    ds = load({"dataset": "gaussian", "classes": 4, "n": 400}, seed=0)
    assert ds.task == "multiclass" and ds.n_targets == 4
    assert np.array_equal(ds.y_train.sum(axis=1), np.ones(ds.n_train))
    assert ds.target_names == ["class 0", "class 1", "class 2", "class 3"]


def test_featurize_computes_every_playground_feature():
    points = np.array([[2.0, 3.0]])
    row = featurize(points, list(FEATURE_NAMES))[0]
    assert np.allclose(row, [2, 3, 4, 9, 6, np.sin(2), np.sin(3)])


def test_selected_features_become_the_inputs_in_canonical_order():
    ds = load({"dataset": "circle", "features": ["y2", "x", "x2"]}, seed=0)
    assert ds.feature_names == ["x", "x2", "y2"] and ds.input_shape == (3,)
    x, y = ds.raw_2d_train[:, 0], ds.raw_2d_train[:, 1]
    assert np.allclose(ds.x_train, np.stack([x, x * x, y * y], axis=1))


def test_grid_features_match_the_training_inputs():
    spec = {"dataset": "spiral", "features": ["x", "y", "xy", "sin_x"], "preprocess": "standardize"}
    ds = load(spec, seed=0)
    assert np.allclose(ds.grid_features(ds.raw_2d_train), ds.x_train)
    assert np.allclose(ds.grid_features(ds.raw_2d_val), ds.x_val)


def test_changing_train_fraction_keeps_the_same_points():
    a = load({"dataset": "moons", "train_fraction": 0.5}, seed=0)
    b = load({"dataset": "moons", "train_fraction": 0.8}, seed=0)
    all_a = np.concatenate([a.raw_2d_train, a.raw_2d_val])
    all_b = np.concatenate([b.raw_2d_train, b.raw_2d_val])
    assert np.array_equal(np.sort(all_a, axis=0), np.sort(all_b, axis=0))


def test_spec_noise_is_the_playground_percentage():
    clean = load({"dataset": "spiral", "train_fraction": 1.0}, seed=0).raw_2d_train
    noisy = load({"dataset": "spiral", "noise": 30, "train_fraction": 1.0}, seed=0).raw_2d_train
    assert 0.2 < np.abs(noisy - clean).max() <= 0.3
