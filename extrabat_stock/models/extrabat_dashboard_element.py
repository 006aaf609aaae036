from odoo import api, fields, models

from extrabat_core.periods import day_bounds_utc

DELIVERY_LIST_ACTION = "stock.action_picking_tree_outgoing"
# Odoo's "Late" filter of the transfers: not done, not cancelled, not draft.
PENDING_STATES = ("confirmed", "waiting", "assigned")


class ExtrabatDashboardElement(models.Model):
    _inherit = "extrabat.dashboard.element"

    # === CATALOGUE ===

    @api.model
    def _get_dashboard_elements(self):
        """Delivery notes after the orders confirmed (the catalogue stays in
        the order of the sequences, as its records and the mail show it)."""
        elements = [
            *super()._get_dashboard_elements(),
            {
                "key": "delivery_notes",
                "name": self.env._("Delivery notes"),
                "sequence": 45,
                "default": False,
            },
        ]
        return sorted(elements, key=lambda element: element["sequence"])

    # === BUSINESS ===

    def _delivery_scope_domain(self, run):
        """Stock users and salespeople who see every document count every
        delivery of their companies; a salesperson who sees only their own
        documents counts the deliveries of their orders and those made
        without an order for their clients (as "New prospects and clients"
        counts their own contacts: Odoo gives salespeople every delivery)."""
        user = run.user
        if user.has_group("stock.group_stock_user") or user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        ):
            return []
        return [
            "|",
            ("sale_id.user_id", "=", user.id),
            "&",
            ("sale_id", "=", False),
            ("partner_id.commercial_partner_id.user_id", "=", user.id),
        ]

    def _get_block_delivery_notes(self, run):
        """Delivery notes validated over the period, against the previous
        period, and the deliveries still to do whose scheduled date is past.
        Three counts, whatever the number of deliveries."""
        Picking = self.env["stock.picking"]
        deliveries = [("picking_type_code", "=", "outgoing")] + (
            self._delivery_scope_domain(run)
        )
        validated = deliveries + [("state", "=", "done")]
        current_domain = validated + run.datetime_domain("date_done")
        current = Picking.search_count(current_domain)
        previous = Picking.search_count(
            validated + run.datetime_domain("date_done", run.previous_period)
        )
        today_start = day_bounds_utc(run.today, run.tz)[0]
        late_domain = deliveries + [
            ("state", "in", PENDING_STATES),
            ("scheduled_date", "<", fields.Datetime.to_string(today_start)),
        ]
        late = Picking.search_count(late_domain)
        title_validated = self.env._(
            "Delivery notes validated: %(period)s", period=run.period_label()
        )
        title_late = self.env._("Late deliveries")
        validated_url = run.list_url(
            DELIVERY_LIST_ACTION, current_domain, title_validated
        )
        return self._make_block(
            url=validated_url,
            figures=[
                {
                    "label": self.env._("Validated"),
                    "value": run.number(current),
                    "variation": run.variation(current, previous),
                    "note": self.env._(
                        "Previous period: %(count)s", count=run.number(previous)
                    ),
                    "url": validated_url,
                },
                {
                    "label": title_late,
                    "value": run.number(late),
                    "alert": bool(late),
                    "url": run.list_url(DELIVERY_LIST_ACTION, late_domain, title_late),
                },
            ],
        )


class ExtrabatDashboardListLink(models.AbstractModel):
    _inherit = "extrabat.dashboard.list.link"

    @api.model
    def _get_list_actions(self):
        return super()._get_list_actions() | {DELIVERY_LIST_ACTION}
