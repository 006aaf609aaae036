from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from extrabat_core import questions as core

ANSWER_TYPES = [
    ("char", "Short text"),
    ("text", "Long text"),
    ("selection", "Dropdown"),
    ("selection_text", "Dropdown + free text"),
    ("boolean", "Yes/no checkbox"),
    ("multi", "Multiple checkboxes"),
    ("date", "Date"),
    ("number", "Number"),
]


class ExtrabatQuestion(models.Model):
    """A complementary question (question complémentaire) asked about clients.

    Managers define questions; salespeople answer them on the partner form.
    The answers live in ``extrabat.question.answer`` (one typed row per
    partner and question); see ``readme/DEVELOP.md`` for why they are not
    native Properties.
    """

    _name = "extrabat.question"
    _description = "Complementary question"
    _order = "sequence, id"
    _check_company_auto = True

    # === FIELDS ===
    name = fields.Char(string="Question", required=True, translate=True)
    code = fields.Char(
        required=True,
        copy=False,
        compute="_compute_code",
        store=True,
        readonly=False,
        precompute=True,
        help="Technical key of the question, used by letter templates as "
        "[data.question_<code>]. Lowercase letters, digits and underscores.",
    )
    answer_type = fields.Selection(
        ANSWER_TYPES,
        string="Answer type",
        required=True,
        default="selection",
    )
    description = fields.Char(
        string="Help",
        translate=True,
        help="Short hint shown under the question on the client's form.",
    )
    unit = fields.Char(translate=True, help="Unit shown after numbers, e.g. m².")
    option_ids = fields.One2many(
        "extrabat.question.option",
        "question_id",
        string="Options",
        copy=True,
        context={"active_test": False},
    )
    sequence = fields.Integer(default=10)
    show_on_home = fields.Boolean(
        string="Show on the client's home page",
        help="The answer appears at the top of the client's form and on the "
        "client's card in the kanban view.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to ask the question in every company.",
    )
    has_options = fields.Boolean(compute="_compute_has_options")
    answer_count = fields.Integer(
        string="Answers", compute="_compute_answer_count", compute_sudo=True
    )

    # === CONSTRAINTS ===
    _code_company_uniq = models.UniqueIndex(
        "(code, COALESCE(company_id, 0))",
        "Another question of this company already uses this code.",
    )

    # === COMPUTE ===
    @api.depends("name", "company_id")
    def _compute_code(self):
        taken_by_company = {}
        for question in self:
            if (question._origin.id and question.code) or not question.name:
                # A saved code never changes by itself: letters use it.
                question.code = question.code
                continue
            company = question.company_id
            if company not in taken_by_company:
                taken_by_company[company] = set(
                    self.with_context(active_test=False)
                    .sudo()
                    .search(self._code_conflict_domain(company))
                    .mapped("code")
                )
            taken = taken_by_company[company]
            question.code = core.slugify_code(question.name, taken)
            taken.add(question.code)

    @api.depends("answer_type")
    def _compute_has_options(self):
        for question in self:
            question.has_options = question.answer_type in core.CHOICE_TYPES

    def _compute_answer_count(self):
        counts = dict(
            self.env["extrabat.question.answer"]._read_group(
                [("question_id", "in", self.ids)], ["question_id"], ["__count"]
            )
        )
        for question in self:
            question.answer_count = counts.get(question._origin, 0)

    # === CONSTRAINT METHODS ===
    @api.constrains("code")
    def _check_code(self):
        for question in self:
            if not core.is_valid_code(question.code):
                raise ValidationError(
                    self.env._(
                        "The code “%(code)s” of the question “%(question)s” is "
                        "not valid: use at most %(max)s lowercase letters without "
                        "accents, digits and underscores, starting with a letter "
                        "(for example “type_de_chauffage”).",
                        code=question.code,
                        question=question.name,
                        max=core.CODE_MAX_LENGTH,
                    )
                )

    # === CRUD ===
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                company_id = vals.get("company_id", self.env.company.id)
                self._raise_if_code_taken(
                    vals["code"], self.env["res.company"].browse(company_id)
                )
        questions = super().create(vals_list)
        self._clear_question_views_cache()
        return questions

    def write(self, vals):
        if "answer_type" in vals:
            self._check_answer_type_change(vals["answer_type"])
        if vals.get("code") or "company_id" in vals:
            for question in self:
                self._raise_if_code_taken(
                    vals.get("code") or question.code,
                    self.env["res.company"].browse(
                        vals.get("company_id", question.company_id.id)
                    ),
                    exclude=question,
                )
        result = super().write(vals)
        if set(vals) & self._view_cache_fields():
            self._clear_question_views_cache()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        answered = self.filtered("answer_count")
        if answered:
            raise UserError(
                self.env._(
                    "The question “%(question)s” already has answers: it cannot be "
                    "deleted, so that no answer is lost. Archive it instead: it "
                    "disappears from the clients' forms and its answers are kept.",
                    question=answered[0].name,
                )
            )

    def unlink(self):
        result = super().unlink()
        self._clear_question_views_cache()
        return result

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for question, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = self.env._("%(question)s (copy)", question=question.name)
        return vals_list

    # === ACTIONS ===
    def action_view_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.extrabat_question_answer_action"
        )
        action["domain"] = [("question_id", "=", self.id)]
        action["display_name"] = self.name
        return action

    # === BUSINESS ===
    @api.model
    def _code_conflict_domain(self, company):
        """Questions whose code must differ from a question of ``company``:
        the same company and the shared questions (and, for a shared
        question, every company's)."""
        if not company:
            return []
        return [("company_id", "in", [False, company.id])]

    @api.model
    def _raise_if_code_taken(self, code, company, exclude=None):
        """Refuse ``code`` for a question of ``company`` if another question
        that shares letters with it already uses it (checked before writing,
        so that the database's unique index never has to)."""
        domain = [*self._code_conflict_domain(company), ("code", "=", code)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        other = self.with_context(active_test=False).sudo().search(domain, limit=1)
        if other:
            raise ValidationError(
                self.env._(
                    "The code “%(code)s” is already used by the question "
                    "“%(other)s”: letter markers must designate a single "
                    "question. Choose another code.",
                    code=code,
                    other=other.name,
                )
            )

    def _check_answer_type_change(self, new_type):
        for question in self:
            if question.answer_type == new_type or not question.answer_count:
                continue
            if (question.answer_type, new_type) in core.SAFE_TYPE_CHANGES:
                continue
            labels = dict(self._fields["answer_type"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The question “%(question)s” already has %(count)s answers of "
                    "type “%(old)s”: they cannot become “%(new)s” without being "
                    "lost. Archive this question and create a new one instead.",
                    question=question.name,
                    count=question.answer_count,
                    old=labels[question.answer_type],
                    new=labels[new_type],
                )
            )

    @api.model
    def _view_cache_fields(self):
        """Fields that change the partner search view built from questions."""
        return {"name", "answer_type", "sequence", "active", "company_id"}

    @api.model
    def _clear_question_views_cache(self):
        # The partner search view lists the questions (see res.partner's
        # _get_view): rebuild it, as a change of view would.
        self.env.registry.clear_cache("templates")

    def _option_names(self):
        """Option names of the questions of ``self``, archived options
        included, in the options' order.

        :return: ``{question id: {option id: name}}``
        """
        options = (
            self.env["extrabat.question.option"]
            .with_context(active_test=False)
            .search_fetch([("question_id", "in", self.ids)], ["name", "question_id"])
        )
        names = {question.id: {} for question in self}
        for option in options:
            names[option.question_id.id][option.id] = option.name
        return names

    def _answer_format(self):
        """:class:`extrabat_core.questions.AnswerFormat` of the current
        language (letters, exports, displays)."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        if not lang.code:
            lang = self.env["res.lang"]._get_data(code="en_US")
        grouping = [
            int(part) for part in (lang.grouping or "[3,0]").strip("[]").split(",")
        ]
        return core.AnswerFormat(
            date_format=lang.date_format or "%m/%d/%Y",
            decimal_point=lang.decimal_point or ".",
            thousands_sep=lang.thousands_sep or "",
            grouping=tuple(grouping),
            yes=self.env._("Yes"),
            no=self.env._("No"),
        )
