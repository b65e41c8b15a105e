"""Numbers in the diagnosis' sentences: short, with real superscripts, as the app has always written them."""

from __future__ import annotations

import math

from glassnet.engine.wording import number, percent, pow10, ratio


def test_ratios_are_plain_in_the_middle_and_powers_of_ten_at_the_ends() -> None:
    assert ratio(0.05) == "0.05"
    assert ratio(12.8) == "12.8"
    assert ratio(3e5) == "10⁵"
    assert ratio(1e-4) == "10⁻⁴"


def test_numbers_keep_three_significant_digits_and_go_scientific_outside_the_middle() -> None:
    assert number(0) == "0"
    assert number(0.123456) == "0.123"
    assert number(1234.5) == "1230"
    assert number(2e-6) == "2×10⁻⁶"
    assert number(1e-6) == "10⁻⁶"
    assert number(1.7e-8) == "1.7×10⁻⁸"
    assert number(-1.5e5) == "-1.5×10⁵"
    assert number(9.96e-5) == "10⁻⁴"  # the mantissa rounds up to 10 and carries into the exponent
    assert number(None) == "–"
    assert number(math.nan) == "NaN"
    assert number(-math.inf) == "−∞"


def test_percentages_keep_a_decimal_below_ten_and_round_half_up() -> None:
    assert percent(0.123) == "12 %"
    assert percent(0.05) == "5.0 %"
    assert percent(0.125) == "13 %"
    assert percent(0.0025) == "0.3 %"
    assert percent(None) == "–"


def test_powers_of_ten_round_to_the_nearest_exponent() -> None:
    assert pow10(3.2e-7) == "10⁻⁶"
    assert pow10(0) == "0"
