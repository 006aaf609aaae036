import base64
import hashlib
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.modules import module as odoo_module
from odoo.tools import SQL
from odoo.tools.image import image_data_uri
from odoo.tools.misc import format_date

from extrabat_core import docengine
from extrabat_core import letter_markers as catalogue
from extrabat_core.docengine import pdf_server
from extrabat_core.server_only import ServerOnlyValue, is_set
from extrabat_core.signature_placement import appended_signature

from . import docengine_messages

_logger = logging.getLogger(__name__)

#: Fields that make the content of a letter: frozen once it is signed.
CONTENT_FIELDS = frozenset(
    {
        "name",
        "partner_id",
        "template_id",
        "company_id",
        "user_id",
        "date",
        "document_attachment_id",
        "pdf_attachment_id",
        "signature",
        "signed_by",
        "signed_on",
        "signed_pdf_sha256",
    }
)
#: Fields only the server sets (files, statuses, signature, portal token):
#: refused in ``create``/``write`` unless :data:`SERVER_WRITE` is set.
TECHNICAL_FIELDS = frozenset(
    {
        "document_attachment_id",
        "pdf_attachment_id",
        "state",
        "pdf_state",
        "generation_error",
        "signature",
        "signed_by",
        "signed_on",
        "signed_pdf_sha256",
        "access_token",
    }
)
#: The status moves forward only (even for the server): a signed or sent
#: letter never goes back to draft.
STATE_TRANSITIONS = frozenset(
    {("draft", "signed"), ("draft", "sent"), ("signed", "sent")}
)
#: Context key of :data:`SERVER_WRITE`.
SERVER_WRITE_KEY = "extrabat_letter_server_write"
#: Set by the server's own flows (generation, signature, sending, cron) to
#: write the technical fields and the letters' files; no RPC call can send it.
SERVER_WRITE = ServerOnlyValue("EXTRABAT_LETTER_SERVER_WRITE")
#: Context key of :data:`SYNC_PDF` (PDFs made now whatever the number).
SYNC_PDF_KEY = "extrabat_letter_sync_pdf"
SYNC_PDF = ServerOnlyValue("EXTRABAT_LETTER_SYNC_PDF")
#: Above this many letters, PDFs are made by a cron in batches (the user is
#: not kept waiting for LibreOffice).
SYNC_PDF_LIMIT = 10
#: Letters converted (and committed) per batch by the scheduled action.
PDF_BATCH_SIZE = 50


def without_defaults(context, field_names):
    """``context`` without the ``default_<name>`` keys of ``field_names``."""
    return {
        key: value
        for key, value in context.items()
        if not (key.startswith("default_") and key[len("default_") :] in field_names)
    }


