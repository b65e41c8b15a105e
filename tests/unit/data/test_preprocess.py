import numpy as np

from glassnet.data import load
from glassnet.data.preprocess import fit

X = np.array([[1.0, 10.0, 5.0], [3.0, 30.0, 5.0], [5.0, 20.0, 5.0]])


def test_none_leaves_inputs_unchanged():
    assert np.array_equal(fit("none", X).transform(X), X)


def test_minmax_maps_the_training_range_to_0_1():
    out = fit("minmax", X).transform(X)
    assert np.allclose(out[:, :2].min(axis=0), 0) and np.allclose(out[:, :2].max(axis=0), 1)


def test_standardize_gives_mean_0_std_1():
    out = fit("standardize", X).transform(X)
    assert np.allclose(out[:, :2].mean(axis=0), 0) and np.allclose(out[:, :2].std(axis=0), 1)


def test_constant_feature_maps_to_0_instead_of_dividing_by_zero():
    for kind in ("minmax", "standardize"):
        assert np.array_equal(fit(kind, X).transform(X)[:, 2], [0, 0, 0])


def test_statistics_apply_unchanged_to_new_rows():
    scaler = fit("minmax", X)
    assert np.allclose(scaler.transform(np.array([[7.0, 40.0, 5.0]])), [[1.5, 1.5, 0]])


def test_preprocessing_is_fitted_on_the_training_split_only():
    spec = {"dataset": "csv", "train_fraction": 0.5, "preprocess": "standardize"}
    spec["csv_text"] = "a,t\n" + "".join(f"{i * i},{i}\n" for i in range(40))
    ds = load(spec, seed=0)
    assert abs(ds.x_train.mean()) < 1e-9 and abs(ds.x_train.std() - 1) < 1e-9
    assert abs(ds.x_val.mean()) > 1e-3 or abs(ds.x_val.std() - 1) > 1e-3


def test_targets_are_not_preprocessed():
    ds = load({"dataset": "power_plant", "variant": "raw", "preprocess": "minmax"}, seed=0)
    assert ds.y_train[0, 0] == 491.35 and ds.x_train.max() == 1.0
