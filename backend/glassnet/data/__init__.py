"""Built-in datasets, user tables and their preprocessing (pure numpy).

load(data_spec, seed) -> Dataset     the arrays a run trains on
catalog() -> list[dict]              every dataset with its parameters, for the API and the UI
preview(data_spec, seed) -> dict     a small JSON-able look at the data
examples(data_spec, seed, split, n)  a split's first examples, unscaled
check(data_spec) -> list[dict]       every problem, as {"pointer", "message"}
"""

from glassnet.data.catalog import catalog
from glassnet.data.dataset import Dataset
from glassnet.data.errors import DataError
from glassnet.data.loader import check, load
from glassnet.data.preview import examples, preview

__all__ = ["DataError", "Dataset", "catalog", "check", "examples", "load", "preview"]
