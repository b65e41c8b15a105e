"""Nesting depth of a JSON text, measured without parsing it."""

from __future__ import annotations

import json

from glassnet.api.ws.jsondepth import nests_deeper_than


def test_flat_messages_are_shallow() -> None:
    assert not nests_deeper_than(json.dumps({"type": "subscribe", "layers": ["a", "b"]}), 2)


def test_depth_counts_arrays_and_objects_alike() -> None:
    text = json.dumps({"a": [{"b": [1]}]})  # object, array, object, array
    assert not nests_deeper_than(text, 4)
    assert nests_deeper_than(text, 3)


def test_brackets_inside_strings_and_after_escaped_quotes_are_not_nesting() -> None:
    text = json.dumps({"client": 'say "[[[[{{{{" twice \\ [[[['})
    assert not nests_deeper_than(text, 1)


def test_closed_brackets_do_not_add_up() -> None:
    assert not nests_deeper_than(json.dumps([[1], [2], [3], [4], [5], [6]]), 2)


def test_a_32000_deep_array_is_too_deep() -> None:
    assert nests_deeper_than("[" * 32_000 + "]" * 32_000, 16)
