import base64
import json

import numpy as np

from glassnet.data import preview


def test_points_preview_of_a_toy_set_has_labels_and_splits():
    out = json.loads(json.dumps(preview({"dataset": "spiral", "n": 800}, seed=0)))
    assert out["kind"] == "points" and out["n_train"] == 400
    points = out["points"]
    assert len(points["x"]) == len(points["y"]) == len(points["label"]) == 500
    assert set(points["label"]) == {0, 1} and set(points["split"]) == {"train", "val"}
    assert out["bounds"]["x"][0] < 0 < out["bounds"]["x"][1]


def test_image_preview_holds_16_decodable_uint8_images():
    out = json.loads(json.dumps(preview({"dataset": "mnist", "n": 100}, seed=0)))
    images = out["images"]
    assert out["kind"] == "images" and len(images["data"]) == 16 == len(images["labels"])
    pixels = np.frombuffer(base64.b64decode(images["data"][0]), dtype=np.uint8)
    assert pixels.size == images["height"] * images["width"] == 784 and pixels.max() > 200


def test_table_preview_shows_the_first_rows_with_column_names():
    out = preview({"dataset": "power_plant", "target": "onehot"}, seed=0)
    assert out["kind"] == "table"
    table = out["table"]
    assert table["columns"] == ["ambient_temperature", "relative_humidity", "low", "medium", "high"]
    assert table["rows"][0] == [0.04, 0.81, 0, 0, 1]


def test_table_preview_has_at_most_20_rows():
    out = preview({"dataset": "init_experiment"}, seed=0)
    assert len(out["table"]["rows"]) == 20 and out["n_train"] == 100


def test_flattened_image_preview_reports_the_flat_input_shape():
    assert preview({"dataset": "digits", "flatten": True}, seed=0)["input_shape"] == [64]
