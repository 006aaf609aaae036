"""Period arithmetic of the dashboard by email (extrabat_core.periods)."""

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extrabat_core.periods import (
    DAILY,
    MONTHLY,
    NEVER,
    WEEKLY,
    Period,
    Schedule,
    clamp_day,
    day_bounds_utc,
    month_start,
    period_bounds_utc,
    today_in_zone,
)

PARIS = "Europe/Paris"
MONDAY, THURSDAY, FRIDAY, SUNDAY = 0, 3, 4, 6


def hours(bounds):
    start, end = bounds
    return (end - start).total_seconds() / 3600


# --- clamping ---


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2024, 2, 31, date(2024, 2, 29)),  # leap year
        (2023, 2, 31, date(2023, 2, 28)),  # common year
        (2000, 2, 30, date(2000, 2, 29)),  # divisible by 400: leap
        (2100, 2, 29, date(2100, 2, 28)),  # divisible by 100 only: common
        (2025, 4, 31, date(2025, 4, 30)),
        (2025, 1, 31, date(2025, 1, 31)),
        (2025, 6, 15, date(2025, 6, 15)),
    ],
)
def test_clamp_day_to_the_last_day_of_shorter_months(year, month, day, expected):
    assert clamp_day(year, month, day) == expected


def test_month_start():
    assert month_start(date(2024, 2, 29)) == date(2024, 2, 1)


# --- validation ---


@pytest.mark.parametrize(
    "kwargs",
    [
        {"periodicity": "hourly"},
        {"periodicity": WEEKLY, "weekday": 7},
        {"periodicity": WEEKLY, "weekday": -1},
        {"periodicity": MONTHLY, "monthday": 0},
        {"periodicity": MONTHLY, "monthday": 32},
    ],
)
def test_invalid_schedule_is_refused(kwargs):
    with pytest.raises(ValueError):
        Schedule(**kwargs)


def test_never_has_no_due_date():
    schedule = Schedule(NEVER)
    assert not schedule.active
    assert not schedule.is_due_date(date(2025, 1, 1))
    with pytest.raises(ValueError):
        schedule.latest_complete_period(date(2025, 1, 1))


def test_empty_period_is_refused():
    with pytest.raises(ValueError):
        Period(date(2025, 1, 2), date(2025, 1, 2))


def test_period_due_on_a_day_that_is_not_due_is_refused():
    with pytest.raises(ValueError):
        Schedule(WEEKLY, weekday=MONDAY).period_due_on(date(2025, 1, 14))  # Tue


# --- daily ---


def test_daily_covers_yesterday():
    period = Schedule(DAILY).latest_complete_period(date(2025, 3, 1))
    assert period == Period(date(2025, 2, 28), date(2025, 3, 1))
    assert period.days == 1
    assert period.last_day == date(2025, 2, 28)


def test_daily_next_due_date_is_the_day_after_the_period_end():
    schedule = Schedule(DAILY)
    period = schedule.latest_complete_period(date(2024, 2, 29))
    assert period == Period(date(2024, 2, 28), date(2024, 2, 29))
    assert schedule.next_due_date(period) == date(2024, 3, 1)


def test_daily_across_the_year_end():
    schedule = Schedule(DAILY)
    assert schedule.latest_complete_period(date(2025, 1, 1)) == Period(
        date(2024, 12, 31), date(2025, 1, 1)
    )


# --- weekly ---


def test_weekly_is_due_on_the_chosen_weekday_only():
    schedule = Schedule(WEEKLY, weekday=THURSDAY)
    week = [date(2025, 1, 13) + timedelta(days=i) for i in range(7)]
    assert [schedule.is_due_date(d) for d in week] == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_weekly_on_its_due_day_covers_the_seven_days_before():
    schedule = Schedule(WEEKLY, weekday=MONDAY)
    period = schedule.latest_complete_period(date(2025, 1, 13))  # a Monday
    assert period == Period(date(2025, 1, 6), date(2025, 1, 13))
    assert period.days == 7


def test_weekly_the_day_before_its_due_day_still_covers_the_previous_week():
    schedule = Schedule(WEEKLY, weekday=MONDAY)
    period = schedule.latest_complete_period(date(2025, 1, 12))  # a Sunday
    assert period == Period(date(2024, 12, 30), date(2025, 1, 6))


@pytest.mark.parametrize("weekday", range(7))
def test_weekly_due_dates_fall_on_the_chosen_weekday(weekday):
    schedule = Schedule(WEEKLY, weekday=weekday)
    day = date(2024, 2, 26)
    for offset in range(14):
        current = day + timedelta(days=offset)
        due = schedule.due_on_or_before(current)
        assert due.weekday() == weekday
        assert 0 <= (current - due).days < 7
        after = schedule.due_after(current)
        assert after.weekday() == weekday
        assert 1 <= (after - current).days <= 7


