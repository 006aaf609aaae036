from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import Query

from extrabat_core.server_only import is_set

from .extrabat_letter import SERVER_WRITE, SERVER_WRITE_KEY, without_defaults

#: Folders of the client's document folder (keys are stored: never renamed).
EXTRABAT_FOLDERS = [
    ("courriers", "Letters"),
    ("devis", "Quotes"),
    ("factures", "Invoices"),
    ("photos", "Photos"),
    ("autres", "Other"),
]
#: Fields of a file of a signed or sent letter that nobody changes (its
#: content and what it is attached to as a letter's file); renaming it or
#: moving it to another partner (merge of clients) stays possible.
LETTER_FILE_LOCKED_FIELDS = frozenset(
    {
        "raw",
        "datas",
        "db_datas",
        "store_fname",
        "checksum",
        "file_size",
        "mimetype",
        "type",
        "url",
        "res_model",
        "res_field",
        "extrabat_letter_id",
    }
)


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
        help="Folder of the client's document folder the "
        "file is shown in. Guessed from the document it is attached to when "
        "not chosen.",
    )

    extrabat_client_id = fields.Many2one(
        "res.partner",
        string="Client",
        compute="_compute_extrabat_client_id",
        search="_search_extrabat_client_id",
        help="The client whose document folder holds this "
        "file: the commercial partner of the record it is attached to.",
    )

    extrabat_letter_id = fields.Many2one(
        "extrabat.letter",
        string="Letter",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The letter that made this file (set by the application only): "
        "a letter only ever updates, serves or deletes its own files.",
    )

    # === COMPUTE ===
    @api.depends("res_model", "mimetype")
    def _compute_extrabat_folder(self):
        for attachment in self:
            if not attachment.extrabat_folder:
                attachment.extrabat_folder = attachment._guess_extrabat_folder()

    # === CRUD ===
    @api.model_create_multi
    def create(self, vals_list):
        if not self._extrabat_is_server_write():
            if any("extrabat_letter_id" in vals for vals in vals_list):
                raise AccessError(
                    self.env._("The letter of a file is set by the application only.")
                )
            # ``default_extrabat_letter_id`` of the context is client data
            clean = self.env(
                context=without_defaults(self.env.context, {"extrabat_letter_id"})
            )
            return super(IrAttachment, self.with_env(clean)).create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self._extrabat_is_server_write():
            if "extrabat_letter_id" in vals:
                raise AccessError(
                    self.env._("The letter of a file is set by the application only.")
                )
            if LETTER_FILE_LOCKED_FIELDS.intersection(vals):
                self._check_not_locked_letter_file()
        return super().write(vals)

    def unlink(self):
        if not self._extrabat_is_server_write():
            self._check_not_locked_letter_file()
        return super().unlink()

    # === ACCESS ===
    def _check_access(self, operation):
        """A letter's file is attached to the client (its document folder),
        but it is the letter's: who may not read the letter (another
        salesperson's letter for a user who sees his own documents only) may
        not read, change or delete its files either."""
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        remaining = (self - forbidden).sudo()
        remaining.fetch(["extrabat_letter_id"])
        letters = remaining.extrabat_letter_id.sudo(False)
        if not letters:
            return result
        readable = letters.with_context(active_test=False)._filtered_access("read")
        hidden = remaining.filtered(
            lambda a: a.extrabat_letter_id and a.extrabat_letter_id not in readable
        ).sudo(False)
        if not hidden:
            return result
        if result:
            return forbidden | hidden, result[1]
        return hidden, lambda: AccessError(
            self.env._("You are not allowed to access the files of this letter.")
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        """The files of letters the user may not read are not found either
        (see :meth:`_check_access`).

        A search of a client's documents also finds the files of the
        binary fields that are documents (see
        :meth:`_extrabat_document_fields`), which Odoo leaves out of a
        search that names no ``res_field``."""
        domain = Domain(domain)
        conditions = {condition.field_expr for condition in domain.iter_conditions()}
        if (
            any(c.split(".")[0] == "extrabat_client_id" for c in conditions)
            and not conditions & {"id", "res_field"}
            and not self.env.context.get("skip_res_field_check")
        ):
            names = {
                name
                for names in self._extrabat_document_fields().values()
                for name in names
            }
            domain &= Domain("res_field", "in", [False, *sorted(names)])
        if not self.env.su and not kwargs.get("bypass_access"):
            domain &= Domain("extrabat_letter_id", "=", False) | Domain(
                "extrabat_letter_id", "any", []
            )
        return super()._search(domain, offset, limit, order, **kwargs)

    # === BUSINESS ===
    def _extrabat_is_server_write(self):
        return is_set(self.env.context, SERVER_WRITE_KEY, SERVER_WRITE)

    def _check_not_locked_letter_file(self):
        """The files of a signed or sent letter are sealed: nobody, not even
        the superuser, changes or deletes them outside the server's own
        flows.

        :raise UserError: one of the attachments is such a file
        """
        ids = [attachment_id for attachment_id in self.ids if attachment_id]
        if not ids or "extrabat.letter" not in self.env:
            return
        locked = (
            self.env["extrabat.letter"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                Domain("state", "!=", "draft")
                & (
                    Domain("pdf_attachment_id", "in", ids)
                    | Domain("document_attachment_id", "in", ids)
                ),
                limit=1,
            )
        )
        if locked:
            raise UserError(
                self.env._(
                    "This file belongs to a signed or sent letter: it cannot be "
                    "modified or deleted."
                )
            )

    def _guess_extrabat_folder(self):
        """The folder of an attachment nobody filed: quotes and orders in
        *Quotes*, invoices in *Invoices*, pictures in *Photos*, the rest in
        *Other*. Override to file other documents."""
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

    @api.model
    def _extrabat_document_fields(self):
        """Binary fields whose file is a document of the client's folder
        (other binary fields' values, such as a signature image or a
        picture of the client, are part of their record).

        Override to add one (``super()`` then add a key).

        :return: ``{model name: (field name, ...)}``
        """
        return {"account.move": ("invoice_pdf_report_file",)}

    # === COMPUTE / SEARCH ===

    @api.depends("res_model", "res_id")
    def _compute_extrabat_client_id(self):
        paths = self._extrabat_client_paths()
        document_fields = self._extrabat_document_fields()
        self.extrabat_client_id = False
        for model, path in paths.items():
            # A binary field's value (a signature image, a photo of the
            # client) is part of its record, not a document of the client
            # (but an invoice's PDF File is).
            binaries = (False, *document_fields.get(model, ()))
            attachments = self.filtered(
                lambda a, m=model, b=binaries: (
                    a.res_model == m and a.res_id and a.res_field in b
                )
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
        as its commercial partner); ``in`` and ``any`` only. The values of
        binary fields (``res_field``: signature images, pictures of the
        client) are never documents of the client, even when the search
        names ids (which makes Odoo keep ``res_field`` attachments), except
        those of :meth:`_extrabat_document_fields` (an invoice's PDF).

        The clients are searched with the user's rights (a domain on fields
        or records the user cannot read is refused, not evaluated); only the
        lookup of the clients' records (orders, invoices, letters) is done
        as superuser: the attachments found are filtered by the user's
        rights anyway."""
        partners = self.env["res.partner"].with_context(active_test=False)
        if operator == "in":
            partners = partners.browse(v for v in value if v)
        elif operator == "any":
            if isinstance(value, Query):
                value = Domain("id", "in", value)
            partners = partners.search(Domain(value))
        else:
            return NotImplemented
        client_ids = partners.sudo().commercial_partner_id.ids
        if not client_ids:
            return Domain.FALSE
        document_fields = self._extrabat_document_fields()
        domains = []
        for model, path in self._extrabat_client_paths().items():
            records = self.env[model].sudo().with_context(active_test=False)
            domains.append(
                Domain("res_model", "=", model)
                & Domain("res_id", "in", records._search([(path, "in", client_ids)]))
                & Domain("res_field", "in", [False, *document_fields.get(model, ())])
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
