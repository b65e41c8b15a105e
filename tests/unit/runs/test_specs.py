"""The edge where a spec document becomes the RunSpec a run trains from: an upload's text takes
the place of its id in the model, the document given stays as it was, and the model crosses to a
worker process as it is."""

from __future__ import annotations

import copy
import pickle
from typing import Any

from runhelpers import SPEC

from glassnet.runs.specs import check_spec
from glassnet.settings import Settings
from shared_schemas.runspec import RunSpec

CSV = "a,b,label\n" + "\n".join(f"{i % 3},{i % 5},{i % 2}" for i in range(40)) + "\n"


def _uploaded() -> dict[str, Any]:
    """The XOR-sized network of the run tests, on an uploaded two-column CSV."""
    spec = copy.deepcopy(SPEC)
    spec["data"] = {"dataset": "csv", "upload_id": "up1", "target_column": "label"}
    return spec


def _read(upload_id: str) -> str | None:
    return CSV if upload_id == "up1" else None


def test_a_checked_spec_is_the_run_spec_model() -> None:
    checked = check_spec(copy.deepcopy(SPEC), Settings(), _read)
    assert isinstance(checked.spec, RunSpec)
    assert checked.spec == RunSpec.model_validate(SPEC)


def test_an_uploads_text_takes_the_place_of_its_id_in_the_model() -> None:
    checked = check_spec(_uploaded(), Settings(), _read)
    assert checked.spec.data.csv_text == CSV and checked.spec.data.upload_id is None


def test_the_document_checked_is_left_as_it_was() -> None:
    document = _uploaded()
    check_spec(document, Settings(), _read)
    assert document == _uploaded()  # still the upload's id, and no text


def test_a_run_spec_with_an_uploads_text_survives_a_pickle_unchanged() -> None:
    # what the process executor's pipe and Ray do with it on the way to the worker
    spec = check_spec(_uploaded(), Settings(), _read).spec
    assert pickle.loads(pickle.dumps(spec)) == spec
