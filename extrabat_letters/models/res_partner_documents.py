from odoo import fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    """The client's document folder (porte-documents): every file of the
    client, of its contacts, orders, invoices and letters, by folder."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    extrabat_document_count = fields.Integer(
        string="Documents", compute="_compute_extrabat_document_count"
    )

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_extrabat_document_count(self):
        Attachment = self.env["ir.attachment"]
        for partner in self:
            client = partner.commercial_partner_id
            partner.extrabat_document_count = (
                Attachment.search_count(partner._extrabat_documents_domain())
                if client.id
                else 0
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_extrabat_documents(self):
        """Open the client's document folder, grouped by folder; uploads go
        to the client."""
        self.ensure_one()
        client = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.ir_attachment_action_client_documents"
        )
        action["display_name"] = self.env._(
            "Document folder of %(client)s", client=client.display_name
        )
        action["domain"] = list(self._extrabat_documents_domain())
        action["context"] = {
            "extrabat_client_id": client.id,
            "default_res_model": "res.partner",
            "default_res_id": client.id,
            "search_default_group_by_extrabat_folder": 1,
        }
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _extrabat_documents_domain(self):
        """Domain of the ``ir.attachment`` of the client's folder (hook)."""
        self.ensure_one()
        return Domain(
            "extrabat_client_id", "in", self.commercial_partner_id.ids
        ) & Domain("type", "=", "binary")
