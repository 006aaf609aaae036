from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ExtrabatQuestionOption(models.Model):
    """A choice of a dropdown or multiple-checkbox question.

    An option is archived, never deleted once chosen: past answers keep it
    (and show it), new answers cannot choose it any more.
    """

    _name = "extrabat.question.option"
    _description = "Complementary question option"
    _order = "sequence, id"
    _rec_names_search = ("name", "question_id.name")

    # === FIELDS ===
    name = fields.Char(string="Option", required=True, translate=True)
    question_id = fields.Many2one(
        "extrabat.question",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        related="question_id.company_id", store=True, index=True
    )

    # === COMPUTE ===
    @api.depends("name", "question_id.name")
    @api.depends_context("extrabat_option_full_name")
    def _compute_display_name(self):
        if not self.env.context.get("extrabat_option_full_name"):
            return super()._compute_display_name()
        for option in self:
            option.display_name = self.env._(
                "%(question)s: %(option)s",
                question=option.question_id.name,
                option=option.name,
            )
        return None

    # === CRUD ===
    def write(self, vals):
        if "question_id" in vals:
            moved = self.filtered(lambda o: o.question_id.id != vals["question_id"])
            if chosen := moved._chosen_options()[:1]:
                raise UserError(
                    self.env._(
                        "The option “%(option)s” has already been chosen by "
                        "clients: it cannot move to another question.",
                        option=chosen.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_chosen(self):
        if chosen := self._chosen_options()[:1]:
            raise UserError(
                self.env._(
                    "The option “%(option)s” has already been chosen by clients: "
                    "it cannot be deleted, so that no answer is lost. Archive it "
                    "instead: it will no longer be offered, and past answers keep "
                    "it.",
                    option=chosen.name,
                )
            )

    # === BUSINESS ===
    def _chosen_options(self):
        """The options of ``self`` that at least one answer uses."""
        if not self:
            return self
        self.env["extrabat.question.answer"].flush_model(["option_ids"])
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT option_id FROM extrabat_question_answer_option_rel"
                " WHERE option_id IN %s",
                tuple(self.ids),
            )
        )
        return self.browse([row[0] for row in rows])
