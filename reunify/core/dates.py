"""Calendar arithmetic for deadlines and ages. Nothing here reads the clock."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

Unit = Literal["day", "working day", "week", "month", "year"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or the month's last day if shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_working_days(day: dt.date, count: int) -> dt.date:
    """`count` weekdays after `day` (bank holidays are not known here)."""
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            count -= 1
    return current


def add(day: dt.date, amount: int, unit: Unit) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=amount)
    if unit == "working day":
        return add_working_days(day, amount)
    if unit == "week":
        return day + dt.timedelta(weeks=amount)
    if unit == "month":
        return add_months(day, amount)
    return add_months(day, 12 * amount)


def age_in_years(born: dt.date, on: dt.date) -> int:
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def describe_age(born: dt.date, on: dt.date) -> str:
    """An age as a chronology shows it: '7y 3m', '5m', or 'before birth'."""
    if on < born:
        return "before birth"
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    years, months = divmod(months, 12)
    if years == 0:
        return f"{months}m"
    return f"{years}y {months}m"


# Every date the tool takes lies in these years: date arithmetic (a deadline years
# ahead) can never overflow, and a year mistyped as 1026 or 9026 is caught.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def parse_iso_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, 1900 to 2100; raises ValueError with a reason otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        try:
            dt.date(*(int(part) for part in text.split("-")))
        except (TypeError, ValueError) as exc:
            if text.count("-") == 2 and all(p.isdigit() for p in text.split("-")):
                raise ValueError(f"not a real calendar date ({exc})") from None
        raise ValueError("expected a date as YYYY-MM-DD") from None
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"outside the years {EARLIEST.year} to {LATEST.year}")
    return day


def relative_day(day: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', 'yesterday', 'in 12 days' or '3 days ago'."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"
