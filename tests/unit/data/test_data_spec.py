import pytest
from pydantic import BaseModel

from glassnet.data import DataError
from glassnet.data.spec import resolve, resolve_all


def _error(spec):
    with pytest.raises(DataError) as caught:
        resolve(spec)
    return caught.value


def test_missing_keys_take_the_dataset_defaults():
    _, params = resolve({"dataset": "spiral"})
    assert (
        params["n"] == 500 and params["train_fraction"] == 0.5 and params["features"] == ["x", "y"]
    )


def test_null_values_take_the_dataset_defaults():
    _, params = resolve({"dataset": "digits", "n": None, "train_fraction": None})
    assert params["n"] == 1797 and params["train_fraction"] == 0.8


def test_a_pydantic_model_is_read_through_model_dump():
    class Spec(BaseModel):
        dataset: str
        n: int | None = None

    _, params = resolve(Spec(dataset="xor", n=40))
    assert params["n"] == 40


def test_unknown_dataset_lists_the_choices():
    error = _error({"dataset": "iris"})
    assert error.field == "dataset" and "spiral" in error.message
    assert error.pointer == "/data/dataset"


def test_out_of_range_value_names_the_bounds():
    error = _error({"dataset": "spiral", "noise": 90})
    assert error.field == "noise" and "between 0 and 50" in error.message


def test_fractional_n_is_rejected():
    assert "whole number" in _error({"dataset": "xor", "n": 10.5}).message


def test_unknown_feature_is_rejected():
    assert _error({"dataset": "xor", "features": ["z"]}).field == "features"


def test_unknown_option_lists_the_options():
    error = _error({"dataset": "power_plant", "variant": "scaled"})
    assert "normalized, raw" in error.message


def test_parameters_that_do_not_apply_are_ignored():
    _, params = resolve({"dataset": "and", "n": 99999, "noise": 7})
    assert "n" not in params and "noise" not in params


def test_resolve_all_collects_every_problem():
    _, _, errors = resolve_all({"dataset": "xor", "n": 1, "noise": -1, "preprocess": "l2"})
    assert [error.field for error in errors] == ["n", "noise", "preprocess"]
