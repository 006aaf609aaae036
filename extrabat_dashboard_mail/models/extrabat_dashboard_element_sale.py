from datetime import timedelta

from odoo import fields, models

from extrabat_core.periods import day_bounds_utc, today_in_zone

from ..tools.dashboard_run import LIST_LIMIT


class ExtrabatDashboardElement(models.Model):
    """Dashboard elements about quotes and orders (Sales app)."""

    # One file per application, as Odoo splits big models by concern.
    _inherit = "extrabat.dashboard.element"  # pylint: disable=consider-merging-classes-inherited

    def _get_block_quotes_sent(self, run):
        """Quotes sent over the period: number and untaxed amount."""
        domain = run.datetime_domain("quotation_sent_date")
        count, amount = run.count_and_total("sale.order", domain, "amount_untaxed")
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

    def _get_block_quotes_accepted(self, run):
        """Quotes accepted (confirmed) over the period, and the conversion
        rate: the share of the quotes sent over the period already accepted."""
        accepted_domain = [
            ("state", "=", "sale"),
            ("quotation_sent_date", "!=", False),
        ] + run.datetime_domain("date_order")
        accepted, amount = run.count_and_total(
            "sale.order", accepted_domain, "amount_untaxed"
        )
        sent_by_state = dict(
            self.env["sale.order"]._read_group(
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

    def _get_block_orders_confirmed(self, run):
        """Orders confirmed over the period (quotes accepted or direct
        orders): number and untaxed amount, against the previous period."""
        (count, amount), (previous_count, previous_amount) = (
            run.count_and_total(
                "sale.order",
                [("state", "=", "sale")] + run.datetime_domain("date_order", period),
                "amount_untaxed",
            )
            for period in (run.period, run.previous_period)
        )
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

    def _get_block_quotes_follow_up(self, run):
        """Quotes sent more than N days ago (N set on the subscription) and
        still waiting: how many, how much, and the oldest ones with links."""
        days = max(run.subscription.follow_up_days, 1)
        # Sent before the start of the day N days ago, in the user's time zone.
        limit = fields.Datetime.to_string(
            day_bounds_utc(run.today - timedelta(days=days), run.tz)[0]
        )
        domain = [("state", "=", "sent"), ("quotation_sent_date", "<", limit)]
        count, amount = run.count_and_total("sale.order", domain, "amount_untaxed")
        oldest = self.env["sale.order"].search_fetch(
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
