# A second class on res.partner on purpose: models/res_partner.py holds the
# client codes, status and trash, this file the complementary questions.
# pylint: disable=consider-merging-classes-inherited
import datetime

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from extrabat_core import questions as core

from .extrabat_question_answer import VALUE_FIELDS


class ResPartner(models.Model):
    """Complementary questions (questions complémentaires) of a partner.
    Answers are rows of extrabat.question.answer; see readme/DEVELOP.md."""

    _inherit = "res.partner"

    # Up to this many clients, an answer filter gives the clients' ids
    # (see _extrabat_choosing_domain).
    _extrabat_choice_ids_limit = 5000

    # === FIELDS ===
    extrabat_answer_ids = fields.One2many(
        "extrabat.question.answer",
        "partner_id",
        string="Answers to complementary questions",
        copy=True,
    )
    extrabat_answers_data = fields.Json(
        string="Complementary questions",
        compute="_compute_extrabat_answers_data",
        inverse="_inverse_extrabat_answers_data",
        help="The active questions of the client's company with the client's "
        "answers, as edited by the form's widget.",
    )
    extrabat_home_answers = fields.Json(
        string="Key answers",
        compute="_compute_extrabat_home_answers",
        help="Answers to the questions shown on the client's home page.",
    )
    extrabat_option_ids = fields.Many2many(
        "extrabat.question.option",
        "extrabat_partner_option_rel",
        "partner_id",
        "option_id",
        string="Chosen options",
        compute="_compute_extrabat_option_ids",
        store=True,
        help="Every option chosen in the client's answers, kept beside the "
        "client so that filtering clients by an option reads one index.",
    )
    extrabat_answer_option_id = fields.Many2one(
        "extrabat.question.option",
        string="Answer (choice)",
        compute="_compute_extrabat_answer_search",
        search="_search_extrabat_answer_option_id",
        context={"extrabat_option_full_name": True},
    )
    extrabat_answer_search = fields.Char(
        string="Answer (text)",
        compute="_compute_extrabat_answer_search",
        search="_search_extrabat_answer_search",
    )

    # === COMPUTE ===
    @api.depends("extrabat_answer_ids")
    @api.depends_context("lang", "allowed_company_ids")
    def _compute_extrabat_answers_data(self):
        payloads = self._extrabat_answer_payloads()
        for partner in self:
            partner.extrabat_answers_data = payloads[partner.id]

    @api.depends("extrabat_answer_ids")
    @api.depends_context("lang", "allowed_company_ids")
    def _compute_extrabat_home_answers(self):
        payloads = self._extrabat_answer_payloads(home_only=True)
        for partner in self:
            payload = payloads[partner.id]
            partner.extrabat_home_answers = [
                {"label": question["name"], "value": question["display"]}
                for question in payload["questions"]
                if question["display"]
            ]

    @api.depends("extrabat_answer_ids.option_ids")
    def _compute_extrabat_option_ids(self):
        for partner in self:
            partner.extrabat_option_ids = partner.extrabat_answer_ids.option_ids

    def _compute_extrabat_answer_search(self):
        self.extrabat_answer_option_id = False
        self.extrabat_answer_search = False

    def _inverse_extrabat_answers_data(self):
        for partner in self:
            data = partner.extrabat_answers_data or {}
            answers = data.get("answers") or {}
            # The form's widget names the questions it changed, so that two
            # people answering different questions of one client at the same
            # time do not undo each other's answers.
            keys = data.get("dirty")
            if keys is None:
                keys = answers.keys()
            values = {int(key): answers.get(str(key)) for key in keys}
            if values:
                partner._extrabat_set_question_answers(values)

    # === SEARCH ===
    def _search_extrabat_answer_option_id(self, operator, value):
        Option = self.env["extrabat.question.option"].with_context(active_test=False)
        no_choice = False
        if operator == "in":
            option_ids = [v for v in value if v]
            no_choice = len(option_ids) != len(value)
            # Only the options the user may read (multi-company): the ids
            # given are looked up in a table that record rules do not filter.
            option_ids = Option.search([("id", "in", option_ids)]).ids
        elif operator == "any":
            option_ids = Option.search(value).ids
        elif operator.endswith("like"):
            option_ids = Option.search([("display_name", operator, value)]).ids
        else:
            return NotImplemented
        domain = Domain.FALSE
        if option_ids:
            domain = self._extrabat_choosing_domain(option_ids)
        if no_choice:
            domain |= Domain("extrabat_option_ids", "=", False)
        return domain

    @api.model
    def _extrabat_choosing_domain(self, option_ids):
        """Domain of the partners who chose one of ``option_ids``.

        A few clients (a rare answer) are given by their ids: with a
        sub-query PostgreSQL tends to walk the whole client list in its
        display order, probing each client, to find the first 80 (up to a
        second on 100,000 clients). Many clients are given by a sub-query, which the
        database then joins by hashing. See readme/DEVELOP.md.
        """
        self.flush_model(["extrabat_option_ids"])
        limit = self._extrabat_choice_ids_limit
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT partner_id FROM extrabat_partner_option_rel"
                " WHERE option_id = ANY(%s) LIMIT %s",
                list(option_ids),
                limit + 1,
            )
        )
        if len(rows) <= limit:
            return Domain("id", "in", [row[0] for row in rows])
        return Domain("extrabat_option_ids", "in", list(option_ids))

    def _search_extrabat_answer_search(self, operator, value):
        if not (operator.endswith("like") or operator == "in"):
            return NotImplemented
        return Domain(
            "extrabat_answer_option_id", "any", [("name", operator, value)]
        ) | Domain(
            "extrabat_answer_ids",
            "any",
            Domain("value_char", operator, value)
            | Domain("value_text", operator, value),
        )

    # === VIEWS ===
    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        key = super()._get_view_cache_key(view_id, view_type, **options)
        if view_type != "search":
            return key
        # The search view lists the questions of the active companies.
        return (*key, tuple(sorted(self.env.companies.ids)))

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "search":
            self._extrabat_add_question_search_items(arch)
        return arch, view

    @api.model
    def _extrabat_add_question_search_items(self, arch):
        """Add to a partner search view one search field per text-like or
        choice question ("Type de chauffage: pompe") and yes/no filters per
        boolean question, after our generic answer fields."""
        anchor = arch.find(".//field[@name='extrabat_answer_search']")
        if anchor is None:
            return
        questions = (
            self.env["extrabat.question"]
            .sudo()
            .search([("company_id", "in", [False, *self.env.companies.ids])])
        )
        text_types = core.CHOICE_TYPES | {"char", "text"}
        position = anchor
        for question in questions.filtered(lambda q: q.answer_type in text_types):
            node = etree.Element(
                "field",
                name="extrabat_answer_search",
                string=question.name,
                filter_domain=repr(
                    self._extrabat_question_text_domain(question, "self")
                ).replace("'self'", "self"),
            )
            position.addnext(node)
            position = node
        booleans = questions.filtered(lambda q: q.answer_type == "boolean")
        if not booleans:
            return
        filters_anchor = arch.find(".//filter[@name='extrabat_questions_answered']")
        if filters_anchor is None:
            return
        position = filters_anchor
        for question in booleans:
            for answer, label in ((True, self.env._("Yes")), (False, self.env._("No"))):
                node = etree.Element(
                    "filter",
                    name=f"extrabat_question_{question.id}_{'yes' if answer else 'no'}",
                    string=self.env._(
                        "%(question)s: %(answer)s", question=question.name, answer=label
                    ),
                    domain=repr(
                        [
                            (
                                "extrabat_answer_ids",
                                "any",
                                [
                                    ("question_id", "=", question.id),
                                    ("value_boolean", "=", answer),
                                ],
                            )
                        ]
                    ),
                )
                position.addnext(node)
                position = node
            separator = etree.Element("separator")
            position.addnext(separator)
            position = separator

    @api.model
    def _extrabat_question_text_domain(self, question, value):
        """Domain (list) on partners whose answer to ``question`` contains
        ``value``: in the option's name or in the text, whichever the answer
        type uses (so that the database reads one index, not three)."""
        by_option = [
            (
                "extrabat_answer_option_id",
                "any",
                [("question_id", "=", question.id), ("name", "ilike", value)],
            )
        ]
        text_column = {
            "char": "value_char",
            "text": "value_text",
            "selection_text": "value_text",
        }.get(question.answer_type)
        by_text = [
            (
                "extrabat_answer_ids",
                "any",
                [("question_id", "=", question.id), (text_column, "ilike", value)],
            )
        ]
        if question.answer_type in ("selection", "multi"):
            return by_option
        if question.answer_type == "selection_text":
            return ["|", *by_option, *by_text]
        return by_text

    # === BUSINESS: reading answers ===
    def _extrabat_questions_by_company(self, domain=()):
        """The active questions that apply to the partners of ``self``.

        :return: ``{company: questions}`` for each company of ``self``
            (the empty company for partners shared between companies)
        """
        questions = self.env["extrabat.question"].search_fetch(
            list(domain),
            [
                "name",
                "code",
                "answer_type",
                "unit",
                "description",
                "show_on_home",
                "company_id",
                "sequence",
            ],
        )
        result = {}
        for company in {partner.company_id for partner in self}:
            result[company] = questions.filtered(
                lambda q, c=company: not c or not q.company_id or q.company_id == c
            )
        return result

    def _extrabat_answer_rows(self, question_ids=None):
        """The answer rows of ``self`` (all questions, archived ones included,
        or only ``question_ids``), fetched in a bounded number of queries.

        :return: ``{(partner id, question id): answer record}``
        """
        # _origin: the saved partners behind a form's onchange records
        partner_ids = [pid for pid in self._origin.ids if pid]
        if not partner_ids:
            return {}
        domain = [("partner_id", "in", partner_ids)]
        if question_ids is not None:
            domain.append(("question_id", "in", list(question_ids)))
        answers = self.env["extrabat.question.answer"].search_fetch(
            domain, ["partner_id", "question_id", "answer_type", *VALUE_FIELDS]
        )
        return {(a.partner_id.id, a.question_id.id): a for a in answers}

    def _extrabat_answer_payloads(self, home_only=False):
        """What the partner form shows: the questions (with their options)
        and the answers of each partner of ``self``.

        :return: ``{partner id: {"questions": [{"id", "code", "name", "type",
            "unit", "help", "home", "options": [{"id", "name", "active"}],
            "display"}], "answers": {"<question id>": JSON value}}}``;
            JSON values are canonical values with dates as ISO strings,
            ``multi`` as lists and ``selection_text`` as
            ``{"option_id", "text"}``
        """
        domain = [("show_on_home", "=", True)] if home_only else []
        by_company = self._extrabat_questions_by_company(domain)
        all_questions = self.env["extrabat.question"].union(*by_company.values())
        options = (
            self.env["extrabat.question.option"]
            .with_context(active_test=False)
            .search_fetch(
                [("question_id", "in", all_questions.ids)],
                ["name", "active", "question_id"],
            )
        )
        options_by_question = {}
        for option in options:
            options_by_question.setdefault(option.question_id.id, []).append(option)
        rows = self._extrabat_answer_rows(all_questions.ids)
        fmt = self.env["extrabat.question"]._answer_format()
        payloads = {}
        for partner in self:
            answers = {}
            questions_data = []
            for question in by_company[partner.company_id]:
                row = rows.get((partner._origin.id, question.id))
                value = row._get_value() if row else None
                chosen = set(
                    self._extrabat_value_option_ids(question.answer_type, value)
                )
                question_options = [
                    o
                    for o in options_by_question.get(question.id, [])
                    if o.active or o.id in chosen
                ]
                if value is not None:
                    answers[str(question.id)] = self._extrabat_value_to_json(value)
                questions_data.append(
                    {
                        "id": question.id,
                        "code": question.code,
                        "name": question.name,
                        "type": question.answer_type,
                        "unit": question.unit or "",
                        "help": question.description or "",
                        "home": question.show_on_home,
                        "options": [
                            {"id": o.id, "name": o.name, "active": o.active}
                            for o in question_options
                        ],
                        "display": core.format_answer(
                            question.answer_type,
                            value,
                            fmt,
                            {o.id: o.name for o in question_options},
                            question.unit or "",
                        ),
                    }
                )
            payloads[partner.id] = {"questions": questions_data, "answers": answers}
        return payloads

    @api.model
    def _extrabat_value_option_ids(self, answer_type, value):
        if value is None or answer_type not in core.CHOICE_TYPES:
            return ()
        if answer_type == "multi":
            return value
        if answer_type == "selection_text":
            return (value.option_id,) if value.option_id else ()
        return (value,)

    @api.model
    def _extrabat_value_to_json(self, value):
        if isinstance(value, core.ChoiceText):
            return {"option_id": value.option_id or False, "text": value.text}
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    def _extrabat_question_answers(self):
        """Typed answers of this partner, for every question it answered
        (archived questions included).

        :return: ``{question id: value}`` where value is a ``str`` (short and
            long text), ``float`` (number), ``datetime.date``, ``bool``
            (yes/no), an ``extrabat.question.option`` record (dropdown), a
            recordset of options (multiple checkboxes) or a
            :class:`extrabat_core.questions.ChoiceText` ``(option record,
            text)`` (dropdown + free text)
        """
        self.ensure_one()
        Option = self.env["extrabat.question.option"].with_context(active_test=False)
        result = {}
        for (_partner_id, question_id), row in self._extrabat_answer_rows().items():
            value = row._get_value()
            if value is None:
                continue
            if row.answer_type in ("selection", "multi"):
                value = Option.browse(
                    self._extrabat_value_option_ids(row.answer_type, value)
                )
            elif row.answer_type == "selection_text":
                value = core.ChoiceText(
                    Option.browse(value.option_id or []), value.text
                )
            result[question_id] = value
        return result

    def _extrabat_question_answer_texts(self):
        """Display texts of this partner's answers, in the current language
        (letters' ``[data.question_<code>]`` markers).

        Multiple choices are joined with ", ", "dropdown + free text" reads
        "Option — text", yes/no answers "Yes"/"No" (translated), dates and
        numbers follow the language's formats. Unanswered questions give "".

        :return: ``{code: text}`` for the active questions of the partner's
            company and every question the partner answered
        """
        self.ensure_one()
        questions = self._extrabat_questions_by_company()[self.company_id]
        rows = self._extrabat_answer_rows()
        questions |= self.env["extrabat.question"].union(
            *(row.question_id for row in rows.values())
        )
        option_names = questions._option_names()
        fmt = self.env["extrabat.question"]._answer_format()
        texts = {}
        for question in questions.sorted():
            row = rows.get((self.id, question.id))
            texts[question.code] = core.format_answer(
                question.answer_type,
                row._get_value() if row else None,
                fmt,
                option_names[question.id],
                question.unit or "",
            )
        return texts

    # === BUSINESS: writing answers ===
    def _extrabat_set_question_answers(self, values):
        """Answer questions for every partner of ``self``.

        :param values: ``{question (id or record): value}``; a value is what
            :meth:`_extrabat_question_answers` returns, or option ids instead
            of records, or what a person types (``"12,5"``, ``"01/05/2024"``);
            ``None`` removes the answer (as do ``""``, ``[]`` and, except for
            yes/no questions, ``False``)
        :raise ValidationError: on a value that does not fit its question
            (nothing is written then)
        """
        Question = self.env["extrabat.question"].with_context(active_test=False)
        raw_values = {}
        for key, value in values.items():
            question_id = key.id if isinstance(key, models.BaseModel) else int(key)
            raw_values[question_id] = self._extrabat_plain_value(value)
        questions = Question.browse(raw_values).exists()
        if unknown := set(raw_values) - set(questions.ids):
            raise ValidationError(
                self.env._(
                    "These complementary questions do not exist (any more): %(ids)s.",
                    ids=", ".join(map(str, sorted(unknown))),
                )
            )
        Answer = self.env["extrabat.question.answer"]
        rows = self._extrabat_answer_rows(questions.ids)
        active_options = questions.option_ids.filtered("active")
        decimal_point = self.env["extrabat.question"]._answer_format().decimal_point
        to_create, to_unlink = [], Answer
        for partner in self:
            for question in questions:
                row = rows.get((partner.id, question.id), Answer)
                current = row._get_value() if row else None
                # Archived options stay valid where they were already chosen.
                allowed = set((active_options & question.option_ids).ids)
                allowed.update(
                    self._extrabat_value_option_ids(question.answer_type, current)
                )
                try:
                    value = core.normalize_answer(
                        question.answer_type,
                        raw_values[question.id],
                        allowed,
                        decimal_point,
                    )
                except core.AnswerError as error:
                    raise ValidationError(
                        self._extrabat_answer_error_message(question, error)
                    ) from error
                if value is None:
                    to_unlink |= row
                elif not row:
                    to_create.append(
                        {
                            "partner_id": partner.id,
                            "question_id": question.id,
                            **Answer._prepare_value_vals(question.answer_type, value),
                        }
                    )
                elif value != current:
                    row.write(Answer._prepare_value_vals(question.answer_type, value))
        to_unlink.unlink()
        Answer.create(to_create)

    @api.model
    def _extrabat_plain_value(self, value):
        """Records and :class:`ChoiceText` of records as plain ids."""
        if isinstance(value, models.BaseModel):
            return list(value.ids) if len(value) != 1 else value.id
        if isinstance(value, core.ChoiceText) and isinstance(
            value.option_id, models.BaseModel
        ):
            return core.ChoiceText(value.option_id.id or None, value.text)
        return value

    def _extrabat_answer_error_message(self, question, error):
        """Message (translated) for a refused answer."""
        params = {"question": question.name, "value": str(error.value)}
        messages = {
            "not_text": lambda: self.env._("“%(question)s” expects a text.", **params),
            "not_number": lambda: self.env._(
                "“%(question)s” expects a number (for example 12 or 12,5), "
                "not “%(value)s”.",
                **params,
            ),
            "not_date": lambda: self.env._(
                "“%(question)s” expects a date (for example 31/12/2024), "
                "not “%(value)s”.",
                **params,
            ),
            "not_boolean": lambda: self.env._(
                "“%(question)s” expects yes or no.", **params
            ),
            "not_option": lambda: self.env._(
                "“%(question)s” expects one of its options, not “%(value)s”.",
                **params,
            ),
            "unknown_option": lambda: self.env._(
                "This option is not (or no longer) offered by “%(question)s”.",
                **params,
            ),
            "several_options": lambda: self.env._(
                "“%(question)s” accepts a single option.", **params
            ),
        }
        default = lambda: self.env._(
            "“%(question)s”: this answer is not valid.", **params
        )
        return messages.get(error.kind, default)()

    def _extrabat_merge_question_answers(self, src_partners):
        """Move the answers of ``src_partners`` to this partner (the one kept
        by a merge). Where both answered a question, this partner's answer
        wins and the other one is written in this partner's chatter, then
        deleted (so that no answer is left for Odoo's SQL merge to drop or to
        collide with).

        :return: list of ``{"question": record, "partner": source partner,
            "kept": text, "discarded": text}``, one per conflict
        """
        self.ensure_one()
        src_partners -= self
        Answer = self.env["extrabat.question.answer"]
        kept = {a.question_id: a for a in Answer.search([("partner_id", "=", self.id)])}
        conflicts = []
        not_moved = Answer
        sources = Answer.search([("partner_id", "in", src_partners.ids)])
        for answer in sources.sorted(lambda a: src_partners.ids.index(a.partner_id.id)):
            current = kept.get(answer.question_id)
            if not current:
                answer.partner_id = self
                kept[answer.question_id] = answer
                continue
            not_moved |= answer
            if current._get_value() != answer._get_value():
                conflicts.append(
                    {
                        "question": answer.question_id,
                        "partner": answer.partner_id,
                        "kept": current.value_display,
                        "discarded": answer.value_display,
                    }
                )
        if conflicts:
            title = self.env._(
                "Complementary questions answered differently by the merged "
                "clients; the answers of this client were kept:"
            )
            items = [
                self.env._(
                    "%(question)s: “%(discarded)s” (from %(partner)s) replaced by "
                    "“%(kept)s”",
                    question=conflict["question"].name,
                    discarded=conflict["discarded"],
                    partner=conflict["partner"].display_name,
                    kept=conflict["kept"],
                )
                for conflict in conflicts
            ]
            self.message_post(body=self._extrabat_merge_list_body(title, items))
        # Same or overruled answers: written above, then dropped, as Odoo's
        # merge would (its SQL must find no answer left to collide with).
        not_moved.unlink()
        return conflicts
