import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# Demo orders invoiced (and the invoices posted) once accounting is ready.
DEMO_ORDERS_TO_INVOICE = (
    "extrabat_crm.demo_order_dupont",
    "extrabat_crm.demo_order_lefevre",
    "extrabat_crm.demo_order_rousseau",
)


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_demo_data(self, company=False):
        res = super()._post_load_demo_data(company)
        self._extrabat_crm_load_demo_invoices()
        return res

    @api.model
    def _extrabat_crm_load_demo_invoices(self):
        """Invoice the demo orders of the Extrabat CRM demo data and post the
        invoices. Called by the demo data and again when a chart of accounts
        is loaded with demo data (in ``make run``, the chart is installed
        after this module's demo data): does nothing until the company has a
        sales journal, and never twice."""
        orders = self.env["sale.order"]
        for xmlid in DEMO_ORDERS_TO_INVOICE:
            orders |= self.env.ref(xmlid, raise_if_not_found=False) or orders
        orders = orders.filtered(lambda o: o.state == "sale" and not o.invoice_ids)
        for order in orders:
            journal = self.env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", order.company_id.id)],
                limit=1,
            )
            if not journal:
                continue
            try:
                order._create_invoices().action_post()
            except (UserError, ValidationError):
                _logger.exception(
                    "Extrabat CRM demo: order %s not invoiced", order.name
                )
