from odoo import api, fields, models

from extrabat_core.periods import Period, month_start

from ..tools.dashboard_run import LIST_LIMIT

# Customer invoices and credit notes: what "revenue invoiced" counts.
REVENUE_MOVE_TYPES = ("out_invoice", "out_refund")
UNPAID_STATES = ("not_paid", "partial")


class ExtrabatDashboardElement(models.Model):
    """Dashboard elements about invoicing and payments (Invoicing app)."""

    # One file per application, as Odoo splits big models by concern.
    _inherit = "extrabat.dashboard.element"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _revenue_domain(self):
        return [("move_type", "in", REVENUE_MOVE_TYPES), ("state", "=", "posted")]

    def _get_block_revenue(self, run):
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

    def _get_block_invoices_unpaid(self, run):
        """Customer invoices not fully paid today, and those past their due
        date: number and amount left to collect."""
        unpaid = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", UNPAID_STATES),
        ]
        overdue = unpaid + [("invoice_date_due", "<", fields.Date.to_string(run.today))]
        result = {
            name: run.count_and_total(
                "account.move", domain, "amount_residual_signed", by="company_id"
            )
            for name, domain in (("unpaid", unpaid), ("overdue", overdue))
        }
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

    def _get_block_payments_received(self, run):
        """Customer payments of the period (recorded, not cancelled)."""
        domain = [
            ("payment_type", "=", "inbound"),
            ("partner_type", "=", "customer"),
            ("state", "in", ("in_process", "paid")),
        ] + run.date_domain("date")
        count, amount = run.count_and_total(
            "account.payment", domain, "amount_company_currency_signed", by="company_id"
        )
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

    def _get_block_top_clients(self, run):
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
