from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import Query

#: Folders of the client's document folder (porte-documents).
EXTRABAT_FOLDERS = [
    ("courriers", "Courriers"),
    ("devis", "Devis"),
    ("factures", "Factures"),
    ("photos", "Photos"),
    ("autres", "Autres"),
]


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # === FIELDS ===
    extrabat_folder = fields.Selection(
        EXTRABAT_FOLDERS,
        string="Folder",
        compute="_compute_extrabat_folder",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="Folder of the client's document folder (porte-documents) the "
        "file is shown in. Guessed from the document it is attached to when "
        "not chosen.",
    )

    extrabat_client_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_extrabat_client_id",
        search="_search_extrabat_client_id",
        help="The client whose document folder (porte-documents) holds this "
        "file: the commercial partner of the record it is attached to.",
    )

    # === COMPUTE ===
    @api.depends("res_model", "mimetype")
    def _compute_extrabat_folder(self):
        for attachment in self:
            if not attachment.extrabat_folder:
                attachment.extrabat_folder = attachment._guess_extrabat_folder()

    # === BUSINESS ===
    def _guess_extrabat_folder(self):
        """The folder of an attachment nobody filed: quotes and orders in
        *Devis*, invoices in *Factures*, pictures in *Photos*, the rest in
        *Autres*. Override to file other documents."""
        self.ensure_one()
        if self.res_model == "sale.order":
            return "devis"
        if self.res_model == "account.move":
            return "factures"
        if (self.mimetype or "").startswith("image/"):
            return "photos"
        return "autres"

    # === HOOKS ===

    @api.model
    def _extrabat_client_paths(self):
        """Models whose attachments belong to a client's document folder.

        Override to add a model (``super()`` then add a key).

        :return: ``{model name: path from a record to its client partner}``,
            only for models installed in the registry
        """
        paths = {
            "res.partner": "commercial_partner_id",
            "sale.order": "partner_id.commercial_partner_id",
            "account.move": "commercial_partner_id",
            "extrabat.letter": "partner_id.commercial_partner_id",
        }
        return {model: path for model, path in paths.items() if model in self.env}

    # === COMPUTE / SEARCH ===

    @api.depends("res_model", "res_id")
    def _compute_extrabat_client_id(self):
        paths = self._extrabat_client_paths()
        self.extrabat_client_id = False
        for model, path in paths.items():
            attachments = self.filtered(
                lambda a, m=model: a.res_model == m and a.res_id
            )
            if not attachments:
                continue
            # The attachment is readable only if its record is: reading the
            # record's client as superuser reveals nothing more.
            records = self.env[model].sudo().browse(attachments.mapped("res_id"))
            records = records.with_context(active_test=False).exists()
            clients = {record.id: record.mapped(path)[:1] for record in records}
            for attachment in attachments:
                client = clients.get(attachment.res_id)
                attachment.extrabat_client_id = client.id if client else False

    def _search_extrabat_client_id(self, operator, value):
        """Attachments of the given clients (any partner of a client counts
        as its commercial partner); ``in`` and ``any`` only."""
        partners = self.env["res.partner"].sudo().with_context(active_test=False)
        if operator == "in":
            partners = partners.browse(v for v in value if v)
        elif operator == "any":
            if isinstance(value, Query):
                value = Domain("id", "in", value)
            partners = partners.search(Domain(value))
        else:
            return NotImplemented
        client_ids = partners.commercial_partner_id.ids
        if not client_ids:
            return Domain.FALSE
        domains = []
        for model, path in self._extrabat_client_paths().items():
            records = self.env[model].sudo().with_context(active_test=False)
            domains.append(
                Domain("res_model", "=", model)
                & Domain("res_id", "in", records._search([(path, "in", client_ids)]))
            )
        return Domain.OR(domains)

    # === ACTIONS ===

    def action_extrabat_download(self):
        """Download the file (button of the client's document folder)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/ir.attachment/{self.id}/datas?download=true",
            "target": "download",
        }
