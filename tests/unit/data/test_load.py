import numpy as np

from glassnet.data import Dataset, check, load
from glassnet.data.catalog import BY_NAME
from glassnet.data.loader import BUILDERS


def test_load_returns_float64_arrays_with_matching_rows():
    ds = load({"dataset": "circle"}, seed=0)
    assert isinstance(ds, Dataset)
    for array in (ds.x_train, ds.y_train, ds.x_val, ds.y_val):
        assert array.dtype == np.float64
    assert ds.x_train.shape[0] == ds.y_train.shape[0] and ds.x_val.shape[0] == ds.y_val.shape[0]
    assert ds.x_train.shape[1:] == ds.input_shape and ds.y_train.shape[1] == ds.n_targets


def test_null_data_seed_uses_the_run_seed():
    a = load({"dataset": "xor", "seed": None}, seed=11)
    b = load({"dataset": "xor", "seed": 11}, seed=99)
    assert np.array_equal(a.x_train, b.x_train)


def test_data_seed_overrides_the_run_seed():
    a = load({"dataset": "xor", "seed": 4}, seed=1)
    b = load({"dataset": "xor", "seed": 4}, seed=2)
    assert np.array_equal(a.x_train, b.x_train)


def test_train_fraction_1_gives_an_empty_validation_set():
    ds = load({"dataset": "moons", "train_fraction": 1.0}, seed=0)
    assert ds.x_val.shape == (0, 2) and ds.y_val.shape == (0, 1)


def test_the_runspec_data_model_is_accepted():
    from shared_schemas.runspec import DataSpec

    ds = load(DataSpec(dataset="spiral", n=100, noise=10, train_fraction=0.5), seed=0)
    assert ds.n_train == 50 and ds.n_val == 50


def test_check_reports_problems_as_json_pointers():
    problems = check({"dataset": "csv", "csv_text": "a,t\n1,2\nx,4\n"})
    assert problems == [
        {"pointer": "/data/csv_text", "message": problems[0]["message"]},
    ]
    assert "column 'a'" in problems[0]["message"]


def test_check_of_a_good_spec_is_empty():
    assert check({"dataset": "power_plant", "target": "onehot"}) == []


def test_every_catalog_dataset_has_a_builder():
    assert set(BUILDERS) == set(BY_NAME)
