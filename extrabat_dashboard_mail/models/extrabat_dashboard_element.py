import json
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import consteq
from odoo.tools.safe_eval import safe_eval

from extrabat_core.periods import Period, day_bounds_utc, month_start, today_in_zone

_logger = logging.getLogger(__name__)

# Customer invoices and credit notes: what "revenue invoiced" counts.
REVENUE_MOVE_TYPES = ("out_invoice", "out_refund")
UNPAID_STATES = ("not_paid", "partial")
LIST_LIMIT = 5
LIST_LINK_SCOPE = "extrabat_dashboard_mail-list-link"


class ExtrabatDashboardElement(models.Model):
    """The catalogue of dashboard elements a user can tick.

    The catalogue lives in code: :meth:`_get_dashboard_elements` lists the
    elements (other addons add theirs by overriding it) and each element
    ``key`` is computed by a method ``_compute_element_<key>(run)``. The
    records of this model only mirror that list (one per key, synchronised by
    :meth:`_sync_catalogue`) so that a subscription can tick them with a
    many2many; their labels come from the code, in the reader's language.
    """

    _name = "extrabat.dashboard.element"
    _description = "Dashboard element"
    _order = "sequence, id"
    _rec_name = "key"

    # === FIELDS === #

    key = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=100)
    active = fields.Boolean(default=True)

    # === CONSTRAINTS === #

    _key_unique = models.UniqueIndex(
        "(key)", "A dashboard element is declared only once."
    )

    # === COMPUTE === #

    @api.depends("key")
    @api.depends_context("lang")
    def _compute_display_name(self):
        descriptors = self._get_descriptors()
        for element in self:
            element.display_name = descriptors.get(element.key, {}).get(
                "name", element.key
            )

    # === CATALOGUE === #

    @api.model
    def _get_dashboard_elements(self):
        """The elements a dashboard can show. Override to add yours (call
        ``super()`` and append) and write ``_compute_element_<key>``.

        :return: list of dicts ``{'key': str, 'name': str (translated),
            'sequence': int,
            'default': bool (ticked for new subscriptions)}``
        """
        return [
            {
                "key": "revenue",
                "name": self.env._("Revenue invoiced"),
                "sequence": 10,
                "default": True,
            },
            {
                "key": "quotes_sent",
                "name": self.env._("Quotes sent"),
                "sequence": 20,
                "default": True,
            },
            {
                "key": "quotes_accepted",
                "name": self.env._("Quotes accepted"),
                "sequence": 30,
                "default": True,
            },
            {
                "key": "orders_confirmed",
                "name": self.env._("Orders confirmed"),
                "sequence": 40,
                "default": True,
            },
            {
                "key": "invoices_unpaid",
                "name": self.env._("Unpaid and overdue invoices"),
                "sequence": 50,
                "default": True,
            },
            {
                "key": "payments_received",
                "name": self.env._("Payments received"),
                "sequence": 60,
                "default": False,
            },
            {
                "key": "new_partners",
                "name": self.env._("New prospects and clients"),
                "sequence": 70,
                "default": True,
            },
            {
                "key": "quotes_follow_up",
                "name": self.env._("Quotes to follow up"),
                "sequence": 80,
                "default": True,
            },
            {
                "key": "agenda",
                "name": self.env._("Upcoming activities and meetings"),
                "sequence": 90,
                "default": True,
            },
            {
                "key": "top_clients",
                "name": self.env._("Top clients of the period"),
                "sequence": 100,
                "default": False,
            },
        ]

    @api.model
    def _get_descriptors(self):
        """:return: ``{key: descriptor}`` of :meth:`_get_dashboard_elements`"""
        return {d["key"]: d for d in self._get_dashboard_elements()}

    @api.model
    def _sync_catalogue(self):
        """Mirror :meth:`_get_dashboard_elements` in records: create the new
        keys, archive the keys no code declares any more (an uninstalled
        addon), restore the ones declared again. Cheap when nothing changed.

        :return: the active elements
        """
        descriptors = self._get_descriptors()
        elements = (
            self.sudo().with_context(active_test=False).search([("key", "!=", False)])
        )
        by_key = {element.key: element for element in elements}
        missing = [key for key in descriptors if key not in by_key]
        if missing:
            self.sudo().create(
                [
                    {"key": key, "sequence": descriptors[key]["sequence"]}
                    for key in missing
                ]
            )
        for key, element in by_key.items():
            if element.active != (key in descriptors):
                element.active = key in descriptors
        return self.search([("key", "!=", False)])

    @api.model
    def _default_elements(self):
        """Elements ticked for a new subscription."""
        descriptors = self._get_descriptors()
        return self._sync_catalogue().filtered(
            lambda e: descriptors[e.key].get("default", True)
        )

    # === BUSINESS === #

    def _compute_block(self, run):
        """Compute this element's block for ``run``.

        :param run: :class:`~odoo.addons.extrabat_dashboard_mail.tools.
            dashboard_run.DashboardRun`
        :return: a block dict (see :meth:`_make_block`), or ``None`` when the
            recipient may not see this element (missing access rights)
        """
        self.ensure_one()
        method = getattr(self.with_env(run.env), f"_compute_element_{self.key}", None)
        if method is None:
            _logger.info("Dashboard element %s has no compute method", self.key)
            return None
        try:
            block = method(run)
        except AccessError:
            # The recipient has no access to these documents: not theirs to see.
            return None
        if block is not None:
            block.setdefault("key", self.key)
            block.setdefault("title", self.with_env(run.env).display_name)
        return block

    @api.model
    def _make_block(self, **values):
        """A block as the mail template renders it. Every key is optional:

        - ``title`` (str): defaults to the element's name;
        - ``url`` (str): the list in Odoo behind the block;
        - ``figures``: list of ``{'label', 'value', 'note', 'variation'
          (see ``run.variation``), 'url'}``, shown as large numbers;
        - ``progress``: ``{'label', 'ratio' (0..1), 'text'}``, a gauge;
          (``width``, the HTML width of gauges and bars, is added here)
        - ``bars``: list of ``{'label', 'value', 'ratio' (0..1), 'highlight'}``,
          a horizontal bar chart in plain HTML;
        - ``rows``: list of ``{'label', 'value', 'note', 'url'}``, a short list;
        - ``more`` (str): a line under the list (e.g. "and 12 more");
        - ``empty`` (str): shown when the block has no figure, bar nor row.
        """
        block = {"figures": [], "bars": [], "rows": []}
        block.update(values)
        for gauge in [*block["bars"], block.get("progress") or {}]:
            if "ratio" in gauge:
                gauge["width"] = _width(gauge["ratio"])
        return block

    @api.model
    def _bars(self, labels_values, run, highlight_last=True):
        """Bars of a chart from ``[(label, amount)]``, scaled on the largest."""
        top = max((abs(v) for _label, v in labels_values), default=0) or 1
        last = len(labels_values) - 1
        return [
            {
                "label": label,
                "value": run.money(value),
                "ratio": max(value, 0) / top,
                "highlight": highlight_last and index == last,
            }
            for index, (label, value) in enumerate(labels_values)
        ]

    # --- revenue ------------------------------------------------------------------

    @api.model
    def _revenue_domain(self):
        return [("move_type", "in", REVENUE_MOVE_TYPES), ("state", "=", "posted")]

    def _compute_element_revenue(self, run):
        """Revenue invoiced (untaxed, credit notes deducted) over the period,
        against the previous period, the month to date against the monthly
        target, and a chart of the last periods. One query."""
        periods = run.chart_periods()
        month_first = month_start(run.period.last_day)
        span = Period(min(periods[0].start, month_first), run.period.end)
        rows = self.env["account.move"]._read_group(
            self._revenue_domain() + run.date_domain("invoice_date", span),
            ["invoice_date:day", "company_id"],
            ["amount_untaxed_signed:sum"],
        )
        by_day = {}
        for day, company, amount in rows:
            by_day[day] = by_day.get(day, 0.0) + run.convert(
                amount, company.currency_id
            )

        def total(period):
            return sum(v for d, v in by_day.items() if d in period)

        current, previous = total(periods[-1]), total(periods[-2])
        month_to_date = total(Period(month_first, run.period.end))
        target = run.subscription._get_monthly_target()
        progress = None
        if target > 0:
            progress = {
                "label": self.env._(
                    "%(month)s to date against the monthly target",
                    month=run.day(month_first, "MMMM y").capitalize(),
                ),
                "ratio": min(max(month_to_date / target, 0.0), 1.0),
                "text": self.env._(
                    "%(done)s of %(target)s (%(percent)s)",
                    done=run.money(month_to_date),
                    target=run.money(target),
                    percent=run.percent(month_to_date / target),
                ),
            }
        return self._make_block(
            url=run.list_url(
                "account.action_move_out_invoice_type",
                self._revenue_domain() + run.date_domain("invoice_date"),
                self.env._("Revenue invoiced: %(period)s", period=run.period_label()),
            ),
            figures=[
                {
                    "label": self.env._("Untaxed, credit notes deducted"),
                    "value": run.money(current),
                    "variation": run.variation(current, previous),
                    "note": self.env._(
                        "Previous period: %(amount)s", amount=run.money(previous)
                    ),
                }
            ],
            progress=progress,
            bars=self._bars([(run.short_label(p), total(p)) for p in periods], run),
        )

    # --- quotes and orders ----------------------------------------------------------

    def _compute_element_quotes_sent(self, run):
        """Quotes sent over the period: number and untaxed amount."""
        domain = run.datetime_domain("quotation_sent_date")
        rows = self.env["sale.order"]._read_group(
            domain, ["currency_id"], ["__count", "amount_untaxed:sum"]
        )
        count = sum(c for _cur, c, _a in rows)
        amount = run.total((cur, a) for cur, _c, a in rows)
        return self._make_block(
            url=run.list_url(
                "sale.action_quotations",
                domain,
                self.env._("Quotes sent: %(period)s", period=run.period_label()),
            ),
            figures=[
                {"label": self.env._("Quotes"), "value": run.number(count)},
                {"label": self.env._("Untaxed amount"), "value": run.money(amount)},
            ],
        )

    def _compute_element_quotes_accepted(self, run):
        """Quotes accepted (confirmed) over the period, and the conversion
        rate: the share of the quotes sent over the period already accepted."""
        accepted_domain = [
            ("state", "=", "sale"),
            ("quotation_sent_date", "!=", False),
        ] + run.datetime_domain("date_order")
        Order = self.env["sale.order"]
        rows = Order._read_group(
            accepted_domain, ["currency_id"], ["__count", "amount_untaxed:sum"]
        )
        accepted = sum(c for _cur, c, _a in rows)
        amount = run.total((cur, a) for cur, _c, a in rows)
        sent_by_state = dict(
            Order._read_group(
                run.datetime_domain("quotation_sent_date"), ["state"], ["__count"]
            )
        )
        sent = sum(sent_by_state.values())
        figures = [
            {"label": self.env._("Quotes accepted"), "value": run.number(accepted)},
            {"label": self.env._("Untaxed amount"), "value": run.money(amount)},
        ]
        if sent:
            figures.append(
                {
                    "label": self.env._("Conversion rate"),
                    "value": run.percent(sent_by_state.get("sale", 0) / sent),
                    "note": self.env._(
                        "of the %(count)s quotes sent over the period",
                        count=run.number(sent),
                    ),
                }
            )
        return self._make_block(
            url=run.list_url(
                "sale.action_orders",
                accepted_domain,
                self.env._("Quotes accepted: %(period)s", period=run.period_label()),
            ),
            figures=figures,
        )

    def _compute_element_orders_confirmed(self, run):
        """Orders confirmed over the period (quotes accepted or direct
        orders): number and untaxed amount, against the previous period."""
        Order = self.env["sale.order"]
        totals = []
        for period in (run.period, run.previous_period):
            rows = Order._read_group(
                [("state", "=", "sale")] + run.datetime_domain("date_order", period),
                ["currency_id"],
                ["__count", "amount_untaxed:sum"],
            )
            totals.append(
                (
                    sum(c for _cur, c, _a in rows),
                    run.total((cur, a) for cur, _c, a in rows),
                )
            )
        (count, amount), (previous_count, previous_amount) = totals
        return self._make_block(
            url=run.list_url(
                "sale.action_orders",
                [("state", "=", "sale")] + run.datetime_domain("date_order"),
                self.env._("Orders confirmed: %(period)s", period=run.period_label()),
            ),
            figures=[
                {
                    "label": self.env._("Orders"),
                    "value": run.number(count),
                    "variation": run.variation(count, previous_count),
                },
                {
                    "label": self.env._("Untaxed amount"),
                    "value": run.money(amount),
                    "variation": run.variation(amount, previous_amount),
                },
            ],
        )

    def _compute_element_quotes_follow_up(self, run):
        """Quotes sent more than N days ago (N set on the subscription) and
        still waiting: how many, how much, and the oldest ones with links."""
        days = max(run.subscription.follow_up_days, 1)
        # Sent before the start of the day N days ago, in the user's time zone.
        limit = fields.Datetime.to_string(
            day_bounds_utc(run.today - timedelta(days=days), run.tz)[0]
        )
        domain = [("state", "=", "sent"), ("quotation_sent_date", "<", limit)]
        Order = self.env["sale.order"]
        rows = Order._read_group(
            domain, ["currency_id"], ["__count", "amount_untaxed:sum"]
        )
        count = sum(c for _cur, c, _a in rows)
        amount = run.total((cur, a) for cur, _c, a in rows)
        oldest = Order.search_fetch(
            domain,
            [
                "name",
                "partner_id",
                "amount_untaxed",
                "currency_id",
                "quotation_sent_date",
            ],
            order="quotation_sent_date, id",
            limit=LIST_LIMIT,
        )
        rows_out = [
            {
                "label": f"{order.name} · {order.partner_id.display_name}",
                "value": run.money(
                    run.convert(order.amount_untaxed, order.currency_id)
                ),
                "note": self.env._(
                    "sent %(days)s days ago",
                    days=(
                        run.today - today_in_zone(order.quotation_sent_date, run.tz)
                    ).days,
                ),
                "url": run.record_url(order),
            }
            for order in oldest
        ]
        block = self._make_block(
            url=run.list_url(
                "sale.action_quotations",
                domain,
                self.env._("Quotes to follow up"),
            ),
            figures=[
                {
                    "label": self.env._(
                        "Waiting for more than %(days)s days", days=days
                    ),
                    "value": run.number(count),
                },
                {"label": self.env._("Untaxed amount"), "value": run.money(amount)},
            ],
            rows=rows_out,
            empty=self.env._("No quote is waiting: well done!"),
        )
        if count > len(oldest):
            block["more"] = self.env._(
                "and %(count)s more", count=run.number(count - len(oldest))
            )
        return block

    # --- invoices and payments -------------------------------------------------

    def _compute_element_invoices_unpaid(self, run):
        """Customer invoices not fully paid today, and those past their due
        date: number and amount left to collect."""
        Move = self.env["account.move"]
        unpaid = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", UNPAID_STATES),
        ]
        overdue = unpaid + [("invoice_date_due", "<", fields.Date.to_string(run.today))]
        result = {}
        for name, domain in (("unpaid", unpaid), ("overdue", overdue)):
            rows = Move._read_group(
                domain, ["company_id"], ["__count", "amount_residual_signed:sum"]
            )
            result[name] = (
                sum(c for _co, c, _a in rows),
                run.total((co.currency_id, a) for co, _c, a in rows),
            )
        title_unpaid, title_overdue = (
            self.env._("Unpaid invoices"),
            self.env._("Overdue invoices"),
        )
        return self._make_block(
            url=run.list_url(
                "account.action_move_out_invoice_type", unpaid, title_unpaid
            ),
            figures=[
                {
                    "label": title_unpaid,
                    "value": run.number(result["unpaid"][0]),
                    "note": run.money(result["unpaid"][1]),
                    "url": run.list_url(
                        "account.action_move_out_invoice_type", unpaid, title_unpaid
                    ),
                },
                {
                    "label": title_overdue,
                    "value": run.number(result["overdue"][0]),
                    "note": run.money(result["overdue"][1]),
                    "url": run.list_url(
                        "account.action_move_out_invoice_type", overdue, title_overdue
                    ),
                    "alert": bool(result["overdue"][0]),
                },
            ],
        )

    def _compute_element_payments_received(self, run):
        """Customer payments of the period (recorded, not cancelled)."""
        domain = [
            ("payment_type", "=", "inbound"),
            ("partner_type", "=", "customer"),
            ("state", "in", ("in_process", "paid")),
        ] + run.date_domain("date")
        rows = self.env["account.payment"]._read_group(
            domain, ["company_id"], ["__count", "amount_company_currency_signed:sum"]
        )
        count = sum(c for _co, c, _a in rows)
        amount = run.total((co.currency_id, a) for co, _c, a in rows)
        return self._make_block(
            url=run.list_url(
                "account.action_account_payments",
                domain,
                self.env._("Payments received: %(period)s", period=run.period_label()),
            ),
            figures=[
                {"label": self.env._("Payments"), "value": run.number(count)},
                {"label": self.env._("Amount received"), "value": run.money(amount)},
            ],
        )

    def _compute_element_top_clients(self, run):
        """The clients who were invoiced the most over the period."""
        domain = self._revenue_domain() + run.date_domain("invoice_date")
        Move = self.env["account.move"]
        companies = self.env.companies
        single_currency = all(c.currency_id == run.currency for c in companies)
        if single_currency:
            rows = Move._read_group(
                domain,
                ["commercial_partner_id"],
                ["amount_untaxed_signed:sum"],
                order="amount_untaxed_signed:sum desc",
                limit=LIST_LIMIT,
            )
            ranked = [(partner, amount) for partner, amount in rows]
        else:
            totals = {}
            for partner, company, amount in Move._read_group(
                domain,
                ["commercial_partner_id", "company_id"],
                ["amount_untaxed_signed:sum"],
            ):
                totals[partner] = totals.get(partner, 0.0) + run.convert(
                    amount, company.currency_id
                )
            ranked = sorted(totals.items(), key=lambda item: -item[1])[:LIST_LIMIT]
        ranked = [(p, a) for p, a in ranked if a > 0]
        bars = self._bars([(p.display_name, a) for p, a in ranked], run, False)
        for bar, (partner, _amount) in zip(bars, ranked, strict=True):
            bar["url"] = run.record_url(partner)
        return self._make_block(
            url=run.list_url(
                "account.action_move_out_invoice_type",
                domain,
                self.env._("Revenue invoiced: %(period)s", period=run.period_label()),
            ),
            bars=bars,
            empty=self.env._("No invoice over the period."),
        )

    # --- contacts -----------------------------------------------------------------

    def _partner_scope_domain(self, run):
        """A salesperson who only sees their own documents counts their own
        contacts (the contacts they are the salesperson of)."""
        if run.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return []
        return [("user_id", "=", run.user.id)]

    def _compute_element_new_partners(self, run):
        """Prospects created and clients won (became clients, see
        extrabat_crm's ``client_since``) over the period. Clients and
        prospects are commercial partners (a company's contacts share its
        status and are not counted again)."""
        Partner = self.env["res.partner"]
        scope = [("parent_id", "=", False)] + self._partner_scope_domain(run)
        prospects = (
            scope
            + [("client_status_id.is_prospect", "=", True)]
            + run.datetime_domain("create_date")
        )
        clients = scope + run.datetime_domain("client_since")
        prospect_count = Partner.search_count(prospects)
        client_count = Partner.search_count(clients)
        title_prospects = self.env._("New prospects")
        title_clients = self.env._("New clients")
        return self._make_block(
            figures=[
                {
                    "label": title_prospects,
                    "value": run.number(prospect_count),
                    "url": run.list_url(
                        "contacts.action_contacts", prospects, title_prospects
                    ),
                },
                {
                    "label": title_clients,
                    "value": run.number(client_count),
                    "url": run.list_url(
                        "contacts.action_contacts", clients, title_clients
                    ),
                },
            ],
        )

    # --- agenda -------------------------------------------------------------------

    def _compute_element_agenda(self, run):
        """The recipient's activities (overdue, and due before the next
        dashboard) and meetings until the next dashboard."""
        window = run.schedule.upcoming_window(run.today)
        user = run.user
        Activity = self.env["mail.activity"]
        mine = [("user_id", "=", user.id)]
        overdue_domain = mine + [
            ("date_deadline", "<", fields.Date.to_string(run.today))
        ]
        coming_domain = mine + run.date_domain("date_deadline", window)
        overdue_count = Activity.search_count(overdue_domain)
        activities = Activity.search_fetch(
            mine + [("date_deadline", "<", fields.Date.to_string(window.end))],
            [
                "res_name",
                "summary",
                "activity_type_id",
                "date_deadline",
                "res_model",
                "res_id",
            ],
            order="date_deadline, id",
            limit=LIST_LIMIT,
        )
        Event = self.env["calendar.event"]
        event_domain = [
            ("partner_ids", "in", user.partner_id.ids)
        ] + run.datetime_domain("start", window)
        event_count = Event.search_count(event_domain)
        events = Event.search_fetch(
            event_domain,
            ["name", "start", "allday", "start_date"],
            order="start, id",
            limit=LIST_LIMIT,
        )
        rows = [
            {
                "label": event.name,
                "value": run.day(event.start_date, "EEE d MMM")
                if event.allday
                else run.moment(event.start),
                "note": self.env._("Meeting"),
                "url": run.record_url(event),
            }
            for event in events
        ]
        for activity in activities:
            late = activity.date_deadline < run.today
            rows.append(
                {
                    "label": " · ".join(
                        filter(
                            None,
                            (
                                activity.summary or activity.activity_type_id.name,
                                activity.res_name,
                            ),
                        )
                    ),
                    "value": run.day(activity.date_deadline, "EEE d MMM"),
                    "note": self.env._("Late") if late else self.env._("Activity"),
                    "alert": late,
                    "url": f"{run.base_url}/odoo/{activity.res_model}/{activity.res_id}"
                    if activity.res_model and activity.res_id
                    else "",
                }
            )
        return self._make_block(
            url=run.list_url(
                "calendar.action_calendar_event",
                event_domain,
                self.env._("My meetings until %(day)s", day=run.day(window.last_day)),
            ),
            figures=[
                {
                    "label": self.env._("Meetings"),
                    "value": run.number(event_count),
                    "url": run.list_url(
                        "calendar.action_calendar_event",
                        event_domain,
                        self.env._(
                            "My meetings until %(day)s", day=run.day(window.last_day)
                        ),
                    ),
                },
                {
                    "label": self.env._("Activities due"),
                    "value": run.number(Activity.search_count(coming_domain)),
                    "url": run.list_url(
                        "mail.mail_activity_action",
                        coming_domain,
                        self.env._(
                            "My activities until %(day)s", day=run.day(window.last_day)
                        ),
                    ),
                },
                {
                    "label": self.env._("Activities late"),
                    "value": run.number(overdue_count),
                    "alert": bool(overdue_count),
                    "url": run.list_url(
                        "mail.mail_activity_action",
                        overdue_domain,
                        self.env._("My late activities"),
                    ),
                },
            ],
            rows=rows,
            empty=self.env._("Nothing planned until the next dashboard."),
        )

    # === WEB CLIENT === #

    @api.model
    def _get_list_actions(self):
        """The window actions a link of the mail may open (XML ids), and
        nothing else. Override to add the actions your elements link to
        (call ``super()`` and add to the set).

        :return: set of XML ids of ``ir.actions.act_window``
        """
        return {
            "account.action_account_payments",
            "account.action_move_out_invoice_type",
            "calendar.action_calendar_event",
            "contacts.action_contacts",
            "mail.mail_activity_action",
            "sale.action_orders",
            "sale.action_quotations",
        }

    @api.model
    def _sign_list_link(self, action_xmlid, domain, name):
        """Signature (HMAC with the database secret) of a link of the mail:
        only the exact action, domain (its JSON text) and title the server
        wrote into the mail open a list.

        :param domain: the domain as the JSON text of the link
        :return: str, to put in the link as ``list_sig``
        """
        return "v1." + tools.hmac(
            self.env(su=True), LIST_LINK_SCOPE, (action_xmlid, domain, name or "")
        )

    @api.model
    def get_list_action(self, action_xmlid, domain, name, signature=None):
        """The window action opened by a link of the mail (called by the web
        client action ``extrabat_dashboard_list``): ``action_xmlid``
        restricted to ``domain`` (JSON), titled ``name``, list view first.

        Reachable by RPC with any arguments: it opens only the actions of
        :meth:`_get_list_actions`, and only with a domain and a title the
        server signed when it wrote the mail (``signature``, see
        :meth:`_sign_list_link`) — no other model, action or domain. It runs
        with the clicking user's rights: the list shows what they may see,
        whatever the link says.

        :raises UserError: on a link that is not one of ours (action not
            allowed, missing or wrong signature, unreadable domain)
        """
        error = self.env._(
            "This dashboard link is damaged or out of date. Open the list "
            "from the menu instead."
        )
        if (
            not isinstance(action_xmlid, str)
            or not isinstance(domain, str)
            or action_xmlid not in self._get_list_actions()
            or not isinstance(signature, str)
            or not consteq(self._sign_list_link(action_xmlid, domain, name), signature)
        ):
            raise UserError(error)
        try:
            action = self.env.ref(action_xmlid)
            parsed = json.loads(domain)
            Domain(parsed)  # validates the domain's shape
        except (ValueError, TypeError):
            raise UserError(error) from None
        if action._name != "ir.actions.act_window":
            raise UserError(error)
        if not isinstance(parsed, list):
            raise UserError(error)
        result = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        result.update(
            {
                "domain": parsed,
                "name": name or result.get("name"),
                "display_name": name or result.get("display_name"),
                "context": self._list_action_context(result.get("context")),
                "target": "current",
                "help": self._list_action_help(),
                # Real documents only: no sample records (in the sample
                # model's currency) behind the empty list.
                "useSampleModel": False,
            }
        )
        views = result.get("views") or []
        result["views"] = sorted(views, key=lambda view: view[1] != "list")
        return result

    @api.model
    def _list_action_help(self):
        """The empty list's message (HTML; the web client renders it as
        such): the figure's documents changed since the mail was written,
        or the user may not see them. Override to change it."""
        return Markup('<p class="o_view_nocontent_empty_folder">%s</p><p>%s</p>') % (
            self.env._("Nothing to show any more"),
            self.env._(
                "The documents behind this figure of the dashboard have "
                "changed since the email was sent, or you are not allowed to "
                "see them."
            ),
        )

    @api.model
    def _list_action_context(self, context):
        """The action's context without its default filters and groupings
        (the link's domain alone decides what the list shows)."""
        try:
            values = safe_eval(
                context or "{}",
                {
                    "uid": self.env.uid,
                    "user": self.env.user,
                    "context": dict(self.env.context),
                    "allowed_company_ids": self.env.companies.ids,
                    "active_id": False,
                    "active_ids": [],
                    "active_model": False,
                },
            )
        except ValueError:  # safe_eval's error: an unreadable context is dropped
            return {}
        if not isinstance(values, dict):
            return {}
        return {
            key: value
            for key, value in values.items()
            if not key.startswith("search_default_") and key != "group_by"
        }


def _width(ratio):
    """HTML width of a bar: at least 1% so that a small value still shows."""
    return f"{max(1, round(min(max(ratio, 0.0), 1.0) * 100))}%"
