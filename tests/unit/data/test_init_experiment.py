import numpy as np

from glassnet.data import load


def test_default_is_100_examples_of_2_features():
    ds = load({"dataset": "init_experiment"}, seed=0)
    assert ds.x_train.shape == (100, 2) and ds.y_train.shape == (100, 1)
    assert ds.task == "regression"


def test_every_column_has_mean_0_and_std_1_exactly():
    ds = load({"dataset": "init_experiment", "n": 57, "n_features": 5}, seed=4)
    assert np.allclose(ds.x_train.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(ds.x_train.std(axis=0), 1, atol=1e-12)


def test_target_is_a_linear_function_of_the_inputs_without_noise():
    ds = load({"dataset": "init_experiment", "n_features": 3}, seed=0)
    design = np.hstack([ds.x_train, np.ones((ds.n_train, 1))])
    _, residual, *_ = np.linalg.lstsq(design, ds.y_train, rcond=None)
    assert residual[0] < 1e-12


def test_noise_makes_the_target_not_exactly_linear():
    ds = load({"dataset": "init_experiment", "noise": 50}, seed=0)
    design = np.hstack([ds.x_train, np.ones((ds.n_train, 1))])
    _, residual, *_ = np.linalg.lstsq(design, ds.y_train, rcond=None)
    assert residual[0] > 1.0
