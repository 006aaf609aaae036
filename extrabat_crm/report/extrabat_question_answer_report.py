from odoo import fields, models
from odoo.tools import SQL

from ..models.extrabat_question import ANSWER_TYPES


class ExtrabatQuestionAnswerReport(models.Model):
    """Answers to complementary questions, one row per answer and chosen
    option (a multiple-checkbox answer gives one row per ticked box), for the
    pivot and graph views: how many clients chose each option."""

    _name = "extrabat.question.answer.report"
    _description = "Complementary questions analysis"
    _auto = False
    _rec_name = "question_id"
    _order = "question_id, option_id"

    # === FIELDS ===
    answer_id = fields.Many2one("extrabat.question.answer", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Client", readonly=True, aggregator="count_distinct"
    )
    question_id = fields.Many2one("extrabat.question", readonly=True)
    option_id = fields.Many2one("extrabat.question.option", readonly=True)
    answer_type = fields.Selection(ANSWER_TYPES, string="Answer type", readonly=True)
    yes_no = fields.Selection(
        [("yes", "Yes"), ("no", "No")], string="Yes/no", readonly=True
    )
    value_number = fields.Float(string="Number", readonly=True, aggregator="avg")
    value_date = fields.Date(string="Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    active = fields.Boolean(string="Active client", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY answer.id, rel.option_id) AS id,
                   answer.id AS answer_id,
                   answer.partner_id,
                   answer.question_id,
                   rel.option_id,
                   question.answer_type,
                   CASE WHEN question.answer_type = 'boolean' THEN
                        CASE WHEN answer.value_boolean THEN 'yes' ELSE 'no' END
                   END AS yes_no,
                   CASE WHEN question.answer_type = 'number'
                        THEN answer.value_number END AS value_number,
                   CASE WHEN question.answer_type = 'date'
                        THEN answer.value_date END AS value_date,
                   answer.company_id,
                   partner.user_id,
                   partner.country_id,
                   partner.active
              FROM extrabat_question_answer answer
              JOIN extrabat_question question ON question.id = answer.question_id
              JOIN res_partner partner ON partner.id = answer.partner_id
         LEFT JOIN extrabat_question_answer_option_rel rel
                   ON rel.answer_id = answer.id
            """
        )
