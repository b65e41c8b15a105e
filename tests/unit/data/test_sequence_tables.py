"""CSV sequences (one row per step, a sequence id column) and inline sequences."""

import numpy as np
import pytest

from glassnet.data import DataError, check, load

CSV = """id,x1,x2,y
a,1,2,0.5
a,3,4,0.6
a,5,6,0.7
b,7,8,0.8
b,9,10,0.9
b,11,12,1.0
"""


def test_csv_rows_sharing_an_id_are_the_steps_of_one_sequence():
    data = load(
        {"dataset": "csv", "csv_text": CSV, "sequence_column": "id", "train_fraction": 1.0}, 0
    )
    assert data.input_shape == (3, 2)
    np.testing.assert_array_equal(data.x_train[0], [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(data.y_train[1, :, 0], [0.8, 0.9, 1.0])
    assert data.target_shape == (3, 1)


def test_csv_sequence_target_can_be_the_last_row():
    data = load(
        {
            "dataset": "csv",
            "csv_text": CSV,
            "sequence_column": 0,
            "sequence_target": "last_step",
            "train_fraction": 1.0,
        },
        0,
    )
    np.testing.assert_array_equal(data.y_train[:, 0], [0.7, 1.0])


def test_ragged_csv_sequences_name_the_sequences_and_the_fix():
    ragged = CSV + "b,13,14,1.1\n"
    problems = check({"dataset": "csv", "csv_text": ragged, "sequence_column": "id"})
    assert problems[0]["pointer"] == "/data/csv_text"
    assert "sequence 'b' has 4 steps but sequence 'a' has 3" in problems[0]["message"]
    assert "same number of steps" in problems[0]["message"]


def test_inline_sequences_take_inputs_n_t_f():
    inputs = [[[0.0], [1.0], [0.0]], [[1.0], [1.0], [0.0]]]
    data = load(
        {"dataset": "inline", "inputs": inputs, "targets": [[1.0], [0.0]], "task": "binary"}, 0
    )
    assert data.input_shape == (3, 1) and data.target_shape == (1,)


def test_ragged_inline_sequences_are_a_data_error():
    with pytest.raises(DataError, match="same number of"):
        load({"dataset": "inline", "inputs": [[[0.0], [1.0]], [[1.0]]], "targets": [[1], [0]]}, 0)
