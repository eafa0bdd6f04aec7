import datetime as dt

from thidua.lib.dates import format_date, format_long_date


def test_dates_are_day_month_year_with_slashes():
    assert format_date(dt.date(2018, 1, 24)) == "24/01/2018"


def test_document_dates_pad_days_and_the_first_two_months():
    assert format_long_date(dt.date(2026, 2, 5), place="Kiên Giang") == "Kiên Giang, ngày 05 tháng 02 năm 2026"
    assert format_long_date(dt.date(2018, 11, 24)) == "ngày 24 tháng 11 năm 2018"
