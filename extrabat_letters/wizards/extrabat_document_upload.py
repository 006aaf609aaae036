from odoo import api, fields, models
from odoo.exceptions import UserError


class ExtrabatDocumentUpload(models.TransientModel):
    """Add files from the computer, the phone or the tablet's camera to a
    folder of the client's document folder."""

    _name = "extrabat.document.upload"
    _description = "Add documents to a client's folder"

    # === FIELDS ===

    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        default=lambda self: self._default_partner_id(),
    )
    extrabat_folder = fields.Selection(
        selection=lambda self: (
            self.env["ir.attachment"]
            ._fields["extrabat_folder"]
            ._description_selection(self.env)
        ),
        string="Folder",
        help="Leave empty to file each document by its type (pictures in "
        "Photos, the rest in Other).",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "extrabat_document_upload_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="Files",
    )

    # === DEFAULTS ===

    @api.model
    def _default_partner_id(self):
        client_id = self.env.context.get("extrabat_client_id")
        if not client_id:
            return False
        return self.env["res.partner"].browse(client_id).exists().commercial_partner_id

    # === ACTIONS ===

    def action_upload(self):
        self.ensure_one()
        self._file_attachments()
        return {"type": "ir.actions.act_window_close"}

    # === BUSINESS ===

    def _file_attachments(self):
        """Move the uploaded files onto the client, in the chosen folder.

        Only files this user has just uploaded through this wizard are
        moved (the ids come from the browser).

        :return: the filed ``ir.attachment``
        :raise UserError: nothing uploaded
        """
        self.ensure_one()
        uploads = self.attachment_ids.filtered(
            lambda a: (
                a.res_model == self._name
                and a.create_uid == self.env.user
                and not a.res_field
            )
        )
        if not uploads:
            raise UserError(self.env._("Add at least one file."))
        client = self.partner_id.commercial_partner_id
        client.check_access("write")
        vals = {"res_model": "res.partner", "res_id": client.id}
        if self.extrabat_folder:
            vals["extrabat_folder"] = self.extrabat_folder
        uploads.write(vals)
        return uploads
