from odoo import api, fields, models
from odoo.exceptions import UserError


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    # === FIELDS ===

    extrabat_client_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_extrabat_client_id",
        help="The client the email is about, when all its records belong to "
        "the same client: its documents can then be attached.",
    )
    extrabat_attach_client_documents = fields.Boolean(
        string="Attach client documents",
        help="Pick documents from the client's folder (letters, quotes, "
        "invoices, photos…) and send them with this email.",
    )
    extrabat_document_ids = fields.Many2many(
        "ir.attachment",
        "mail_compose_message_extrabat_document_rel",
        "wizard_id",
        "attachment_id",
        string="Client documents",
        help="Documents of the client's folder sent with this email.",
    )

    # === COMPUTE ===

    @api.depends("model", "res_ids", "composition_mode")
    def _compute_extrabat_client_id(self):
        paths = self.env["ir.attachment"]._extrabat_client_paths()
        for composer in self:
            client = self.env["res.partner"]
            if composer.model in paths and composer.composition_mode == "comment":
                res_ids = composer._evaluate_res_ids()
                records = self.env[composer.model].browse(res_ids).exists()
                client = records.mapped(paths[composer.model])
            composer.extrabat_client_id = client if len(client) == 1 else False

    # === ACTIONS ===

    def _action_send_mail(self, auto_commit=False):
        self._extrabat_attach_documents()
        return super()._action_send_mail(auto_commit=auto_commit)

    def _action_schedule_message(self):
        self._extrabat_attach_documents()
        return super()._action_schedule_message()

    # === BUSINESS ===

    def _extrabat_attach_documents(self):
        """Add the picked client documents to the email's attachments
        (linked, not moved: they stay in the client's folder)."""
        for composer in self:
            documents = composer._extrabat_documents_to_send()
            if documents:
                composer.attachment_ids |= documents

    def _extrabat_documents_to_send(self):
        """The client documents picked in the composer, checked.

        Only documents the user may read and that belong to the composer's
        client are accepted (the ids come from the browser).

        :return: ``ir.attachment`` recordset
        :raise UserError: a document is not one of the client's
        """
        self.ensure_one()
        documents = self.extrabat_document_ids
        if not self.extrabat_attach_client_documents or not documents:
            return documents.browse()
        documents.check_access("read")
        strangers = documents.filtered(
            lambda document: (
                not self.extrabat_client_id
                or document.extrabat_client_id != self.extrabat_client_id
            )
        )
        if strangers:
            raise UserError(
                self.env._(
                    "These documents are not in the client's folder: %(names)s",
                    names=", ".join(strangers.mapped("name")),
                )
            )
        return documents
