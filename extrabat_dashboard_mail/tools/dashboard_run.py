"""One dashboard send: who receives it, which period it covers, and the
helpers every element uses to query, format and link.

The elements' ``_get_block_<key>(run)`` methods receive a
:class:`DashboardRun`. Its ``env`` is the recipient's own environment (their
user, their allowed companies, their language and time zone), so every query
an element makes through ``run.env`` obeys the recipient's access rights and
record rules: a salesperson's dashboard only counts what that salesperson may
see.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from odoo import fields
from odoo.tools.misc import format_date, format_datetime, formatLang

from extrabat_core.periods import DAILY, MONTHLY, Period, Schedule, period_bounds_utc

#: Path of the web client action that opens a list from a link of the mail
#: (``static/src/js/dashboard_list_action.js``).
LIST_ACTION_PATH = "extrabat-dashboard-list"
#: Rows of a block's short list (oldest quotes, next meetings, top clients).
LIST_LIMIT = 5


@dataclass(frozen=True)
class DashboardRun:
    """Everything an element needs to build its block for one recipient.

    :param env: the recipient's environment (``with_user`` + allowed
        companies + language + time zone)
    :param subscription: the ``extrabat.dashboard.subscription`` record
    :param schedule: the subscription's :class:`~extrabat_core.periods.Schedule`
    :param period: the period the dashboard covers
    :param today: the sending day, in the recipient's time zone
    :param tz: the recipient's time zone name
    :param currency: ``res.currency`` every amount is shown in
    :param company: ``res.company`` of the header (logo, colours, target)
    :param base_url: the database's public address, for links
    """

    env: object
    subscription: object
    schedule: Schedule
    period: Period
    today: date
    tz: str
    currency: object
    company: object
    base_url: str

    # --- periods ---

    @property
    def user(self):
        """The recipient (``res.users``)."""
        return self.env.user

    @property
    def previous_period(self):
        """The period before :attr:`period`, for comparisons."""
        return self.schedule.previous_period(self.period)

    def chart_periods(self):
        """The periods a chart shows, oldest first, ending with :attr:`period`
        (the last 7 days, 6 weeks or 6 months)."""
        count = 7 if self.schedule.periodicity == DAILY else 6
        return self.schedule.periods_ending_with(self.period, count)

    # --- domains ---

    def date_domain(self, field_name, period=None):
        """Domain selecting a ``Date`` field inside a period (default: the
        dashboard's), as a JSON-friendly list."""
        period = period or self.period
        return [
            (field_name, ">=", fields.Date.to_string(period.start)),
            (field_name, "<", fields.Date.to_string(period.end)),
        ]

    def datetime_domain(self, field_name, period=None):
        """Domain selecting a ``Datetime`` field inside a period of local days
        (midnight to midnight in the recipient's time zone, DST-safe)."""
        start, end = period_bounds_utc(period or self.period, self.tz)
        return [
            (field_name, ">=", fields.Datetime.to_string(start)),
            (field_name, "<", fields.Datetime.to_string(end)),
        ]

    # --- money ---

    def convert(self, amount, currency, day=None):
        """``amount`` in ``currency`` converted to :attr:`currency` at the rate
        of ``day`` (default: the last day of the period)."""
        if not amount or not currency or currency == self.currency:
            return amount or 0.0
        return currency._convert(
            amount, self.currency, self.company, day or self.period.last_day
        )

    def total(self, amounts):
        """Sum of ``(currency, amount)`` pairs in :attr:`currency`."""
        return sum(self.convert(amount, currency) for currency, amount in amounts)

    def count_and_total(self, model, domain, amount_field, by="currency_id"):
        """How many records of ``model`` match ``domain`` and the sum of their
        ``amount_field`` in :attr:`currency`, in one grouped query (with the
        recipient's rights).

        :param by: the field giving each amount's currency: ``currency_id``
            (a document's own currency) or ``company_id`` (an amount in the
            company's currency, e.g. ``amount_residual_signed``)
        :return: ``(count, total)``
        """
        rows = self.env[model]._read_group(
            domain, [by], ["__count", f"{amount_field}:sum"]
        )
        count = sum(c for _group, c, _amount in rows)
        total = self.total(
            (group.currency_id if by == "company_id" else group, amount)
            for group, _c, amount in rows
        )
        return count, total

    # --- formatting ---

    def money(self, amount):
        """An amount rounded to units, with the currency symbol, in the
        recipient's language: ``12 346 €``."""
        return formatLang(
            self.env, amount or 0.0, currency_obj=self.currency, rounding_unit="units"
        )

    def number(self, value, digits=0):
        """A number in the recipient's language: ``1 234``."""
        return formatLang(self.env, value or 0, digits=digits)

    def percent(self, ratio, digits=0):
        """A ratio as a percentage: ``42 %``."""
        value = formatLang(self.env, (ratio or 0.0) * 100, digits=digits)
        return f"{value}\N{NO-BREAK SPACE}%"

    def variation(self, current, previous):
        """Change from ``previous`` to ``current``.

        :return: ``None`` when there is nothing to compare with, else
            ``{'text': '+12 %', 'trend': 'up'|'down'|'flat'}``
        """
        if not previous:
            return None
        ratio = (current - previous) / abs(previous)
        trend = "up" if ratio > 0.0005 else "down" if ratio < -0.0005 else "flat"
        sign = "+" if ratio > 0 else ""
        return {"text": sign + self.percent(ratio), "trend": trend}

    def day(self, value, pattern="d MMM y"):
        """A date in the recipient's language (babel pattern)."""
        return format_date(self.env, value, date_format=pattern)

    def moment(self, value_utc, pattern="EEE d MMM, HH:mm"):
        """A stored (naive UTC) datetime in the recipient's time zone."""
        return format_datetime(self.env, value_utc, tz=self.tz, dt_format=pattern)

    def period_label(self, period=None):
        """``12 janv. 2025``, ``du 6 au 12 janv. 2025`` or ``janvier 2025``."""
        period = period or self.period
        first, last = period.start, period.last_day
        if first == last:
            return self.day(first, "EEEE d MMMM y")
        next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        if first.day == 1 and period.end == next_month:
            return self.day(first, "MMMM y")
        if (first.year, first.month) == (last.year, last.month):
            start = self.day(first, "d")
        elif first.year == last.year:
            start = self.day(first, "d MMMM")
        else:
            start = self.day(first, "d MMMM y")
        return self.env._(
            "from %(start)s to %(end)s", start=start, end=self.day(last, "d MMMM y")
        )

    def short_label(self, period):
        """A chart label for a period: ``lun. 13``, ``6 janv.``, ``janv.``."""
        if self.schedule.periodicity == DAILY:
            return self.day(period.start, "EEE d")
        if self.schedule.periodicity == MONTHLY and period.start.day == 1:
            return self.day(period.start, "MMM")
        return self.day(period.start, "d MMM")

    # --- links ---

    def list_url(self, action_xmlid, domain, title):
        """Address opening, in Odoo, the list behind a figure: the window
        action ``action_xmlid`` restricted to ``domain``, titled ``title``.

        The link goes through a small web client action that asks the server
        for the action (``extrabat.dashboard.list.link.get_list_action``), so the
        list opens with the clicking user's own rights; the link is signed
        (``list_sig``): the server opens no other action, domain or title.

        :raises ValueError: ``action_xmlid`` is not one of
            ``extrabat.dashboard.list.link._get_list_actions()``
        """
        ListLink = self.env["extrabat.dashboard.list.link"]
        if action_xmlid not in ListLink._get_list_actions():
            raise ValueError(
                f"{action_xmlid} is not in _get_list_actions(): add it there"
            )
        domain_json = json.dumps(domain, separators=(",", ":"))
        # %20, not "+": the web client decodes with decodeURIComponent; the
        # keys must not collide with the router's own ("action", "model"...).
        query = urlencode(
            {
                "list_action": action_xmlid,
                "list_domain": domain_json,
                "list_name": title,
                "list_sig": ListLink._sign_list_link(action_xmlid, domain_json, title),
            },
            quote_via=quote,
        )
        return f"{self.base_url}/odoo/{LIST_ACTION_PATH}?{query}"

    def record_url(self, record):
        """Address of one record's form in Odoo."""
        return f"{self.base_url}/odoo/{record._name}/{record.id}"
