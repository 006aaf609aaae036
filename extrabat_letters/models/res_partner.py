from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS ===
    # Odoo 19 has no partner title any more; letters need the civilité.
    extrabat_civility = fields.Selection(
        [("mr", "Mr"), ("mrs", "Mrs"), ("mr_mrs", "Mr and Mrs")],
        string="Civility",
        help="Printed in letters as [data.civilite_client].",
    )
    letter_ids = fields.One2many("extrabat.letter", "partner_id", string="Letters")
    letter_count = fields.Integer(
        string="Letter count", compute="_compute_letter_count"
    )
    # Client's document folder (porte-documents).
    extrabat_document_count = fields.Integer(
        string="Documents", compute="_compute_extrabat_document_count"
    )

    # === COMPUTE ===
    def _compute_letter_count(self):
        counts = dict(
            self.env["extrabat.letter"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.letter_count = counts.get(partner, 0)

    def _compute_extrabat_document_count(self):
        Attachment = self.env["ir.attachment"]
        for partner in self:
            client = partner.commercial_partner_id
            partner.extrabat_document_count = (
                Attachment.search_count(partner._extrabat_documents_domain())
                if client.id
                else 0
            )

    # === ACTIONS ===
    def action_view_letters(self):
        """The client's *Letters*: its letters, *New* generates one."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.extrabat_letter_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_partner_id": False,
        }
        return action

    def action_generate_letters(self):
        """Open the wizard that generates one letter per selected client."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generate a letter"),
            "res_model": "extrabat.letter.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

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

    # === BUSINESS ===
    @api.model
    def _get_commercial_document_fields(self):
        """Letters are commercial documents: a trashed prospect with a
        letter (its own or a contact's, signed or not) is never anonymised
        by the GDPR scheduled action."""
        return [
            *super()._get_commercial_document_fields(),
            ("extrabat.letter", "partner_id"),
        ]

    def _anonymize_scope(self, scope):
        """The letters of the anonymised partners are anonymised too (when
        the anonymisation is asked for partners that have letters, which the
        scheduled action never does: see
        :meth:`_get_commercial_document_fields`). First: their files are
        attachments of the partners, which the anonymisation deletes."""
        letters = (
            self.env["extrabat.letter"].sudo().search([("partner_id", "in", scope.ids)])
        )
        letter_counts = letters._anonymize_for_gdpr()
        counts = super()._anonymize_scope(scope)
        for key, count in letter_counts.items():
            counts[key] = counts.get(key, 0) + count
        return counts

    def _extrabat_merge_preview_counts(self):
        """Add the letters of the partner and its contacts to the merge
        preview, after the invoices."""
        counts = super()._extrabat_merge_preview_counts()
        env = self.env
        scope = self.with_context(active_test=False).search(
            [("id", "child_of", self.id)]
        )
        letters = (
            env._("Letters"),
            env["extrabat.letter"].search_count([("partner_id", "in", scope.ids)]),
        )
        invoices = env._("Invoices and credit notes")
        labels = [label for label, _count in counts]
        position = labels.index(invoices) + 1 if invoices in labels else len(counts)
        counts.insert(position, letters)
        return counts

    def _extrabat_documents_domain(self):
        """Domain of the ``ir.attachment`` of the client's folder (hook)."""
        self.ensure_one()
        return Domain(
            "extrabat_client_id", "in", self.commercial_partner_id.ids
        ) & Domain("type", "=", "binary")
