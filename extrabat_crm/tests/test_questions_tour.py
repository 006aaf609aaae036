from datetime import date

from odoo.tests import HttpCase, tagged

from extrabat_core.questions import ChoiceText

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionsTour(HttpCase, QuestionsCommon):
    def test_answer_every_type_on_the_form(self):
        for question in (
            self.q_char,
            self.q_text,
            self.q_heating,
            self.q_origin,
            self.q_pool,
            self.q_equipment,
            self.q_visit,
            self.q_surface,
        ):
            question.code = f"tour_{question.answer_type}"
        # Numbers are typed the French way.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.salesperson.lang = "fr_FR"
        self.start_tour(
            f"/odoo/contacts/{self.partner.id}",
            "extrabat_questions_tour",
            login=self.salesperson.login,
        )
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_char.id], "Chantier de la rue Garibaldi")
        self.assertEqual(answers[self.q_text.id], "Accès par la cour.")
        self.assertEqual(answers[self.q_heating.id], self.heat_pump)
        self.assertEqual(
            answers[self.q_origin.id], ChoiceText(self.fair, "par Le Bon Coin")
        )
        self.assertIs(answers[self.q_pool.id], True)
        self.assertEqual(answers[self.q_equipment.id], self.radiators | self.floor)
        self.assertEqual(answers[self.q_visit.id], date(2024, 5, 1))
        self.assertEqual(answers[self.q_surface.id], 120.5)


@tagged("post_install", "-at_install")
class TestQuestionsMobileTour(TestQuestionsTour):
    """The same on a phone (390×844, touch): the notebook tabs scroll
    sideways, the questions are answered in the same widgets."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
