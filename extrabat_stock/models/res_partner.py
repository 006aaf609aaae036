from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === BUSINESS: CLIENT CODES ===

    @api.model
    def _get_customer_partner_ids(self, company):
        """The customers of ``company`` include those delivered without an
        order (a validated delivery note): *Assign* gives them a code too."""
        partner_ids = super()._get_customer_partner_ids(company)
        Picking = self.env["stock.picking"].sudo()
        rows = Picking._read_group(
            Picking._direct_delivery_domain()
            + [("company_id", "=", company.id), ("state", "=", "done")],
            ["partner_id"],
        )
        delivered = self.browse([partner.id for (partner,) in rows])
        return list(dict.fromkeys(partner_ids + delivered.commercial_partner_id.ids))

    # === BUSINESS: GDPR ===

    @api.model
    def _get_commercial_document_fields(self):
        """A prospect with a delivery note (whatever its state) is not
        anonymised."""
        return [
            *super()._get_commercial_document_fields(),
            ("stock.picking", "partner_id"),
        ]
