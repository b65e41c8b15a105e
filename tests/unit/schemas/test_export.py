"""The committed JSON Schema files are what the models generate now."""

from __future__ import annotations

from shared_schemas.export import OUT, render, schemas


def test_committed_json_schema_is_up_to_date() -> None:
    stale = [
        name
        for name, doc in schemas().items()
        if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != render(doc)
    ]
    assert stale == [], f"regenerate with `python -m shared_schemas.export`: {stale}"


def test_no_orphan_schema_files() -> None:
    assert {p.name for p in OUT.glob("*.json")} == set(schemas())
