import json

import pytest

from glassnet.data import catalog, load
from glassnet.data.catalog import BY_NAME

DATASETS = [
    "xor", "circle", "spiral", "gaussian", "moons", "linear", "and", "or", "xor_gate",
    "power_plant", "init_experiment", "digits", "mnist", "inline", "csv",
    "sine", "adding", "long_lag", "parity", "text_chars",
]  # fmt: skip
KEYS = {"name", "type", "default", "min", "max", "options", "nullable", "required", "description"}
REQUIRED_INPUT = {
    "inline": {"inputs": [[0, 1], [1, 0]], "targets": [[1], [0]]},
    "csv": {"csv_text": "a,t\n1,2\n3,4\n"},
}


def test_catalog_lists_every_dataset_once():
    assert [entry["name"] for entry in catalog()] == DATASETS


def test_catalog_is_json_and_every_param_has_the_same_keys():
    entries = json.loads(json.dumps(catalog()))
    for entry in entries:
        assert entry["title"] and entry["description"] and entry["group"]
        for param in entry["params"]:
            assert set(param) == KEYS and param["description"]


def test_every_dataset_takes_train_fraction_preprocess_and_seed():
    for entry in catalog():
        names = {param["name"] for param in entry["params"]}
        assert {"train_fraction", "preprocess", "seed"} <= names


@pytest.mark.parametrize("name", DATASETS)
def test_defaults_are_valid_and_within_bounds(name):
    for param in BY_NAME[name].params:
        if param.default is None:
            continue
        if param.min is not None:
            assert param.min <= param.default <= param.max
        if param.type == "select":
            assert param.default in param.options
    load({"dataset": name, **REQUIRED_INPUT.get(name, {})}, seed=0)


@pytest.mark.parametrize("name", DATASETS)
def test_catalog_task_is_the_task_of_the_defaults(name):
    ds = load({"dataset": name, **REQUIRED_INPUT.get(name, {})}, seed=0)
    assert ds.task == BY_NAME[name].task


def test_explicit_defaults_give_the_same_data_as_missing_keys():
    defaults = {param.name: param.default for param in BY_NAME["spiral"].params}
    a = load({"dataset": "spiral"}, seed=1)
    b = load({"dataset": "spiral", **defaults}, seed=1)
    assert (a.x_train == b.x_train).all()


def test_dataset_names_match_the_runspec_schema():
    from typing import get_args

    from shared_schemas.runspec import DatasetName, Feature2D

    assert set(get_args(DatasetName)) == set(DATASETS)
    assert get_args(Feature2D) == tuple(BY_NAME["xor"].param("features").options)


def test_catalog_bounds_fit_inside_the_runspec_schema():
    from shared_schemas.runspec import DataSpec

    for entry in catalog():
        for param in entry["params"]:
            if param["type"] in ("int", "float") and param["name"] in DataSpec.model_fields:
                DataSpec(dataset=entry["name"], **{param["name"]: param["min"]})
                DataSpec(dataset=entry["name"], **{param["name"]: param["max"]})
