"""The periods of the Talent panel's usage view and statements: calendar months and years."""

from datetime import date

import pytest

from app.services.talent import PERIODS, period_dates


@pytest.mark.parametrize("period, on, expected", [
    ("all time", date(2026, 12, 2), (None, None)),
    ("this month", date(2026, 12, 2), ("2026-12-01", "2026-12-31")),
    ("this month", date(2028, 2, 10), ("2028-02-01", "2028-02-29")),  # a leap year
    ("last month", date(2027, 1, 15), ("2026-12-01", "2026-12-31")),  # across a new year
    ("last month", date(2026, 3, 31), ("2026-02-01", "2026-02-28")),
    ("this year", date(2026, 12, 2), ("2026-01-01", "2026-12-31")),
    ("last year", date(2026, 12, 2), ("2025-01-01", "2025-12-31")),
])
def test_periods_are_whole_calendar_months_and_years(period, on, expected):
    assert period in PERIODS
    assert period_dates(period, on) == expected


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="unknown period"):
        period_dates("fortnight")
