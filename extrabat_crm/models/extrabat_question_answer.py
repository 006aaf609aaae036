from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

from extrabat_core import questions as core

VALUE_FIELDS = (
    "value_char",
    "value_text",
    "value_boolean",
    "value_date",
    "value_number",
    "option_ids",
)


class ExtrabatQuestionAnswer(models.Model):
    """A client's answer to a complementary question: one row per partner and
    question, the value in the typed column of the question's answer type.

    No row means "not answered". Rows are indexed per question and value so
    that filtering clients by an answer stays fast on large databases.
    """

    _name = "extrabat.question.answer"
    _description = "Answer to a complementary question"
    _order = "partner_id, question_id, id"
    _rec_name = "question_id"

    # === FIELDS ===
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, ondelete="cascade"
    )
    question_id = fields.Many2one(
        "extrabat.question", required=True, ondelete="restrict"
    )
    answer_type = fields.Selection(related="question_id.answer_type", store=True)
    # The client's company (else the question's): a shared question answered
    # about a client of company A is company A's data, invisible in company B.
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        precompute=True,
    )
    value_char = fields.Char(string="Text", index="trigram")
    value_text = fields.Text(string="Long text", index="trigram")
    value_boolean = fields.Boolean(string="Yes/no")
    value_date = fields.Date(string="Date")
    value_number = fields.Float(string="Number")
    option_ids = fields.Many2many(
        "extrabat.question.option",
        "extrabat_question_answer_option_rel",
        "answer_id",
        "option_id",
        string="Options",
        context={"active_test": False},
    )
    value_display = fields.Char(string="Answer", compute="_compute_value_display")

    # === CONSTRAINTS ===
    # A real UNIQUE constraint (not a unique index): Odoo's partner merge
    # wizard recognises it and never leaves two answers on one partner.
    _partner_question_uniq = models.Constraint(
        "UNIQUE(partner_id, question_id)",
        "A client has a single answer per question.",
    )
    # Filters on an answer always name the question: lead with it.
    _question_number_idx = models.Index("(question_id, value_number)")
    _question_date_idx = models.Index("(question_id, value_date)")
    _question_boolean_idx = models.Index("(question_id, value_boolean)")

    # === COMPUTE ===
    @api.depends("partner_id.company_id", "question_id.company_id")
    def _compute_company_id(self):
        for answer in self:
            answer.company_id = (
                answer.partner_id.company_id or answer.question_id.company_id
            )

    @api.depends(*VALUE_FIELDS, "question_id.unit", "question_id.option_ids.name")
    @api.depends_context("lang")
    def _compute_value_display(self):
        fmt = self.env["extrabat.question"]._answer_format()
        option_names = self.question_id._option_names()
        for answer in self:
            question = answer.question_id
            answer.value_display = core.format_answer(
                answer.answer_type or "char",
                answer._get_value(),
                fmt,
                option_names.get(question.id, {}),
                question.unit or "",
            )

    # === CONSTRAINT METHODS ===
    @api.constrains("question_id", "option_ids")
    def _check_options(self):
        for answer in self:
            question = answer.question_id
            if answer.option_ids - question.with_context(active_test=False).option_ids:
                raise ValidationError(
                    self.env._(
                        "The answer to “%(question)s” uses an option of another "
                        "question.",
                        question=question.name,
                    )
                )
            if (
                question.answer_type in ("selection", "selection_text")
                and len(answer.option_ids) > 1
            ):
                raise ValidationError(
                    self.env._(
                        "The question “%(question)s” accepts a single option.",
                        question=question.name,
                    )
                )

    @api.constrains("question_id", "partner_id")
    def _check_partner_company(self):
        for answer in self:
            question_company = answer.question_id.company_id
            partner_company = answer.partner_id.company_id
            if (
                question_company
                and partner_company
                and question_company != partner_company
            ):
                raise ValidationError(
                    self.env._(
                        "The question “%(question)s” belongs to %(question_company)s: "
                        "the client %(partner)s of %(partner_company)s cannot "
                        "answer it.",
                        question=answer.question_id.name,
                        question_company=question_company.name,
                        partner=answer.partner_id.display_name,
                        partner_company=partner_company.name,
                    )
                )

    # === CRUD ===
    @api.model_create_multi
    def create(self, vals_list):
        partner_ids = {vals.get("partner_id") for vals in vals_list} - {None, False}
        self.env["res.partner"].browse(partner_ids).check_access("write")
        return super().create(vals_list)

    def write(self, vals):
        self.partner_id.check_access("write")
        if vals.get("partner_id"):
            self.env["res.partner"].browse(vals["partner_id"]).check_access("write")
        return super().write(vals)

    def unlink(self):
        self.partner_id.check_access("write")
        return super().unlink()

    # === BUSINESS ===
    def _get_value(self):
        """Canonical value of this answer (see :mod:`extrabat_core.questions`);
        ``None`` if the row holds nothing."""
        self.ensure_one()
        answer_type = self.answer_type
        if answer_type == "char":
            value = self.value_char or None
        elif answer_type == "text":
            value = self.value_text or None
        elif answer_type == "boolean":
            value = self.value_boolean
        elif answer_type == "date":
            value = self.value_date or None
        elif answer_type == "number":
            value = self.value_number
        elif answer_type == "multi":
            value = tuple(sorted(self.option_ids.ids)) or None
        elif answer_type == "selection":
            value = self.option_ids[:1].id or None
        elif answer_type == "selection_text":
            option = self.option_ids[:1].id or None
            value = core.ChoiceText(option, self.value_text or "")
            if option is None and not value.text:
                value = None
        else:
            value = None
        return value

    @api.model
    def _prepare_value_vals(self, answer_type, value):
        """Values of the typed columns holding the canonical ``value`` of a
        question of ``answer_type`` (every other column emptied).

        :return: dict of field values for ``create``/``write``
        """
        vals = {
            "value_char": False,
            "value_text": False,
            "value_boolean": False,
            "value_date": False,
            "value_number": 0.0,
            "option_ids": [Command.clear()],
        }
        if answer_type == "char":
            vals["value_char"] = value
        elif answer_type == "text":
            vals["value_text"] = value
        elif answer_type == "boolean":
            vals["value_boolean"] = value
        elif answer_type == "date":
            vals["value_date"] = value
        elif answer_type == "number":
            vals["value_number"] = value
        elif answer_type == "selection":
            vals["option_ids"] = [Command.set([value])]
        elif answer_type == "multi":
            vals["option_ids"] = [Command.set(list(value))]
        elif answer_type == "selection_text":
            vals["option_ids"] = [
                Command.set([value.option_id] if value.option_id else [])
            ]
            vals["value_text"] = value.text or False
        return vals