def test_weekly_on_sunday_across_leap_day():
    schedule = Schedule(WEEKLY, weekday=SUNDAY)
    period = schedule.latest_complete_period(date(2024, 3, 3))  # a Sunday
    assert period == Period(date(2024, 2, 25), date(2024, 3, 3))
    assert date(2024, 2, 29) in period


def test_weekly_next_due_date_follows_the_period_not_a_late_send():
    schedule = Schedule(WEEKLY, weekday=MONDAY)
    # Due on Monday 13th, sent three days late on Thursday 16th.
    period = schedule.latest_complete_period(date(2025, 1, 16))
    assert period.end == date(2025, 1, 13)
    assert schedule.next_due_date(period) == date(2025, 1, 20)  # a Monday


# --- monthly ---


def test_monthly_on_the_first_covers_the_previous_calendar_month():
    schedule = Schedule(MONTHLY, monthday=1)
    period = schedule.latest_complete_period(date(2024, 3, 1))
    assert period == Period(date(2024, 2, 1), date(2024, 3, 1))
    assert period.days == 29  # 2024 is a leap year
    assert schedule.latest_complete_period(date(2023, 3, 1)).days == 28


def test_monthly_on_the_31st_follows_month_ends_through_a_leap_year():
    schedule = Schedule(MONTHLY, monthday=31)
    due = date(2024, 1, 31)
    dues = [due]
    for _ in range(12):
        due = schedule.next_due_date(schedule.period_due_on(due))
        dues.append(due)
    assert dues == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
        date(2024, 7, 31),
        date(2024, 8, 31),
        date(2024, 9, 30),
        date(2024, 10, 31),
        date(2024, 11, 30),
        date(2024, 12, 31),
        date(2025, 1, 31),
    ]


def test_monthly_on_the_31st_periods_of_february():
    schedule = Schedule(MONTHLY, monthday=31)
    assert schedule.period_due_on(date(2024, 2, 29)) == Period(
        date(2024, 1, 31), date(2024, 2, 29)
    )
    assert schedule.period_due_on(date(2024, 3, 31)) == Period(
        date(2024, 2, 29), date(2024, 3, 31)
    )
    assert schedule.period_due_on(date(2023, 3, 31)) == Period(
        date(2023, 2, 28), date(2023, 3, 31)
    )


def test_monthly_on_the_29th_in_a_common_february():
    schedule = Schedule(MONTHLY, monthday=29)
    assert schedule.is_due_date(date(2023, 2, 28))
    assert not schedule.is_due_date(date(2024, 2, 28))
    assert schedule.is_due_date(date(2024, 2, 29))
    # 1 March 2023: the February dashboard (due the 28th) is the latest.
    assert schedule.latest_complete_period(date(2023, 3, 1)) == Period(
        date(2023, 1, 29), date(2023, 2, 28)
    )


def test_monthly_on_the_30th_the_day_before_the_due_day():
    schedule = Schedule(MONTHLY, monthday=30)
    assert schedule.latest_complete_period(date(2025, 4, 29)) == Period(
        date(2025, 2, 28), date(2025, 3, 30)
    )


def test_monthly_across_the_year_end():
    schedule = Schedule(MONTHLY, monthday=15)
    assert schedule.latest_complete_period(date(2025, 1, 10)) == Period(
        date(2024, 11, 15), date(2024, 12, 15)
    )
    assert schedule.due_after(date(2024, 12, 15)) == date(2025, 1, 15)


# --- catch-up ---


def test_catch_up_after_days_late_gives_one_latest_period():
    schedule = Schedule(DAILY)
    # Last sent: the period due on 1 March; the sender is back on 5 March.
    period = schedule.latest_complete_period(date(2025, 3, 5))
    assert period == Period(date(2025, 3, 4), date(2025, 3, 5))
    assert schedule.next_due_date(period) == date(2025, 3, 6)


def test_catch_up_after_months_late():
    schedule = Schedule(MONTHLY, monthday=1)
    period = schedule.latest_complete_period(date(2025, 5, 20))
    assert period == Period(date(2025, 4, 1), date(2025, 5, 1))
    assert schedule.next_due_date(period) == date(2025, 6, 1)


def test_first_due_date_is_after_today():
    assert Schedule(WEEKLY, weekday=MONDAY).first_due_date(date(2025, 1, 13)) == (
        date(2025, 1, 20)
    )
    assert Schedule(MONTHLY, monthday=31).first_due_date(date(2025, 2, 3)) == (
        date(2025, 2, 28)
    )


# --- comparisons and charts ---


def test_previous_period_of_a_month_end_schedule():
    schedule = Schedule(MONTHLY, monthday=31)
    period = schedule.period_due_on(date(2024, 3, 31))
    assert schedule.previous_period(period) == Period(
        date(2024, 1, 31), date(2024, 2, 29)
    )


