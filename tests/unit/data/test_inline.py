import numpy as np
import pytest

from glassnet.data import DataError, load

POWER_PLANT = [[0.04, 0.81], [0.84, 0.58], [0.50, 0.07], [0.53, 1.00]]


def _error(spec):
    with pytest.raises(DataError) as caught:
        load({"dataset": "inline", **spec}, seed=0)
    return caught.value


def test_inline_rows_are_used_as_given_in_order():
    ds = load(
        {"dataset": "inline", "inputs": POWER_PLANT, "targets": [[0.94], [0.13], [0.57], [0.36]]}, 0
    )
    assert ds.x_train.tolist() == POWER_PLANT and ds.y_train[:, 0].tolist() == [
        0.94,
        0.13,
        0.57,
        0.36,
    ]
    assert ds.task == "regression" and ds.feature_names == ["x1", "x2"]


def test_flat_target_list_is_one_target_column():
    ds = load(
        {"dataset": "inline", "inputs": POWER_PLANT, "targets": [1, 0, 1, 0], "task": "binary"}, 0
    )
    assert ds.y_train.shape == (4, 1) and ds.task == "binary"


def test_multiclass_class_numbers_become_one_hot():
    ds = load(
        {"dataset": "inline", "inputs": POWER_PLANT, "targets": [2, 0, 1, 1], "task": "multiclass"},
        0,
    )
    assert ds.y_train.tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]


def test_unequal_row_counts_are_rejected_on_targets():
    error = _error({"inputs": POWER_PLANT, "targets": [[1], [0]]})
    assert error.field == "targets" and "2 target rows for 4 input rows" in error.message


def test_ragged_inputs_are_rejected_naming_the_row():
    error = _error({"inputs": [[1, 2], [3]], "targets": [1, 2]})
    assert error.field == "inputs" and "row 2" in error.message


def test_non_numeric_input_is_rejected_naming_row_and_value():
    error = _error({"inputs": [[1, 2], [3, "a"]], "targets": [1, 2]})
    assert error.field == "inputs" and "row 2, value 2" in error.message


def test_missing_inputs_are_required():
    assert _error({"targets": [1, 2]}).field == "inputs"


def test_binary_targets_must_be_0_or_1():
    error = _error({"inputs": POWER_PLANT, "targets": [0, 1, 2, 1], "task": "binary"})
    assert error.field == "targets" and "0s and 1s" in error.message


def test_inline_two_column_inputs_are_2d_points():
    ds = load({"dataset": "inline", "inputs": POWER_PLANT, "targets": [1, 0, 1, 0]}, 0)
    assert np.array_equal(ds.raw_2d_train, ds.x_train)
