"""Period: the calendar month of as-of, up to as-of, in China time."""

from datetime import date

import pytest

from monitor.model.period import Period, parse_as_of


def test_period_for_as_of_starts_on_the_first_of_the_month() -> None:
    period = Period.for_as_of(date(2021, 8, 31))
    assert (period.start, period.as_of, period.month) == (date(2021, 8, 1), date(2021, 8, 31), "2021-08")
    assert period.as_of_end().isoformat() == "2021-09-01T00:00:00+08:00"


def test_month_and_previous_month_across_a_year() -> None:
    period = Period.for_month("2021-01")
    assert period.as_of == date(2021, 1, 31)
    assert period.previous().month == "2020-12"
    assert Period.for_month("2020-02").end == date(2020, 2, 29)


def test_parse_as_of_rejects_bad_dates_with_the_text() -> None:
    with pytest.raises(ValueError, match="2021-13-01"):
        parse_as_of("2021-13-01")
