"""Paged lists: where the next page starts."""

from __future__ import annotations


def next_offset(offset: int, shown: int, total: int) -> int | None:
    """The offset of the page after one of `shown` items starting at `offset`, out of `total`;
    None when this page is empty or reaches the end."""
    following = offset + shown
    return following if following < total and shown else None
