import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import split_every

from extrabat_core import questions as core

EXPORT_BATCH = 1000


class ExtrabatQuestionExport(models.TransientModel):
    """Export of the complementary questions' answers: one row per client,
    one column per question, as XLSX or CSV ("to keep the module alive")."""

    _name = "extrabat.question.export"
    _description = "Export of the answers to complementary questions"

    # === FIELDS ===
    file_format = fields.Selection(
        [("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")],
        string="Format",
        required=True,
        default="xlsx",
    )
    scope = fields.Selection(
        [("selection", "Selected clients"), ("domain", "Current filter")],
        required=True,
        default="domain",
        help="The clients selected in the list, or every client of the list's "
        "current filter (nothing selected, or all of it selected).",
    )
    partner_ids = fields.Many2many("res.partner", string="Clients")
    partner_domain = fields.Json(
        help="The list's current filter (empty: every client)."
    )
    partner_count = fields.Integer(
        string="Number of clients", compute="_compute_partner_count"
    )
    scope_description = fields.Char(
        string="Exported clients", compute="_compute_partner_count"
    )
    question_ids = fields.Many2many(
        "extrabat.question",
        string="Questions",
        default=lambda self: self.env["extrabat.question"].search(
            [("active", "=", True)]
        ),
        help="Leave empty to export every active question.",
    )
    data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    # === DEFAULTS ===
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") != "res.partner":
            return values
        active_ids = [i for i in context.get("active_ids") or [] if isinstance(i, int)]
        domain = context.get("active_domain")
        if active_ids and not self._is_whole_filter(active_ids, domain):
            values["scope"] = "selection"
            values["partner_ids"] = [fields.Command.set(active_ids)]
        else:
            values["scope"] = "domain"
            values["partner_domain"] = domain or []
        return values

    @api.model
    def _is_whole_filter(self, active_ids, domain):
        """Whether the selection is the whole filter: the user clicked
        "select all" (the web client then sends the filter's ids, cut at
        ``web.active_ids_limit``) or ticked every record of it.

        :param active_ids: ids selected in the list
        :param domain: the list's filter (``active_domain``), or None
        """
        if domain is None:
            return False
        limit = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("web.active_ids_limit", default="20000")
        )
        if len(active_ids) >= limit:
            return True
        others = Domain(domain) & Domain("id", "not in", active_ids)
        return not self.env["res.partner"].search_count(others, limit=1)

    # === COMPUTE ===
    @api.depends("scope", "partner_ids", "partner_domain")
    def _compute_partner_count(self):
        for wizard in self:
            count = self.env["res.partner"].search_count(wizard._partner_domain())
            wizard.partner_count = count
            if wizard.scope == "selection":
                wizard.scope_description = self.env._(
                    "the %(count)s selected clients", count=count
                )
            elif wizard.partner_domain:
                wizard.scope_description = self.env._(
                    "the %(count)s clients of the current filter", count=count
                )
            else:
                wizard.scope_description = self.env._(
                    "all the %(count)s clients", count=count
                )

    # === ACTIONS ===
    def action_export(self):
        self.ensure_one()
        self._generate_file()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=data"
            "&filename_field=file_name&download=true",
            "target": "download",
        }

    # === BUSINESS ===
    def _partner_domain(self):
        self.ensure_one()
        if self.scope == "domain":
            return Domain(self.partner_domain or [])
        return Domain("id", "in", self.partner_ids.ids)

    def _export_questions(self):
        return self.question_ids.sorted() or self.env["extrabat.question"].search(
            [("active", "=", True)]
        )

    def _prepare_base_columns(self):
        """The client's own columns before the questions.

        :return: list of ``(header, function(partner) -> cell)``; extend it
            to export more about the client
        """
        return [
            (self.env._("Client"), lambda p: p.display_name or ""),
            (self.env._("Client code"), lambda p: p.ref or ""),
            (self.env._("Email"), lambda p: p.email or ""),
            (self.env._("Phone"), lambda p: p.phone or ""),
            (self.env._("City"), lambda p: p.city or ""),
        ]

    def _export_table(self):
        """``(header, rows)`` of the export (see
        :func:`extrabat_core.questions.export_table`)."""
        self.ensure_one()
        partners = self.env["res.partner"].search(self._partner_domain())
        if not partners:
            raise UserError(self.env._("There is no client to export."))
        questions = self._export_questions()
        option_names = questions._option_names()
        export_questions = [
            core.ExportQuestion(
                q.id, q.name, q.answer_type, q.unit or "", option_names[q.id]
            )
            for q in questions
        ]
        columns = self._prepare_base_columns()
        records = []
        for batch_ids in split_every(EXPORT_BATCH, partners.ids):
            batch = partners.browse(batch_ids)
            answers = {partner_id: {} for partner_id in batch_ids}
            for (partner_id, question_id), row in batch._extrabat_answer_rows(
                questions.ids
            ).items():
                answers[partner_id][question_id] = row._get_value()
            for partner in batch:
                records.append(
                    ([getter(partner) for _h, getter in columns], answers[partner.id])
                )
            batch.invalidate_recordset()
        return core.export_table(
            [header for header, _getter in columns],
            export_questions,
            records,
            self.env["extrabat.question"]._answer_format(),
        )

    def _generate_file(self):
        header, rows = self._export_table()
        title = self.env._("Complementary questions")
        if self.file_format == "csv":
            content = core.table_to_csv(
                header, rows, self.env["extrabat.question"]._answer_format()
            )
        else:
            content = core.table_to_xlsx(header, rows, title)
        self.write(
            {
                "data": base64.b64encode(content),
                "file_name": "{}_{}.{}".format(
                    self.env._("complementary_questions"),
                    fields.Date.context_today(self).isoformat(),
                    self.file_format,
                ),
            }
        )
