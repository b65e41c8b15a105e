import numpy as np
import pytest

from glassnet.data import images, load


@pytest.mark.parametrize(("name", "count", "side"), [("digits", 1797, 8), ("mnist", 5000, 28)])
def test_shipped_file_holds_real_images_of_ten_balanced_digits(name, count, side):
    pixels, labels = images.read(name)
    assert pixels.shape == (count, side * side)
    counts = np.bincount(labels, minlength=10)
    assert len(counts) == 10 and counts.min() > 0.09 * count
    # Real handwriting: mostly background, some full-intensity strokes, many distinct images.
    assert 0.1 < (pixels > 0).mean() < 0.6
    assert pixels.max() == images.SOURCES[name].max_value
    assert len(np.unique(pixels, axis=0)) > 0.99 * count


def test_decoded_arrays_are_cached_and_read_only():
    assert images.read("mnist") is images.read("mnist")
    with pytest.raises(ValueError):
        images.read("mnist")[0][0, 0] = 1


def test_mnist_images_have_shape_1_28_28_and_pixels_in_0_1():
    ds = load({"dataset": "mnist", "n": 200}, seed=0)
    assert ds.x_train.shape == (160, 1, 28, 28) and ds.x_val.shape == (40, 1, 28, 28)
    assert ds.input_shape == (1, 28, 28)
    assert ds.x_train.min() == 0.0 and ds.x_train.max() == 1.0


def test_flatten_gives_flat_vectors():
    ds = load({"dataset": "digits", "flatten": True, "n": 100}, seed=0)
    assert ds.x_train.shape == (80, 64) and ds.input_shape == (64,)
    assert len(ds.feature_names) == 64


def test_labels_are_one_hot_over_ten_digits_with_a_plausible_spread():
    ds = load({"dataset": "digits"}, seed=0)
    assert ds.task == "multiclass" and ds.target_names == [str(d) for d in range(10)]
    assert np.array_equal(ds.y_train.sum(axis=1), np.ones(ds.n_train))
    counts = ds.y_train.sum(axis=0)
    assert counts.min() > 0.5 * counts.mean()


def test_n_picks_a_seeded_subset():
    a = load({"dataset": "mnist", "n": 50, "train_fraction": 1.0}, seed=1)
    b = load({"dataset": "mnist", "n": 50, "train_fraction": 1.0}, seed=1)
    c = load({"dataset": "mnist", "n": 50, "train_fraction": 1.0}, seed=2)
    assert np.array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)


def test_standardize_uses_one_mean_and_std_per_channel():
    ds = load({"dataset": "digits", "preprocess": "standardize"}, seed=0)
    assert abs(ds.x_train.mean()) < 1e-9 and abs(ds.x_train.std() - 1) < 1e-9
    # Per pixel, the always-blank corner would be centred at 0; per channel it stays below average.
    assert ds.x_train[:, 0, 0, 0].mean() < -0.5


def test_image_sets_have_no_2d_points():
    ds = load({"dataset": "digits", "n": 20}, seed=0)
    assert ds.raw_2d_train is None
    with pytest.raises(ValueError):
        ds.grid_features(np.zeros((1, 2)))


def test_flattened_images_with_no_validation_split_load() -> None:
    data = load({"dataset": "digits", "n": 20, "flatten": True, "train_fraction": 1.0}, seed=0)
    assert data.x_train.shape == (20, 64)
    assert data.x_val.shape == (0, 64)
