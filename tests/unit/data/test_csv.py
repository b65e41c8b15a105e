import numpy as np
import pytest

from glassnet.data import DataError, load

TABLE = "temp,humidity,output\n3.21,86.34,491.35\n31.41,68.50,430.37\n19.31,30.59,463.00\n"


def _load(text, **spec):
    return load({"dataset": "csv", "csv_text": text, "train_fraction": 1.0, **spec}, seed=0)


def _error(text, **spec):
    with pytest.raises(DataError) as caught:
        _load(text, **spec)
    return caught.value


def test_header_names_the_columns_and_the_last_column_is_the_target():
    ds = _load(TABLE)
    assert ds.feature_names == ["temp", "humidity"] and ds.target_names == ["output"]
    assert ds.x_train.tolist() == [[3.21, 86.34], [31.41, 68.50], [19.31, 30.59]]
    assert ds.y_train[:, 0].tolist() == [491.35, 430.37, 463.0]


@pytest.mark.parametrize("column", ["temp", "TEMP", 0, -3, "0"])
def test_target_column_by_name_or_index(column):
    ds = _load(TABLE, target_column=column)
    assert ds.target_names == ["temp"] and ds.feature_names == ["humidity", "output"]


def test_unknown_target_column_lists_the_columns():
    error = _error(TABLE, target_column="power")
    assert error.field == "target_column"
    assert "'power'" in error.message and "temp, humidity, output" in error.message


def test_text_cell_names_its_column_and_row():
    error = _error("a,b,t\n1,2,3\n4,five,6\n")
    assert error.field == "csv_text"
    assert "'five'" in error.message and "column 'b'" in error.message and "row 2" in error.message


@pytest.mark.parametrize("cell", ["", "NA", "nan", "?"])
def test_missing_value_names_its_column_and_row(cell):
    error = _error(f"a,b,t\n1,2,3\n4,{cell},6\n7,8,9\n")
    assert "missing value" in error.message and "column 'b', row 2" in error.message


def test_ragged_row_is_rejected_with_its_cell_count():
    error = _error("a,b,t\n1,2,3\n4,5\n")
    assert "row 2" in error.message and "2 cells" in error.message and "3 columns" in error.message


def test_too_few_rows_are_rejected():
    error = _error("a,b,t\n1,2,3\n")
    assert error.field == "csv_text" and "at least 2 rows" in error.message


def test_empty_text_asks_for_csv():
    assert _error("   ").field == "csv_text"


def test_a_first_row_of_numbers_means_no_header():
    ds = _load("1,2,3\n4,5,6\n7,8,9\n")
    assert ds.feature_names == ["column_0", "column_1"] and ds.n_train == 3


def test_a_first_row_mixing_names_and_numbers_is_rejected():
    assert "first row" in _error("a,2,t\n1,2,3\n4,5,6\n").message


def test_semicolon_and_tab_separated_text_is_read():
    assert _load(TABLE.replace(",", ";")).x_train.shape == (3, 2)
    assert _load(TABLE.replace(",", "\t")).x_train.shape == (3, 2)


def test_blank_lines_are_skipped():
    assert _load(TABLE.replace("\n", "\n\n")).n_train == 3


def test_multiclass_target_accepts_words_and_is_one_hot():
    ds = _load("x,y,kind\n1,2,cat\n3,4,dog\n5,6,cat\n7,8,emu\n", task="multiclass")
    assert ds.task == "multiclass" and ds.target_names == ["kind=cat", "kind=dog", "kind=emu"]
    assert ds.y_train.tolist() == [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]


def test_binary_target_is_one_0_1_column():
    ds = _load("x,y,label\n1,2,5\n3,4,7\n5,6,5\n", task="binary")
    assert ds.y_train[:, 0].tolist() == [0, 1, 0] and ds.target_names == ["label=7"]


def test_binary_target_with_three_values_suggests_multiclass():
    error = _error("x,label\n1,0\n2,1\n3,2\n", task="binary")
    assert error.field == "target_column" and "multiclass" in error.message


def test_text_in_a_regression_target_names_the_target_column():
    error = _error("x,y\n1,2\n3,high\n")
    assert "column 'y'" in error.message and "row 2" in error.message


def test_csv_split_is_deterministic_and_keeps_row_order():
    text = "a,t\n" + "".join(f"{i},{i}\n" for i in range(20))
    a = load({"dataset": "csv", "csv_text": text}, seed=5)
    b = load({"dataset": "csv", "csv_text": text}, seed=5)
    assert np.array_equal(a.x_train, b.x_train) and a.n_train == 16 and a.n_val == 4
    assert np.all(np.diff(a.x_train[:, 0]) > 0)


def test_a_missing_cell_in_a_headerless_first_row_is_reported_as_missing():
    error = _error("1,,3\n4,5,6\n7,8,9\n")
    assert "missing value in column 'column_1', row 1" in error.message


def test_numeric_class_labels_are_compared_as_numbers():
    ds = _load("x,label\n1,1\n2,1.0\n3,2\n", task="multiclass")
    assert ds.target_names == ["label=1", "label=2"] and ds.y_train[:, 0].tolist() == [1, 1, 0]


def test_text_with_only_separators_asks_for_values():
    assert "no values" in _error(",,,\n").message


def test_line_numbers_count_leading_blank_lines():
    error = _error("\n\na,b\n1,2\nx,4\n")
    assert "row 2 (line 5)" in error.message


def test_a_cell_beyond_the_value_limit_is_refused_with_the_limit() -> None:
    from glassnet.data.tabular import build_csv

    text = "a,b,y\n" + "".join(f"{i},1,0\n" for i in range(9)) + "1e308,1,1\n"
    with pytest.raises(DataError) as info:
        build_csv(text, "y", "binary")
    assert info.value.field == "csv_text" and "1e+06" in info.value.message
