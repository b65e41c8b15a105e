"""What the data preview and a run's examples return fits the models the app's types come from."""

from __future__ import annotations

import typing

import pytest

from glassnet.data import examples, preview
from shared_schemas.api import DataPreview, RunExamples
from shared_schemas.runspec import DatasetName, DataSpec

BUILT_IN = [name for name in typing.get_args(DatasetName) if name not in ("inline", "csv")]
OWN_DATA = {
    "inline": DataSpec(
        dataset="inline", inputs=[[0, 0], [1, 1]], targets=[[0], [1]], task="binary"
    ),
    "csv": DataSpec(dataset="csv", csv_text="a,b,t\n1,2,0\n3,4,1\n5,6,0\n", target_column="t"),
}
SPECS = {**{name: DataSpec(dataset=name) for name in BUILT_IN}, **OWN_DATA}


@pytest.mark.parametrize("name", list(SPECS))
def test_every_dataset_preview_fits_the_data_preview_model(name: str) -> None:
    shown = DataPreview.model_validate(preview(SPECS[name], 0))
    drawn = {
        "points": shown.points,
        "images": shown.images,
        "table": shown.table,
        "sequences": shown.sequences,
    }[shown.kind]
    assert drawn is not None


@pytest.mark.parametrize("name", list(SPECS))
def test_every_datasets_training_examples_fit_the_run_examples_model(name: str) -> None:
    rows = RunExamples.model_validate(examples(SPECS[name], 0, "train", 5))
    assert len(rows.labels) == min(5, rows.n)
    assert {"images": rows.images, "table": rows.table, "sequences": rows.sequences}[rows.kind]
