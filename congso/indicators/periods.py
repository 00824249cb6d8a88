"""Normalised period keys, as DHIS2 writes them: ``2026M03`` (month), ``2026Q1`` (quarter), ``2026``
(year)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.indicators.constants import PeriodType

_MONTH = re.compile(r"^(\d{4})M?(\d{2})$")  # 2026M03, and DHIS2's 202603
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    key: str
    type: str

    @property
    def year(self) -> int:
        return self.start.year

    def label(self) -> str:
        if self.type == PeriodType.MONTHLY:
            return f"{self.start.month:02d}/{self.start.year}"
        if self.type == PeriodType.QUARTERLY:
            return _("Q%(q)s/%(y)s") % {"q": self.key[-1], "y": self.start.year}
        return self.key


def month(year: int, number: int) -> Period:
    start = datetime.date(year, number, 1)
    end = (datetime.date(year + number // 12, number % 12 + 1, 1)) - datetime.timedelta(days=1)
    return Period(start, end, f"{year}M{number:02d}", PeriodType.MONTHLY)


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    end = month(year, 3 * number).end
    return Period(start, end, f"{year}Q{number}", PeriodType.QUARTERLY)


def year(number: int) -> Period:
    return Period(datetime.date(number, 1, 1), datetime.date(number, 12, 31), str(number), PeriodType.YEARLY)


def parse(text: str) -> Period:
    """The period of a key; raises ApplicationError (in Vietnamese) for anything else."""
    text = (text or "").strip().upper()
    m = _MONTH.match(text) or _QUARTER.match(text) or _YEAR.match(text)
    if m and 1900 <= int(m[1]) <= 2200:
        if m.re is _MONTH and 1 <= int(m[2]) <= 12:
            return month(int(m[1]), int(m[2]))
        if m.re is _QUARTER:
            return quarter(int(m[1]), int(m[2]))
        if m.re is _YEAR:
            return year(int(m[1]))
    raise ApplicationError(
        _("“%(period)s” is not a period: write 2026M03 (month), 2026Q1 (quarter) or 2026 (year).")
        % {"period": text[:20]},
        code="bad_period",
    )


def containing(date: datetime.date, period_type: str) -> Period:
    if period_type == PeriodType.MONTHLY:
        return month(date.year, date.month)
    if period_type == PeriodType.QUARTERLY:
        return quarter(date.year, (date.month - 1) // 3 + 1)
    return year(date.year)


def rollup_targets(period: Period) -> list[Period]:
    """The period itself and the longer periods it adds up into (month → quarter → year)."""
    if period.type == PeriodType.MONTHLY:
        return [period, containing(period.start, PeriodType.QUARTERLY), year(period.year)]
    if period.type == PeriodType.QUARTERLY:
        return [period, year(period.year)]
    return [period]


def previous(period: Period) -> Period:
    return containing(period.start - datetime.timedelta(days=1), period.type)


def months_between(first: Period, last: Period) -> list[Period]:
    out, current = [], containing(first.start, PeriodType.MONTHLY)
    while current.start <= last.start:
        out.append(current)
        current = containing(current.end + datetime.timedelta(days=1), PeriodType.MONTHLY)
    return out


def series(last: Period, count: int) -> list[Period]:
    """``count`` periods of ``last``'s type ending with ``last``, oldest first."""
    out = [last]
    while len(out) < count:
        out.append(previous(out[-1]))
    return out[::-1]
