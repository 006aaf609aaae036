import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

#: ``path`` of the server action that opens a client's document folder: the
#: folder's URL (``/odoo/contacts/<id>/client-documents``) reopens it from
#: the client in the URL, in a new tab or after a reload.
DOCUMENTS_PATH = "client-documents"


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
        to the client.

        The quotes and invoices of the client that have no PDF yet get one
        first (see :meth:`_extrabat_render_missing_pdfs`). The action's URL
        names the client (``active_id``) and the server action of path
        :data:`DOCUMENTS_PATH`, which calls this method again when the URL
        is opened in a new tab or reloaded."""
        self.ensure_one()
        client = self.commercial_partner_id
        self._extrabat_render_missing_pdfs()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.ir_attachment_action_client_documents"
        )
        action["display_name"] = self.env._(
            "Document folder of %(client)s", client=client.display_name
        )
        action["domain"] = list(self._extrabat_documents_domain())
        action["path"] = DOCUMENTS_PATH
        action["context"] = {
            "active_id": self.id,
            "active_model": self._name,
            "extrabat_client_id": client.id,
            "default_res_model": "res.partner",
            "default_res_id": client.id,
            "search_default_group_by_extrabat_folder": 1,
        }
        return action

    @api.model
    def action_view_extrabat_documents_from_url(self):
        """The client's document folder of the partner named by the URL
        (``active_id`` of the context; the server action of path
        :data:`DOCUMENTS_PATH` calls this). Read with the user's rights.

        :raise UserError: the URL names no partner
        """
        context = self.env.context
        active_id = context.get("active_id")
        if context.get("active_model", self._name) != self._name or not active_id:
            raise UserError(self.env._("Open the document folder from a client."))
        return self.browse(active_id).action_view_extrabat_documents()

    # === BUSINESS ===
    @api.model
    def _extrabat_pdf_reports(self):
        """How the quotes and invoices of a client get their PDF when they
        have none yet (see :meth:`_extrabat_render_missing_pdfs`).

        Override to add a model (``super()`` then add a key).

        :return: ``{model name: (domain of the records of the clients given
            as ``client_ids``, function record -> (report, attachment
            values))}``
        """
        reports = {}
        reports["sale.order"] = (
            lambda client_ids: (
                Domain("partner_id", "child_of", client_ids)
                & Domain("state", "!=", "cancel")
            ),
            lambda order: (
                self.env.ref("sale.action_report_saleorder"),
                {"name": f"{order._get_report_base_filename()}.pdf"},
            ),
        )
        reports["account.move"] = (
            lambda client_ids: (
                Domain("commercial_partner_id", "in", client_ids)
                & Domain("move_type", "in", ("out_invoice", "out_refund"))
                & Domain("state", "=", "posted")
            ),
            self._extrabat_invoice_pdf_report,
        )
        return reports

    @api.model
    def _extrabat_invoice_pdf_report(self, invoice):
        """The invoice's PDF is its legal document (Odoo's *PDF File* of the
        invoice, made as when it is sent): the same file is then sent,
        downloaded and shown on the portal."""
        report = self.env["account.move.send"]._get_default_pdf_report_id(invoice)
        return report, {
            "name": invoice._get_invoice_report_filename(report=report),
            "res_field": "invoice_pdf_report_file",
        }

    def _extrabat_render_missing_pdfs(self):
        """Render the PDF of the client's quotes and posted invoices that
        have no PDF attached yet, with their standard report, and store it
        on the record (it then shows in the document folder and can be
        emailed).

        Only records the user may read are rendered (searched with the
        user's rights and companies, rendered as the user, in the record's
        company); the attachment is created as superuser since reading a
        quote is enough to print it. A record whose report fails is logged
        and skipped: the folder still opens.

        :return: the created ``ir.attachment``
        """
        clients = self.commercial_partner_id
        Attachment = self.env["ir.attachment"]
        created = Attachment.browse()
        if not clients:
            return created
        folder_fields = Attachment._extrabat_document_fields()
        for model, (domain_of, report_of) in self._extrabat_pdf_reports().items():
            if not self.env[model].has_access("read"):
                continue
            records = self.env[model].search(domain_of(clients.ids))
            if not records:
                continue
            with_pdf = Attachment.sudo().search(
                Domain("res_model", "=", model)
                & Domain("res_id", "in", records.ids)
                & Domain("res_field", "in", [False, *folder_fields.get(model, ())])
                & Domain("mimetype", "=", "application/pdf")
            )
            done = set(with_pdf.mapped("res_id"))
            for record in records.filtered(lambda r, ids=done: r.id not in ids):
                created |= self._extrabat_render_pdf(record, *report_of(record))
        return created

    @api.model
    def _extrabat_render_pdf(self, record, report, values):
        """Render ``record`` with ``report`` as the user, in the record's
        company, and attach the PDF to it.

        :param values: values of the attachment (its ``name`` at least)
        :return: the ``ir.attachment`` (empty when the report failed, or
            when it rendered HTML: tests without ``force_report_rendering``)
        """
        Attachment = self.env["ir.attachment"]
        try:
            content, report_type = (
                self.env["ir.actions.report"]
                .with_company(record.company_id)
                ._render_qweb_pdf(report, record.ids)
            )
        except (AccessError, UserError) as error:
            _logger.warning(
                "No PDF for %s (%s): %s", record._name, record.id, error.args[0]
            )
            return Attachment
        if report_type != "pdf":
            return Attachment
        return Attachment.sudo().create(
            {
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": record._name,
                "res_id": record.id,
                **values,
            }
        )

    @api.model
    def _get_commercial_document_fields(self):
        """Letters are commercial documents: a trashed prospect with a
        letter (its own or a contact's, signed or not) is never anonymised
        by the GDPR scheduled action."""
        return [
            *super()._get_commercial_document_fields(),
            ("extrabat.letter", "partner_id"),
        ]

    def _extrabat_anonymize_scope(self, scope):
        """The letters of the anonymised partners are anonymised too (when
        the anonymisation is asked for partners that have letters, which the
        scheduled action never does: see
        :meth:`_get_commercial_document_fields`). First: their files are
        attachments of the partners, which the anonymisation deletes."""
        letters = (
            self.env["extrabat.letter"].sudo().search([("partner_id", "in", scope.ids)])
        )
        letter_counts = letters._anonymize_for_gdpr()
        counts = super()._extrabat_anonymize_scope(scope)
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
