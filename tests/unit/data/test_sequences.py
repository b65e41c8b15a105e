"""Sequence datasets: shapes, targets that follow from the inputs, and determinism."""

import numpy as np
import pytest

from glassnet.data import load


def test_sine_targets_are_the_next_input_without_noise():
    data = load({"dataset": "sine", "n": 20, "steps": 12, "train_fraction": 1.0}, 0)
    assert data.x_train.shape == (20, 12, 1) and data.y_train.shape == (20, 12, 1)
    assert data.target_shape == (12, 1)
    np.testing.assert_allclose(data.y_train[:, :-1, 0], data.x_train[:, 1:, 0], atol=1e-12)


def test_adding_target_is_the_sum_of_the_two_marked_values():
    data = load({"dataset": "adding", "n": 30, "steps": 10, "train_fraction": 1.0}, 1)
    x = data.x_train
    assert (x[:, :, 1].sum(axis=1) == 2).all()
    np.testing.assert_allclose(data.y_train[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1))


@pytest.mark.parametrize("task", ["first_symbol", "temporal_order"])
def test_long_lag_class_is_written_lag_steps_before_the_end(task):
    data = load({"dataset": "long_lag", "n": 50, "lag": 7, "memory_task": task}, 2)
    x = np.concatenate([data.x_train, data.x_val])
    y = np.concatenate([data.y_train, data.y_val])
    if task == "first_symbol":
        assert x.shape[1:] == (8, 4)
        np.testing.assert_array_equal(x[:, 0, 1], y[:, 0])
        assert x[:, 1:, :2].sum() == 0  # only distractors after step 1
    else:
        assert x.shape[1:] == (9, 6) and y.shape[1] == 4
        assert (x[:, :, :2].sum(axis=(1, 2)) == 2).all()


def test_parity_target_is_the_parity_of_the_bits():
    data = load({"dataset": "parity", "n": 40, "steps": 6}, 3)
    np.testing.assert_array_equal(data.y_train[:, 0], data.x_train[:, :, 0].sum(axis=1) % 2)


def test_text_chars_targets_are_the_inputs_shifted_by_one_character():
    data = load({"dataset": "text_chars", "n": 10, "steps": 15}, 4)
    assert data.x_train.shape[2] == data.y_train.shape[2] == len(data.target_names)
    np.testing.assert_array_equal(data.x_train[:, 1:], data.y_train[:, :-1])
    assert all(len(name) == 1 for name in data.target_names)


def test_sequence_datasets_are_deterministic_for_a_seed():
    a = load({"dataset": "long_lag", "n": 20}, 5)
    b = load({"dataset": "long_lag", "n": 20}, 5)
    np.testing.assert_array_equal(a.x_train, b.x_train)


def test_preview_and_examples_show_sequences():
    from glassnet.data import examples, preview

    shown = preview({"dataset": "sine", "n": 20, "steps": 5}, 0)
    assert shown["kind"] == "sequences" and shown["input_shape"] == [5, 1]
    assert np.array(shown["sequences"]["inputs"]).shape == (8, 5, 1)
    rows = examples({"dataset": "long_lag", "n": 20, "lag": 3}, 0, "train", 2)
    assert rows["kind"] == "sequences"
    assert [seq[0][1] for seq in rows["sequences"]["inputs"]] == rows["labels"]