class ExtrabatLetter(models.Model):
    """A letter (courrier) generated for a client from a template.

    Its files are attachments of the client (``res.partner``) filed in the
    *Letters* folder of the client's document folder: the filled
    .docx/.odt (file templates only) and the PDF.
    """

    _name = "extrabat.letter"
    _description = "Letter"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "date desc, id desc"
    _check_company_auto = True

    # === FIELDS ===
    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    template_id = fields.Many2one(
        "extrabat.letter.template",
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    template_kind = fields.Selection(related="template_id.kind")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Followed by",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The salesperson ([data.suivi_par]): the client's salesperson, "
        "else the user who creates the letter.",
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="Date printed as [data.date_du_jour].",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("sent", "Sent")],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,
    )
    document_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Document",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The filled Word/LibreOffice file (file templates only).",
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment",
        string="PDF",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    document_file = fields.Binary(
        related="document_attachment_id.datas", string="Document file"
    )
    document_filename = fields.Char(
        related="document_attachment_id.name", string="Document file name"
    )
    pdf_file = fields.Binary(related="pdf_attachment_id.datas", string="PDF file")
    pdf_filename = fields.Char(related="pdf_attachment_id.name", string="PDF file name")
    pdf_state = fields.Selection(
        [
            ("none", "No PDF"),
            ("pending", "Being generated"),
            ("done", "Ready"),
            ("error", "Failed"),
        ],
        string="PDF status",
        default="none",
        required=True,
        copy=False,
        readonly=True,
    )
    generation_error = fields.Char(copy=False, readonly=True)
    # --- signature ---
    signature = fields.Binary(attachment=True, copy=False, readonly=True)
    signed_by = fields.Char(copy=False, readonly=True)
    signed_on = fields.Datetime(copy=False, readonly=True)
    signed_pdf_sha256 = fields.Char(
        string="Signed PDF fingerprint",
        copy=False,
        readonly=True,
        help="SHA-256 of the PDF as signed, to prove it was not changed.",
    )

    # === COMPUTE ===
    @api.depends("partner_id")
    def _compute_user_id(self):
        for letter in self:
            if not letter.user_id:
                letter.user_id = letter.partner_id.user_id or self.env.user

    # === ONCHANGE ===
    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id and not self.name:
            self.name = self.template_id.name

    # === CRUD ===
    def onchange(self, values, field_names, fields_spec):
        if not field_names:  # a new letter's form opens
            self._warm_up_pdf_conversion()
        return super().onchange(values, field_names, fields_spec)

    @api.model_create_multi
    def create(self, vals_list):
        model = self
        if not self._is_server_write():
            self._check_no_technical_fields(vals_list, create=True)
            # ``default_<field>`` keys of the context are client data too
            model = self.with_env(
                self.env(context=without_defaults(self.env.context, TECHNICAL_FIELDS))
            )
        Template = self.env["extrabat.letter.template"]
        for vals in vals_list:
            if not vals.get("name") and vals.get("template_id"):
                vals["name"] = Template.browse(vals["template_id"]).name
        # The salesperson follows the letters made for their clients, without
        # a "You have been assigned" notification per generated letter.
        letters = super(
            ExtrabatLetter, model.with_context(mail_auto_subscribe_no_notify=True)
        ).create(vals_list)
        return letters.with_env(model.env)

    @api.model
    def default_get(self, fields):
        """Technical fields get only their own default, never a user's saved
        default (``ir.default``, which any user may set for themselves over
        RPC, e.g. ``state = signed``): create() adds defaults after
        :meth:`_check_no_technical_fields`."""
        defaults = super().default_get(fields)
        if not self._is_server_write():
            for name in TECHNICAL_FIELDS.intersection(defaults):
                if not self._is_blank_technical_value(name, defaults[name]):
                    field = self._fields[name]
                    defaults[name] = field.default(self) if field.default else False
        return defaults

    def write(self, vals):
        if not self._is_server_write():
            self._check_no_technical_fields([vals])
        self._check_content_editable(vals)
        self._check_state_transition(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if any(letter.state != "draft" for letter in self):
            raise UserError(self.env._("A signed or sent letter cannot be deleted."))

    def unlink(self):
        # Only the letters' own files: never an attachment a letter points at
        # without having made it.
        attachments = self._get_own_attachments()
        result = super().unlink()
        attachments.with_context(**{SERVER_WRITE_KEY: SERVER_WRITE}).unlink()
        return result

    # === ACTIONS ===
    def action_regenerate(self):
        """(Re)generate the files of draft letters from their template: the
        form's *Generate* and *Regenerate* buttons (``create`` makes no
        file, see :meth:`_generate_files`)."""
        if any(letter.state != "draft" for letter in self):
            raise UserError(self.env._("Only draft letters can be regenerated."))
        self._generate_files()
        return True

    def action_open_pdf(self):
        self.ensure_one()
        if not self.pdf_attachment_id:
            raise UserError(self.env._("The PDF of this letter is not ready yet."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_attachment_id.id}?download=false",
            "target": "new",
        }

    # === BUSINESS: guards ===
    def _is_server_write(self):
        """Whether a server flow (not a client) is writing: see
        :data:`SERVER_WRITE`."""
        return is_set(self.env.context, SERVER_WRITE_KEY, SERVER_WRITE)

    def _write_server(self, vals):
        """Write ``vals``, technical fields included, for the server's own
        flows (never reachable from RPC: private method). The signed-letter
        freeze is lifted, the status still moves forward only."""
        return self.with_context(**{SERVER_WRITE_KEY: SERVER_WRITE}).write(vals)

    def _check_no_technical_fields(self, vals_list, create=False):
        """:raise AccessError: a client sets a field only the server sets
        (at creation, the default value or an empty one is accepted: the
        form view sends them)."""
        for vals in vals_list:
            fields_set = {
                name
                for name in TECHNICAL_FIELDS.intersection(vals)
                if not (create and self._is_blank_technical_value(name, vals[name]))
            }
            if fields_set:
                raise AccessError(
                    self.env._(
                        "The fields %(fields)s of a letter are set by the "
                        "application only.",
                        fields=", ".join(sorted(fields_set)),
                    )
                )

    def _is_blank_technical_value(self, name, value):
        """Whether ``value`` of the technical field ``name`` sets nothing
        (empty, or the field's default: ``draft``, ``none``)."""
        return not value or value == {"state": "draft", "pdf_state": "none"}.get(name)

    def _check_content_editable(self, vals):
        """A signed (or sent after signing) letter is frozen: only the
        server's signing flow (:meth:`_write_server`) may change its
        content."""
        if self._is_server_write():
            return
        if not CONTENT_FIELDS.intersection(vals):
            return
        if self.filtered(lambda letter: letter.signed_on or letter.state == "signed"):
            raise UserError(self.env._("A signed letter cannot be modified."))

    def _check_state_transition(self, vals):
        """:raise UserError: the status would go back (see
        :data:`STATE_TRANSITIONS`)."""
        if "state" not in vals:
            return
        for letter in self:
            if letter.state == vals["state"]:
                continue
            if (letter.state, vals["state"]) not in STATE_TRANSITIONS:
                raise UserError(
                    self.env._(
                        "The letter %(name)s cannot go back to a previous status.",
                        name=letter.name,
                    )
                )

    def _get_own_attachments(self):
        """The letters' files that are verifiably theirs: made by the
        letter (``ir.attachment.extrabat_letter_id``), as superuser."""
        attachments = (self.document_attachment_id | self.pdf_attachment_id).sudo()
        return attachments.filtered(lambda a: a.extrabat_letter_id in self)

    def _get_own_pdf(self):
        """The letter's PDF attachment (superuser) if it is its own, else an
        empty recordset."""
        self.ensure_one()
        pdf = self.pdf_attachment_id.sudo()
        return pdf if pdf.extrabat_letter_id == self else pdf.browse()

    def _check_signed_pdf_integrity(self):
        """The PDF of a signed letter is still the one signed.

        :raise UserError: the PDF is missing or its SHA-256 differs from
            :attr:`signed_pdf_sha256` (logged as a warning)
        """
        for letter in self:
            if not letter.signed_pdf_sha256:
                continue
            pdf = letter._get_own_pdf()
            sha256 = hashlib.sha256(pdf.raw).hexdigest() if pdf.raw else None
            if sha256 != letter.signed_pdf_sha256:
                _logger.warning(
                    "Signed PDF of letter %s does not match its fingerprint "
                    "(expected %s, found %s)",
                    letter.id,
                    letter.signed_pdf_sha256,
                    sha256,
                )
                raise UserError(
                    self.env._(
                        "The signed PDF of the letter %(name)s was altered: it "
                        "no longer matches the fingerprint recorded at signing.",
                        name=letter.name,
                    )
                )

    # === BUSINESS: markers ===
    def _get_marker_values(self, names=None):
        """The values of the markers for this letter, in the client's
        language.

        :param names: the marker names needed (e.g. a template's), to skip
            computing the complementary questions' when none is used;
            ``None`` for all.

        :return: ``{marker name: value}``: ``str`` (``"\\n"`` separates
            lines), ``bytes`` (PNG/JPEG pictures: logo, signature) or
            ``None`` (empty), for the whole catalogue plus
            ``question_<code>`` for every complementary question.
        """
        self.ensure_one()
        partner = self.partner_id
        lang = partner.lang or self.env.lang or "fr_FR"
        letter = self.with_context(lang=lang)
        values = {}
        values.update(letter._get_client_marker_values(partner.with_context(lang=lang)))
        values.update(letter._get_user_marker_values())
        values.update(letter._get_company_marker_values())
        values.update(letter._get_letter_marker_values(lang))
        if names is None or any(
            name.startswith(catalogue.QUESTION_PREFIX) for name in names
        ):
            values.update(
                letter._get_question_marker_values(partner.with_context(lang=lang))
            )
        return values

    def _get_client_marker_values(self, partner):
        """Client markers (hook)."""
        commercial = partner.commercial_partner_id
        if partner.is_company:
            first, last = "", partner.name or ""
        else:
            first, last = catalogue.split_person_name(partner.name)
        title = ""
        if partner.extrabat_civility:
            title = dict(
                partner._fields["extrabat_civility"]._description_selection(partner.env)
            )[partner.extrabat_civility]
        company_name = (
            commercial.name
            if commercial != partner
            else (partner.name if partner.is_company else partner.company_name or "")
        )
        street = catalogue.format_street(partner.street, partner.street2)
        country = partner.country_id.name or ""
        address = catalogue.format_address_block(
            [
                street,
                catalogue.format_city_line(partner.zip, partner.city),
                country if partner.country_id != self.company_id.country_id else "",
            ]
        )
        return {
            "nom_prenom_client": catalogue.format_full_name(title, first, last),
            "civilite_client": title,
            "nom_client": last,
            "prenom_client": first,
            "societe_client": company_name or "",
            "adresse_client": address,
            "rue_client": street,
            "code_postal_client": partner.zip or "",
            "ville_client": partner.city or "",
            "pays_client": country,
            "telephone_client": partner.phone or "",
            "mobile_client": partner.phone
            if catalogue.is_mobile_number(partner.phone)
            else "",
            "email_client": partner.email or "",
            "code_client": commercial.ref or "",
            "statut_client": commercial.client_status_id.name or "",
        }

    def _get_user_marker_values(self):
        """Salesperson markers (hook)."""
        user = self.user_id
        return {
            "suivi_par": user.name or "",
            "email_utilisateur": user.email or "",
            "telephone_utilisateur": user.phone or "",
        }

    def _get_company_marker_values(self):
        """Company markers (hook)."""
        company = self.company_id
        return {
            "nom_societe": company.name or "",
            "adresse_societe": catalogue.format_address_block(
                [
                    catalogue.format_street(company.street, company.street2),
                    catalogue.format_city_line(company.zip, company.city),
                ]
            ),
            "telephone_societe": company.phone or "",
            "email_societe": company.email or "",
            "siret_societe": catalogue.format_siret(company.company_registry),
            "tva_societe": company.vat or "",
            "logo_societe": base64.b64decode(company.logo) if company.logo else None,
        }

    def _get_letter_marker_values(self, lang):
        """Date and signature markers (hook)."""
        signed_on = self.signed_on and fields.Datetime.context_timestamp(
            self.with_context(
                tz=self.partner_id.tz or self.env.user.tz or "Europe/Paris"
            ),
            self.signed_on,
        )
        return {
            "date_du_jour": format_date(self.env, self.date, lang, "long"),
            "signature_client": base64.b64decode(self.signature)
            if self.signature
            else None,
            "date_signature": format_date(self.env, signed_on.date(), lang, "long")
            if signed_on
            else "",
        }

    def _get_question_marker_values(self, partner):
        """One marker per complementary question (hook)."""
        commercial = partner.commercial_partner_id
        texts = commercial._extrabat_question_answer_texts() if commercial.id else {}
        return {catalogue.question_marker(code): text for code, text in texts.items()}

    # === BUSINESS: files ===
    def _generate_files(self, with_pdf=True):
        """(Re)generate the document and the PDF of the letters from their
        template and current values, and store them as attachments of the
        client in its *Letters* folder.

        The documents are filled at once; the PDFs too when there are at
        most :data:`SYNC_PDF_LIMIT` letters, else the letters are marked
        ``pdf_state = "pending"`` and the cron makes them in batches.
        """
        letters = self.filtered("template_id")
        if not letters:
            return
        if (
            len(letters) > SYNC_PDF_LIMIT
            and with_pdf
            and not is_set(self.env.context, SYNC_PDF_KEY, SYNC_PDF)
        ):
            letters._generate_files(with_pdf=False)
            letters._schedule_pdf()
            return
        letters._store_files(letters._render_files(with_pdf=with_pdf))

    @api.model
    def _warm_up_pdf_conversion(self):
        """Start this process's LibreOffice in the background when a form
        that makes a PDF opens (not on ``create``: many letters get their
        PDFs from the scheduled action), so that the user does not wait for
        it."""
        self._get_pdf_server().warm_up()

    @api.model
    def _get_pdf_server(self):
        """The LibreOffice kept running by this process (started on first
        use, see ``extrabat_core.docengine.pdf_server``). Under tests it
        lives as long as the current test: Odoo's test classes refuse child
        processes left running."""
        server = pdf_server.get_server()
        test = odoo_module.current_test
        if hasattr(test, "addCleanup") and not getattr(
            test, "_extrabat_pdf_server_cleanup", False
        ):
            test._extrabat_pdf_server_cleanup = True
            test.addCleanup(server.close)
        return server

    def _schedule_pdf(self):
        self._write_server({"pdf_state": "pending"})
        self.env.ref("extrabat_letters.ir_cron_extrabat_letter_pdf")._trigger()

    def _render_files(self, with_pdf=True):
        """Render the letters without storing anything.

        :return: ``{letter: {"document": bytes or None, "format": "docx",
            "odt" or "pdf" (html templates), "pdf": bytes or None,
            "error": str or None}}``
        """
        result = {}
        file_letters = self.filtered(lambda letter: letter.template_id.kind == "file")
        for letter in file_letters:
            template = letter.template_id
            names = template._get_marker_name_set()
            values = letter._get_marker_values(names)
            append = None
            signature = appended_signature(values, names)
            if signature:
                append = [
                    docengine.ImageValue(signature.image, width_mm=signature.width_mm)
                ]
                if signature.date:
                    append.append(signature.date)
            document = docengine.render(
                template._get_file_bytes(),
                values,
                unknown="empty",
                append=append,
                filename=template.template_filename or None,
            )
            result[letter] = {
                "document": document,
                "format": template.file_format,
                "pdf": None,
                "error": None,
            }
        if with_pdf and file_letters:
            pdfs = self._convert_documents(
                [
                    (result[letter]["document"], result[letter]["format"])
                    for letter in file_letters
                ]
            )
            for letter, (pdf, error) in zip(file_letters, pdfs, strict=True):
                result[letter]["pdf"] = pdf
                result[letter]["error"] = error
        html_letters = self - file_letters
        if html_letters:
            pdfs = html_letters._render_html_pdfs() if with_pdf else {}
            for letter in html_letters:
                result[letter] = {
                    "document": None,
                    "format": "pdf",
                    "pdf": pdfs.get(letter),
                    "error": None,
                }
        return result

    @api.model
    def _convert_documents(self, documents):
        """PDFs of ``[(bytes, fmt)]`` by the LibreOffice kept running by
        this process (:meth:`_get_pdf_server`), or by one LibreOffice call
        when it cannot run (no Python with LibreOffice's ``uno``).

        :return: ``[(pdf bytes or None, error message or None)]`` in order
        """
        self._get_pdf_server()  # under tests: stopped with the test
        try:
            results = docengine.convert_many_to_pdf(documents, persistent=True)
        except docengine.ConversionError as error:
            message = docengine_messages.error_message(self.env, error)
            return [(None, message)] * len(documents)
        return [
            (item, None)
            if isinstance(item, bytes)
            else (None, docengine_messages.error_message(self.env, item))
            for item in results
        ]

    def _render_html_pdfs(self):
        """PDFs of letters from editor templates, by Odoo's report engine
        (one wkhtmltopdf call per letter: splitting a merged PDF by record
        is not reliable for letters of several pages).

        Under tests, Odoo's report engine returns the HTML instead of
        running wkhtmltopdf (``_render_qweb_pdf``).

        :return: ``{letter: pdf bytes}``
        """
        Report = self.env["ir.actions.report"]
        report = "extrabat_letters.action_report_extrabat_letter"
        result = {}
        for letter in self:
            if isinstance(letter.id, int):
                pdf, _fmt = Report._render_qweb_pdf(report, res_ids=letter.ids)
            else:  # unsaved letters (previews): rendered from their values
                data = {"extrabat_letter_preview": letter._preview_data()}
                pdf, _fmt = Report._render_qweb_pdf(report, res_ids=None, data=data)
            result[letter] = pdf
        return result

    def _preview_data(self):
        return {
            "template_id": self.template_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "date": fields.Date.to_string(self.date),
            "name": self.name,
        }

    def _get_html_parts(self):
        """Header, body and footer of an editor letter, markers filled.

        :return: ``{"header", "body", "footer": Markup, "logo": data URL or
            None, "signature": data URL of the signature printed at the end
            and "signature_date": its date, or ``None`` (see
            ``extrabat_core.signature_placement``)}``
        """
        self.ensure_one()
        template = self.template_id
        names = template._get_marker_name_set()
        values = self._get_marker_values(names)
        logo = values.get("logo_societe") if template.show_logo else None
        signature = appended_signature(values, names)
        return {
            "header": template._html_with_values(template.header_html, values),
            "body": template._html_with_values(template.body_html, values),
            "footer": template._html_with_values(template.footer_html, values),
            "logo": image_data_uri(base64.b64encode(logo)) if logo else None,
            "signature": image_data_uri(base64.b64encode(signature.image))
            if signature
            else None,
            "signature_date": signature.date if signature else None,
        }

    def _prepare_attachment_values(self, kind, raw, fmt):
        """Values of the ``ir.attachment`` of one file of the letter (hook).

        :param kind: ``"document"`` or ``"pdf"``
        """
        self.ensure_one()
        mimetypes = {
            "docx": "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document",
            "odt": "application/vnd.oasis.opendocument.text",
            "pdf": "application/pdf",
        }
        ext = "pdf" if kind == "pdf" else fmt
        return {
            "name": f"{self.name} - {self.partner_id.name or ''}.{ext}".replace(
                "/", "-"
            ),
            "raw": raw,
            "mimetype": mimetypes[ext],
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "extrabat_folder": "courriers",
            "company_id": self.company_id.id,
        }

    def _store_files(self, files_by_letter):
        """Create or update the letters' attachments from rendered files
        (:meth:`_render_files`), all the new attachments in one ``create``.

        :param files_by_letter: ``{letter: {"format", "document", "pdf",
            "error"}}`` for every letter of ``self``

        Only a letter's own attachments are updated (an attachment the
        letter did not make is left alone and replaced by a new one); the
        files of a signed or sent letter only by the signing flow
        (:meth:`_write_server`)."""
        if not self:
            return
        self.check_access("write")
        self.partner_id.check_access("read")
        if not self._is_server_write() and any(
            letter.state != "draft" for letter in self
        ):
            raise UserError(self.env._("Only draft letters can be regenerated."))
        # The files are the client's documents (attached to the partner):
        # salespeople who may write the letter and read its client need not
        # edit the partner (creating an attachment of a record needs write
        # access on it). Company and folder come from the letter; reading
        # and downloading follow the partner, readable by salespeople.
        Attachment = (
            self.env["ir.attachment"]
            .sudo()
            .with_context(**{SERVER_WRITE_KEY: SERVER_WRITE})
        )
        own = self._get_own_attachments()
        letter_vals = {}
        to_create = []  # (letter, field, attachment values)
        for letter in self:
            files = files_by_letter[letter]
            vals = letter_vals[letter] = {}
            for kind, field in (
                ("document", "document_attachment_id"),
                ("pdf", "pdf_attachment_id"),
            ):
                raw = files.get(kind)
                if not raw:
                    continue
                attachment_vals = letter._prepare_attachment_values(
                    kind, raw, files["format"]
                )
                attachment_vals["extrabat_letter_id"] = letter.id
                current = Attachment.browse(letter[field].id)
                if current and current in own:
                    current.write(attachment_vals)
                else:
                    to_create.append((letter, field, attachment_vals))
            if files.get("pdf"):
                vals["pdf_state"] = "done"
                vals["generation_error"] = False
            elif files.get("error"):
                vals["pdf_state"] = "error"
                vals["generation_error"] = files["error"]
        if to_create:
            attachments = Attachment.create([vals for _l, _f, vals in to_create])
            for (letter, field, _vals), attachment in zip(
                to_create, attachments, strict=True
            ):
                letter_vals[letter][field] = attachment.id
        # none of these fields is tracked: no tracking to prepare per letter
        untracked = self.with_context(tracking_disable=True)
        for letter, vals in letter_vals.items():
            if vals:
                untracked.browse(letter.id)._write_server(vals)

    @api.model
    def _link_legacy_files(self):
        """Link the files made before ``ir.attachment.extrabat_letter_id``
        existed to their letter, for a migration script: only an attachment
        of the letter's client (``res.partner``, same company) in its
        *Letters* folder, created with or after the letter, that no other
        letter points at; anything else stays unlinked (not the letter's).
        Best effort: the database does not record who made a file.

        :return: number of attachments linked
        """
        linked = 0
        for column in ("document_attachment_id", "pdf_attachment_id"):
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE ir_attachment a SET extrabat_letter_id = l.id
                      FROM extrabat_letter l
                     WHERE a.id = l.%(column)s
                       AND a.extrabat_letter_id IS NULL
                       AND a.res_field IS NULL
                       AND a.res_model = 'res.partner'
                       AND a.res_id = l.partner_id
                       AND (a.company_id IS NULL OR a.company_id = l.company_id)
                       AND a.extrabat_folder = 'courriers'
                       AND a.create_date >= l.create_date
                       AND NOT EXISTS (
                           SELECT 1 FROM extrabat_letter o
                            WHERE o.id <> l.id
                              AND (o.document_attachment_id = a.id
                                   OR o.pdf_attachment_id = a.id))
                    """,
                    column=SQL.identifier(column),
                )
            )
            linked += self.env.cr.rowcount
        self.env["ir.attachment"].invalidate_model(["extrabat_letter_id"])
        return linked

    def _get_pdf_sha256(self):
        """SHA-256 of the current PDF (hex), for the signing code."""
        self.ensure_one()
        raw = self._get_own_pdf().raw
        return hashlib.sha256(raw).hexdigest() if raw else False

    # === BUSINESS: cron ===
    @api.model
    def _cron_generate_pending_pdfs(self, batch_size=PDF_BATCH_SIZE):
        """Make the PDFs of pending letters, one conversion call and one
        commit per batch. Rows are locked (``SKIP LOCKED``) so two workers
        never convert the same letter, and a letter leaves the ``pending``
        state in the transaction that stores its PDF, so nothing is
        generated twice."""
        IrCron = self.env["ir.cron"]
        remaining = self.search_count([("pdf_state", "=", "pending")])
        IrCron._commit_progress(remaining=remaining)
        while True:
            letters = self._lock_pending(batch_size)
            if not letters:
                break
            letters._make_pending_pdfs()
            if not IrCron._commit_progress(len(letters)):
                break

    def _make_pending_pdfs(self):
        """PDFs of letters whose document is already stored: the stored
        .docx/.odt are converted (one conversion call), editor letters are
        rendered by the report engine."""
        file_letters = self.filtered(
            lambda letter: (
                letter.template_id.kind == "file" and letter.document_attachment_id
            )
        )
        pdfs = self._convert_documents(
            [
                (letter.document_attachment_id.raw, letter.template_id.file_format)
                for letter in file_letters
            ]
        )
        file_letters._store_files(
            {
                letter: {"format": "pdf", "pdf": pdf, "error": error}
                for letter, (pdf, error) in zip(file_letters, pdfs, strict=True)
            }
        )
        others = self - file_letters
        if others:
            others._store_files(others._render_files(with_pdf=True))

    @api.model
    def _lock_pending(self, limit):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM extrabat_letter WHERE pdf_state = 'pending'"
                " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])
