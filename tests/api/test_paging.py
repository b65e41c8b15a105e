"""Where the next page of a paged list starts."""

from glassnet.api.paging import next_offset


def test_a_page_short_of_the_total_points_at_the_item_after_it() -> None:
    assert next_offset(offset=20, shown=10, total=45) == 30


def test_a_page_that_reaches_the_total_has_no_next_page() -> None:
    assert next_offset(offset=40, shown=5, total=45) is None


def test_an_empty_page_has_no_next_page_even_below_the_total() -> None:
    assert next_offset(offset=0, shown=0, total=3) is None
