import base64
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext
from odoo.tools.mail import html_sanitize

from extrabat_core import docengine, html_markers
from extrabat_core import letter_markers as catalogue

from . import docengine_messages

_logger = logging.getLogger(__name__)

FILE_FORMATS = [("docx", "Word (.docx)"), ("odt", "LibreOffice (.odt)")]
#: Class of the pictures of markers in editor letters (sized by the report).
IMAGE_CLASS = "o_extrabat_marker"
#: The HTML fields of editor templates.
HTML_PARTS = ("header_html", "body_html", "footer_html")
#: Context key of the client chosen for the preview: ``preview_partner_id``
#: is not stored, so the form's *Preview* button sends it in its context
#: (the button call is a new request: the saved form's value is gone).
PREVIEW_PARTNER_KEY = "extrabat_preview_partner_id"


class ExtrabatLetterTemplate(models.Model):
    """A letter template (modèle de courrier).

    Two kinds: an uploaded Word/LibreOffice file whose ``[data.*]`` markers
    are filled by :mod:`extrabat_core.docengine` (PDF by LibreOffice), or a
    letter built in Odoo's HTML editor (header, body, footer, logo) rendered
    to PDF by Odoo's report engine. Marker names come from
    :mod:`extrabat_core.letter_markers` plus one per complementary question.
    """

    _name = "extrabat.letter.template"
    _description = "Letter template"
    _order = "sequence, name, id"
    _check_company_auto = True

    # === FIELDS ===
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the template between companies.",
    )
    kind = fields.Selection(
        [("file", "Word/LibreOffice file"), ("html", "Editor")],
        required=True,
        default="file",
    )
    description = fields.Text()
    # --- file templates ---
    template_file = fields.Binary(string="Template file", attachment=True)
    template_filename = fields.Char(string="File name")
    file_format = fields.Selection(
        FILE_FORMATS,
        string="Format",
        compute="_compute_marker_report",
        store=True,
    )
    # --- editor templates ---
    header_html = fields.Html(string="Header", sanitize_style=True)
    body_html = fields.Html(string="Body", sanitize_style=True)
    footer_html = fields.Html(string="Footer", sanitize_style=True)
    show_logo = fields.Boolean(
        string="Show the logo",
        default=True,
        help="Print the company's logo at the top of the header.",
    )
    # --- markers ---
    marker_names = fields.Char(
        string="Markers",
        compute="_compute_marker_report",
        store=True,
        help="The markers the template contains, comma-separated.",
    )
    unknown_marker_names = fields.Char(
        string="Unknown markers",
        compute="_compute_marker_report",
        store=True,
        help="Markers that are neither in the catalogue nor a complementary "
        "question: they are printed empty.",
    )
    malformed_markers = fields.Char(
        compute="_compute_marker_report",
        store=True,
        help="Text that looks like a marker but is not one, e.g. "
        "[data.nom client] (a space).",
    )
    file_error = fields.Char(compute="_compute_marker_report", store=True)
    marker_catalogue_html = fields.Html(
        string="Available markers",
        compute="_compute_marker_catalogue_html",
        sanitize=False,
    )
    insert_marker = fields.Selection(
        selection="_selection_insert_marker",
        string="Insert a marker",
        store=False,
        help="Adds the marker at the end of the body; move it where you want "
        "it with cut and paste.",
    )
    preview_partner_id = fields.Many2one(
        "res.partner",
        string="Preview with",
        store=False,
        help="Client whose data fills the markers of the preview.",
    )
    letter_ids = fields.One2many("extrabat.letter", "template_id", string="Letters")
    letter_count = fields.Integer(compute="_compute_letter_count")

    # === CONSTRAINTS ===
    @api.constrains("kind", "template_file", "template_filename")
    def _check_template_file(self):
        for template in self:
            if template.kind != "file":
                continue
            if not template.template_file:
                raise ValidationError(
                    self.env._(
                        "The template %(name)s needs a Word (.docx) or "
                        "LibreOffice (.odt) file.",
                        name=template.name,
                    )
                )
            if template.file_error:
                raise ValidationError(template.file_error)

    @api.constrains(*HTML_PARTS)
    def _check_html_markers(self):
        """Markers are text: one inside an attribute (``style``, ``src``,
        ``href``...) would put client data, which portal users edit, where
        it steers what the PDF printer fetches or runs."""
        for template in self:
            for field in HTML_PARTS:
                found = html_markers.attribute_markers(str(template[field] or ""))
                if found:
                    raise ValidationError(
                        self.env._(
                            "The marker %(marker)s is inside an HTML attribute "
                            "(%(attribute)s): markers can only be placed in the "
                            "text.",
                            marker=found[0].marker,
                            attribute=found[0].attribute,
                        )
                    )

    # === COMPUTE ===
    @api.depends(
        "kind",
        "template_file",
        "template_filename",
        "body_html",
        "header_html",
        "footer_html",
    )
    def _compute_marker_report(self):
        for template in self:
            template.file_error = False
            names, malformed, fmt = [], [], False
            if template.kind == "file" and template.template_file:
                try:
                    # the name too: an .odt renamed .docx is refused
                    report = docengine.list_markers(
                        template._get_file_bytes(),
                        filename=template.template_filename or None,
                    )
                except docengine.TemplateError as error:
                    template.file_error = docengine_messages.error_message(
                        self.env, error
                    )
                else:
                    names, malformed, fmt = (
                        report.names,
                        report.malformed,
                        report.format,
                    )
            elif template.kind == "html":
                text = "\n".join(
                    html2plaintext(html or "")
                    for html in (
                        template.header_html,
                        template.body_html,
                        template.footer_html,
                    )
                )
                names = list(
                    dict.fromkeys(
                        docengine.markers.normalise_name(match.group(1))
                        for match in docengine.MARKER_RE.finditer(text)
                    )
                )
            template.file_format = fmt
            template.marker_names = ", ".join(names) or False
            unknown = catalogue.unknown_names(names, template._get_question_codes())
            template.unknown_marker_names = ", ".join(unknown) or False
            template.malformed_markers = ", ".join(malformed) or False

    def _compute_letter_count(self):
        counts = dict(
            self.env["extrabat.letter"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.letter_count = counts.get(template, 0)

    @api.depends_context("lang", "company")
    def _compute_marker_catalogue_html(self):
        for template in self:
            template.marker_catalogue_html = template._marker_catalogue_table()

    @api.model
    def _selection_insert_marker(self):
        rows = docengine_messages.catalogue_rows(self.env)
        selection = [(row["name"], f"{row['tag']} — {row['label']}") for row in rows]
        for code, question in self._get_question_labels().items():
            name = catalogue.question_marker(code)
            selection.append((name, f"[data.{name}] — {question}"))
        return selection

    # === ONCHANGE ===
    @api.onchange("template_file")
    def _onchange_template_file(self):
        if self.kind != "file" or not self.template_file:
            return None
        if self.template_filename and not self.name:
            self.name = self.template_filename.rsplit(".", 1)[0]
        if self.file_error:
            return {
                "warning": {
                    "title": self.env._("This file cannot be used"),
                    "message": self.file_error,
                }
            }
        if self.unknown_marker_names or self.malformed_markers:
            return {"warning": self._unknown_markers_warning()}
        return None

    @api.onchange("insert_marker")
    def _onchange_insert_marker(self):
        if not self.insert_marker:
            return
        tag = Markup("<p>[data.%s]</p>") % self.insert_marker
        self.body_html = Markup(self.body_html or "") + tag
        self.insert_marker = False

    # === CRUD ===
    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if "name" not in (default or {}):
            for template, vals in zip(self, vals_list, strict=True):
                vals["name"] = self.env._("%(name)s (copy)", name=template.name)
        return vals_list

    # === ACTIONS ===
    def action_preview(self):
        """Generate the letter for the chosen client without keeping it, and
        open its PDF."""
        self.ensure_one()
        partner = self._get_preview_partner()
        if not partner:
            raise UserError(self.env._("Choose a client to preview the letter with."))
        attachment = self._render_preview(partner)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=false",
            "target": "new",
        }

    def action_view_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_letters.extrabat_letter_action"
        )
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {"default_template_id": self.id}
        return action

    # === BUSINESS ===
    def _get_preview_partner(self):
        """The client to preview the template with: the one chosen in the
        form (sent by the *Preview* button's context, see
        :data:`PREVIEW_PARTNER_KEY`), else :attr:`preview_partner_id` set in
        the same transaction.

        The id comes from the browser: only a client the user may read is
        used.

        :return: ``res.partner`` record, empty when none was chosen
        :raise AccessError: the user may not read the client
        """
        partner = self.preview_partner_id
        partner_id = self.env.context.get(PREVIEW_PARTNER_KEY)
        if not partner and type(partner_id) is int and partner_id > 0:
            partner = self.env["res.partner"].browse(partner_id).exists()
        partner.check_access("read")
        return partner

    def _get_file_bytes(self):
        """The uploaded template, decoded (``b""`` when none)."""
        self.ensure_one()
        value = self.template_file
        if not value:
            return b""
        if isinstance(value, str):
            value = value.encode()
        return base64.b64decode(value)

    def _get_marker_name_set(self):
        """The names of the template's markers, as a set."""
        self.ensure_one()
        return set(self.marker_names.split(", ")) if self.marker_names else set()

    def _get_question_codes(self):
        """Codes of the complementary questions usable in this template's
        markers (the template's company's and the shared ones, archived
        included so that old templates stay valid)."""
        return list(self._get_question_labels(all_companies=not self.company_id))

    def _get_question_labels(self, all_companies=False):
        """``{code: question}`` of the questions usable in markers."""
        if "extrabat.question" not in self.env:
            return {}
        Question = self.env["extrabat.question"].with_context(active_test=False)
        domain = []
        if not all_companies:
            company = self[:1].company_id or self.env.company
            domain = [("company_id", "in", [company.id, False])]
        return {q.code: q.name for q in Question.search(domain) if q.code}

    def _unknown_markers_warning(self):
        parts = []
        if self.unknown_marker_names:
            parts.append(
                self.env._(
                    "Unknown markers (printed empty): %(names)s.",
                    names=self.unknown_marker_names,
                )
            )
        if self.malformed_markers:
            parts.append(
                self.env._(
                    "Text that looks like a marker but is not one: %(texts)s.",
                    texts=self.malformed_markers,
                )
            )
        parts.append(
            self.env._("Check the spelling against the list of available markers.")
        )
        return {
            "title": self.env._("Check the markers of this template"),
            "message": "\n".join(parts),
        }

    def _marker_catalogue_table(self):
        """The available markers as an HTML table (the marker picker's
        documentation on the template form)."""
        rows = docengine_messages.catalogue_rows(self.env)
        for code, question in self._get_question_labels().items():
            name = catalogue.question_marker(code)
            rows.append(
                {
                    "tag": f"[data.{name}]",
                    "group_label": self.env._("Complementary questions"),
                    "label": question,
                }
            )
        body = Markup("").join(
            Markup("<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>")
            % (row["tag"], row["group_label"], row["label"])
            for row in rows
        )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Marker"),
            self.env._("Group"),
            self.env._("Value"),
        )
        return Markup(
            '<table class="table table-sm o_extrabat_markers">%s%s</table>'
        ) % (head, body)

    def _render_preview(self, partner):
        """A PDF of this template filled for ``partner``, as an attachment
        of the template (the previous preview is replaced).

        :return: the ``ir.attachment``
        """
        self.ensure_one()
        Letter = self.env["extrabat.letter"]
        letter = Letter.new(
            {
                "template_id": self.id,
                "partner_id": partner.id,
                "company_id": (self.company_id or self.env.company).id,
                "user_id": (partner.user_id or self.env.user).id,
                "date": fields.Date.context_today(self),
                "name": self.name,
            }
        )
        files = letter._render_files()[letter]
        Attachment = self.env["ir.attachment"]
        Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("res_field", "=", False),
                ("description", "=", "extrabat_letters_preview"),
            ]
        ).unlink()
        return Attachment.create(
            {
                "name": self.env._("Preview - %(name)s.pdf", name=self.name),
                "raw": files["pdf"],
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
                "description": "extrabat_letters_preview",
            }
        )

    def _html_with_values(self, html, values):
        """``html`` with its ``[data.*]`` markers filled with ``values``,
        ready for the report engine.

        Values are text, never markup: markers are filled in text only
        (escaped, line breaks as ``<br>``, pictures as ``<img>`` with data
        URLs); markers left inside attributes by templates saved before the
        check, references to other hosts and scripts are dropped, and the
        result is sanitised again like the template's fields (see
        :mod:`extrabat_core.html_markers`). Markers without a value are
        removed.
        """
        filled = html_markers.fill_markers(
            str(html or ""), values, image_class=IMAGE_CLASS
        )
        return html_sanitize(
            filled,
            sanitize_tags=True,
            sanitize_attributes=True,
            sanitize_style=True,
            sanitize_form=True,
            strip_style=False,
            strip_classes=False,
        )