def test_periods_ending_with_are_contiguous_oldest_first():
    schedule = Schedule(WEEKLY, weekday=FRIDAY)
    last = schedule.latest_complete_period(date(2025, 1, 10))
    periods = schedule.periods_ending_with(last, 6)
    assert len(periods) == 6
    assert periods[-1] == last
    for before, after in pairwise(periods):
        assert before.end == after.start


def test_upcoming_window_runs_until_the_next_due_date():
    window = Schedule(WEEKLY, weekday=MONDAY).upcoming_window(date(2025, 1, 13))
    assert window == Period(date(2025, 1, 13), date(2025, 1, 20))


# --- time zones and daylight saving ---


def test_spring_forward_day_lasts_23_hours_in_paris():
    start, end = day_bounds_utc(date(2025, 3, 30), PARIS)
    assert start == datetime(2025, 3, 29, 23, 0)
    assert end == datetime(2025, 3, 30, 22, 0)
    assert hours((start, end)) == 23


def test_fall_back_day_lasts_25_hours_in_paris():
    start, end = day_bounds_utc(date(2025, 10, 26), PARIS)
    assert start == datetime(2025, 10, 25, 22, 0)
    assert end == datetime(2025, 10, 26, 23, 0)
    assert hours((start, end)) == 25


def test_ordinary_winter_day_in_paris():
    assert day_bounds_utc(date(2025, 1, 15), PARIS) == (
        datetime(2025, 1, 14, 23, 0),
        datetime(2025, 1, 15, 23, 0),
    )


def test_week_containing_the_spring_change_lasts_167_hours():
    schedule = Schedule(WEEKLY, weekday=MONDAY)
    period = schedule.latest_complete_period(date(2025, 3, 31))
    assert period == Period(date(2025, 3, 24), date(2025, 3, 31))
    bounds = period_bounds_utc(period, PARIS)
    assert bounds == (datetime(2025, 3, 23, 23, 0), datetime(2025, 3, 30, 22, 0))
    assert hours(bounds) == 167


def test_month_containing_the_autumn_change_gains_one_hour():
    period = Schedule(MONTHLY, monthday=1).latest_complete_period(date(2025, 11, 1))
    assert hours(period_bounds_utc(period, PARIS)) == 31 * 24 + 1


def test_today_in_zone_around_midnight_and_the_change():
    # 23:30 UTC on 29 March is already 00:30 on the 30th in Paris (UTC+1).
    assert today_in_zone(datetime(2025, 3, 29, 23, 30), PARIS) == date(2025, 3, 30)
    assert today_in_zone(datetime(2025, 3, 29, 22, 59), PARIS) == date(2025, 3, 29)
    # 22:30 UTC on 30 March is 00:30 on the 31st (UTC+2 since the change).
    assert today_in_zone(datetime(2025, 3, 30, 22, 30), PARIS) == date(2025, 3, 31)
    assert today_in_zone(datetime(2025, 3, 30, 21, 59), PARIS) == date(2025, 3, 30)


def test_unknown_or_missing_zone_counts_as_utc():
    assert day_bounds_utc(date(2025, 3, 30), "Mars/Olympus_Mons") == (
        datetime(2025, 3, 30),
        datetime(2025, 3, 31),
    )
    assert today_in_zone(datetime(2025, 3, 29, 23, 30), None) == date(2025, 3, 29)


# --- properties ---

schedules = st.one_of(
    st.just(Schedule(DAILY)),
    st.builds(Schedule, st.just(WEEKLY), weekday=st.integers(0, 6)),
    st.builds(Schedule, st.just(MONTHLY), monthday=st.integers(1, 31)),
)
days = st.dates(min_value=date(1999, 1, 1), max_value=date(2101, 12, 31))
LENGTHS = {DAILY: (1, 1), WEEKLY: (7, 7), MONTHLY: (28, 31)}


@given(schedules, days)
def test_the_latest_period_ends_on_or_before_today_and_the_next_due_is_after(
    schedule, today
):
    period = schedule.latest_complete_period(today)
    assert period.end <= today < schedule.next_due_date(period)
    assert schedule.is_due_date(period.start)
    assert schedule.is_due_date(period.end)
    low, high = LENGTHS[schedule.periodicity]
    assert low <= period.days <= high


@given(schedules, days)
def test_consecutive_periods_tile_the_calendar(schedule, today):
    period = schedule.latest_complete_period(today)
    following = schedule.period_due_on(schedule.next_due_date(period))
    assert following.start == period.end
    assert schedule.previous_period(following) == period
    # No due date strictly inside a period.
    day = period.start + timedelta(days=1)
    while day < period.end:
        assert not schedule.is_due_date(day)
        day += timedelta(days=1)
