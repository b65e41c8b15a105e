import numpy as np
import pytest

from glassnet.data import load

TRUTH = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor_gate": [0, 1, 1, 0]}


@pytest.mark.parametrize("gate", TRUTH)
def test_gate_is_its_truth_table_in_row_order(gate):
    ds = load({"dataset": gate}, seed=0)
    assert np.array_equal(ds.x_train, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(ds.y_train[:, 0], TRUTH[gate])
    assert ds.task == "binary" and ds.n_val == 0


def test_gate_inputs_are_also_its_2d_points():
    ds = load({"dataset": "xor_gate"}, seed=0)
    assert np.array_equal(ds.raw_2d_train, ds.x_train)
    assert np.array_equal(ds.grid_features(np.array([[0.5, 0.5]])), [[0.5, 0.5]])
