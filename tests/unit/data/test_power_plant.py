import numpy as np

from glassnet.data import load
from glassnet.data.power_plant import TABLE_1, normalized_table

# Table 3 as printed in the lecture.
TABLE_3 = [
    [0.04, 0.81, 0.94],
    [0.84, 0.58, 0.13],
    [0.50, 0.07, 0.57],
    [0.53, 1.00, 0.36],
]
# Table 14: (low, medium, high).
TABLE_14 = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]


def test_rounding_the_range_normalised_table_1_reproduces_table_3_exactly():
    assert normalized_table().tolist() == TABLE_3


def test_normalized_variant_is_table_3_in_row_order():
    ds = load({"dataset": "power_plant"}, seed=0)
    assert ds.x_train.tolist() == [row[:2] for row in TABLE_3]
    assert ds.y_train[:, 0].tolist() == [row[2] for row in TABLE_3]
    assert ds.task == "regression" and ds.n_val == 0


def test_raw_variant_is_table_1():
    ds = load({"dataset": "power_plant", "variant": "raw"}, seed=0)
    assert np.array_equal(np.hstack([ds.x_train, ds.y_train]), TABLE_1)


def test_onehot_target_is_table_14():
    ds = load({"dataset": "power_plant", "target": "onehot"}, seed=0)
    assert ds.y_train.tolist() == TABLE_14
    assert ds.task == "multiclass" and ds.target_names == ["low", "medium", "high"]


def test_onehot_bins_come_from_the_normalised_output_for_the_raw_variant_too():
    ds = load({"dataset": "power_plant", "variant": "raw", "target": "onehot"}, seed=0)
    assert ds.y_train.tolist() == TABLE_14
