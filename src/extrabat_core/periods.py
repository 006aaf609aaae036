"""Period arithmetic of the dashboard by email: when a dashboard is due and
which days it covers.

Framework-free (standard library only) and calendar-only: every function
works on :class:`datetime.date` values in the recipient's own time zone, so a
daylight-saving change never shifts a period by an hour. Only
:func:`day_bounds_utc` and :func:`period_bounds_utc` turn local days into the
naive UTC datetimes an ORM stores, one local midnight at a time.

Vocabulary
----------

*due date*
    A day on which a dashboard is sent: every day (daily), a chosen weekday
    (weekly), a chosen day of the month clamped to the month's last day
    (monthly: the 31st is the 28th or 29th in February, the 30th in April).
*period*
    The days a dashboard covers: from the previous due date (included) to its
    own due date (excluded). Consecutive periods tile the calendar with no gap
    and no overlap, whatever the month lengths.

A dashboard due on ``D`` covers ``schedule.period_due_on(D)``. After it is
sent, the next due date is ``schedule.next_due_date(period)``: computed from
the period, never from the time of sending. A sender running days late sends
one dashboard, ``schedule.latest_complete_period(today)``, not one per missed
due date.

>>> s = Schedule(MONTHLY, monthday=31)
>>> s.period_due_on(date(2024, 3, 31))
Period(start=datetime.date(2024, 2, 29), end=datetime.date(2024, 3, 31))
>>> s.next_due_date(s.period_due_on(date(2024, 3, 31)))
datetime.date(2024, 4, 30)
>>> Schedule(WEEKLY, weekday=0).latest_complete_period(date(2025, 1, 16))
Period(start=datetime.date(2025, 1, 6), end=datetime.date(2025, 1, 13))
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DAILY",
    "MONTHLY",
    "NEVER",
    "PERIODICITIES",
    "WEEKLY",
    "Period",
    "Schedule",
    "clamp_day",
    "day_bounds_utc",
    "month_start",
    "period_bounds_utc",
    "today_in_zone",
]

NEVER = "never"
DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
PERIODICITIES = (NEVER, DAILY, WEEKLY, MONTHLY)

_ONE_DAY = timedelta(days=1)


def clamp_day(year: int, month: int, day: int) -> date:
    """The ``day`` of the given month, or its last day when the month is
    shorter (31 → 30 in April, 29 → 28 in February of a common year)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_start(day: date) -> date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


@dataclass(frozen=True, order=True)
class Period:
    """Days from ``start`` (included) to ``end`` (excluded)."""

    start: date
    end: date

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError(f"empty period: {self.start} to {self.end}")

    @property
    def last_day(self) -> date:
        """The last day covered (``end`` minus one day)."""
        return self.end - _ONE_DAY

    @property
    def days(self) -> int:
        """Number of days covered."""
        return (self.end - self.start).days

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class Schedule:
    """When a dashboard is due.

    :param periodicity: one of :data:`PERIODICITIES`
    :param weekday: for :data:`WEEKLY`, 0 (Monday) to 6 (Sunday)
    :param monthday: for :data:`MONTHLY`, 1 to 31; clamped to the last day of
        shorter months
    :raises ValueError: on an unknown periodicity or an out-of-range day
    """

    periodicity: str
    weekday: int = 0
    monthday: int = 1

    def __post_init__(self):
        if self.periodicity not in PERIODICITIES:
            raise ValueError(f"unknown periodicity {self.periodicity!r}")
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6, not {self.weekday}")
        if not 1 <= self.monthday <= 31:
            raise ValueError(f"day of the month must be 1 to 31, not {self.monthday}")

    @property
    def active(self) -> bool:
        """False for :data:`NEVER`: nothing is ever due."""
        return self.periodicity != NEVER

    def _check_active(self):
        if not self.active:
            raise ValueError("a schedule set to 'never' has no due date")

    # --- due dates ---

    def is_due_date(self, day: date) -> bool:
        """Whether a dashboard is due on ``day``."""
        return self.active and self.due_on_or_before(day) == day

    def due_on_or_before(self, day: date) -> date:
        """The latest due date on or before ``day``."""
        self._check_active()
        if self.periodicity == DAILY:
            return day
        if self.periodicity == WEEKLY:
            return day - timedelta(days=(day.weekday() - self.weekday) % 7)
        candidate = clamp_day(day.year, day.month, self.monthday)
        if candidate <= day:
            return candidate
        return clamp_day(*_shift_month(day.year, day.month, -1), self.monthday)

    def due_before(self, day: date) -> date:
        """The latest due date strictly before ``day``."""
        return self.due_on_or_before(day - _ONE_DAY)

    def due_after(self, day: date) -> date:
        """The first due date strictly after ``day``."""
        self._check_active()
        if self.periodicity == DAILY:
            return day + _ONE_DAY
        if self.periodicity == WEEKLY:
            return day + timedelta(days=(self.weekday - day.weekday() - 1) % 7 + 1)
        candidate = clamp_day(day.year, day.month, self.monthday)
        if candidate > day:
            return candidate
        return clamp_day(*_shift_month(day.year, day.month, 1), self.monthday)

    # --- periods ---

    def period_due_on(self, due: date) -> Period:
        """The period a dashboard due on ``due`` covers.

        :raises ValueError: when ``due`` is not a due date of this schedule
        """
        if not self.is_due_date(due):
            raise ValueError(f"{due} is not a due date of {self}")
        return Period(self.due_before(due), due)

    def latest_complete_period(self, today: date) -> Period:
        """The period of the latest due date on or before ``today``: what a
        sender running on ``today`` (on time or days late) sends."""
        return self.period_due_on(self.due_on_or_before(today))

    def previous_period(self, period: Period) -> Period:
        """The period just before ``period`` (for comparisons)."""
        return self.period_due_on(period.start)

    def next_due_date(self, period: Period) -> date:
        """The due date that follows the one of ``period``."""
        return self.due_after(period.end)

    def first_due_date(self, today: date) -> date:
        """When a schedule chosen on ``today`` first sends: the next due date
        after today (a subscriber wanting it at once uses "send now")."""
        return self.due_after(today)

    def periods_ending_with(self, period: Period, count: int) -> list[Period]:
        """``count`` consecutive periods, oldest first, the last being
        ``period`` (for charts)."""
        periods = [period]
        while len(periods) < count:
            periods.insert(0, self.previous_period(periods[0]))
        return periods

    def upcoming_window(self, today: date) -> Period:
        """From ``today`` to the next due date after it: what is coming before
        the next dashboard (activities, meetings)."""
        return Period(today, self.due_after(today))


# --- time zones ---


def _zone(tz_name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today_in_zone(now_utc: datetime, tz_name: str | None) -> date:
    """The calendar day in ``tz_name`` at the instant ``now_utc`` (naive UTC,
    as an ORM gives it; an unknown zone counts as UTC)."""
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=timezone.utc)
    return now_utc.astimezone(_zone(tz_name)).date()


def _local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time.min, tzinfo=zone)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def day_bounds_utc(day: date, tz_name: str | None) -> tuple[datetime, datetime]:
    """Naive UTC instants of the local midnight starting ``day`` and of the
    next one: 23 hours on a spring-forward day, 25 on a fall-back day."""
    zone = _zone(tz_name)
    return _local_midnight_utc(day, zone), _local_midnight_utc(day + _ONE_DAY, zone)


def period_bounds_utc(period: Period, tz_name: str | None) -> tuple[datetime, datetime]:
    """Naive UTC instants bounding ``period`` in ``tz_name``: ``start <= t <
    end`` selects the records of the period stored as UTC datetimes."""
    zone = _zone(tz_name)
    return _local_midnight_utc(period.start, zone), _local_midnight_utc(
        period.end, zone
    )
