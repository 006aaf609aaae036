from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionMultiCompany(QuestionsCommon):
    """A user of company B never reads nor writes the answers of company A's
    clients, nor company A's questions, whatever the question (shared or
    not) and whatever the path (ORM, report, partner form)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Piscines du Sud"})
        cls.user_b = new_test_user(
            cls.env,
            login="questions_user_b",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        # The fixture questions are company A's; this one is shared.
        cls.q_shared = cls._create_question(
            "Animaux", "selection", options=["Chien", "Chat"], company_id=False
        )
        cls.dog = cls.q_shared.option_ids[0]
        cls.client_a = cls._create_partner("Client A", company_id=cls.company_a.id)
        cls.client_a._extrabat_set_question_answers(
            {cls.q_shared: cls.dog, cls.q_surface: 90, cls.q_char: "M. Secret"}
        )
        cls.shared_client = cls._create_partner("Client partagé", company_id=False)
        cls.shared_client._extrabat_set_question_answers(
            {cls.q_shared: cls.dog, cls.q_surface: 40}
        )
        cls.Answer = cls.env["extrabat.question.answer"]

    def _answer(self, partner, question):
        return self.Answer.search(
            [("partner_id", "=", partner.id), ("question_id", "=", question.id)]
        )

    # === READ ===
    def test_answers_of_another_company_client_are_not_readable(self):
        answers_b = self.Answer.with_user(self.user_b).search([])
        self.assertFalse(answers_b.partner_id & self.client_a)
        shared_answer = self._answer(self.client_a, self.q_shared)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            shared_answer.with_user(self.user_b).read(["value_display"])

    def test_answer_company_is_the_client_company(self):
        self.assertEqual(
            self._answer(self.client_a, self.q_shared).company_id, self.company_a
        )
        # A shared client's answer follows its question.
        self.assertFalse(self._answer(self.shared_client, self.q_shared).company_id)
        self.assertEqual(
            self._answer(self.shared_client, self.q_surface).company_id,
            self.company_a,
        )

    def test_answer_company_follows_the_client(self):
        answer = self._answer(self.client_a, self.q_shared)
        self.client_a.company_id = self.company_b
        self.assertEqual(answer.company_id, self.company_b)

    def test_report_hides_answers_of_another_company(self):
        Report = self.env["extrabat.question.answer.report"].with_user(self.user_b)
        rows = Report.search([("question_id", "=", self.q_shared.id)])
        self.assertEqual(rows.partner_id, self.shared_client)

    def test_shared_client_shows_only_the_user_company_answers(self):
        partner = self.shared_client.with_user(self.user_b)
        self.assertEqual(
            partner.extrabat_answer_ids.question_id,
            self.q_shared.with_user(self.user_b),
        )
        codes = [q["code"] for q in partner.extrabat_answers_data["questions"]]
        self.assertIn(self.q_shared.code, codes)
        self.assertNotIn(self.q_surface.code, codes)

    def test_questions_and_options_of_another_company_are_not_readable(self):
        Question = self.env["extrabat.question"].with_user(self.user_b)
        self.assertEqual(Question.search([]), self.q_shared.with_user(self.user_b))
        Option = self.env["extrabat.question.option"].with_user(self.user_b)
        self.assertEqual(Option.search([]).question_id, self.q_shared)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            self.q_surface.with_user(self.user_b).read(["name"])

    def test_clients_are_not_found_by_another_company_option(self):
        self.shared_client._extrabat_set_question_answers(
            {self.q_heating: self.heat_pump}
        )
        Partner = self.env["res.partner"].with_user(self.user_b)
        self.assertFalse(
            Partner.search([("extrabat_answer_option_id", "in", self.heat_pump.ids)])
        )
        self.assertEqual(
            Partner.search([("extrabat_answer_option_id", "in", self.dog.ids)]),
            self.shared_client,
        )

    # === WRITE ===
    def test_answer_of_another_company_client_cannot_be_changed(self):
        answer = self._answer(self.client_a, self.q_shared).with_user(self.user_b)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            answer.write({"option_ids": [Command.clear()]})
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            answer.unlink()
        self.assertEqual(
            self._answer(self.client_a, self.q_shared).option_ids, self.dog
        )

    def test_client_of_another_company_cannot_be_answered(self):
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            self.Answer.with_user(self.user_b).create(
                {
                    "partner_id": self.client_a.id,
                    "question_id": self.q_shared.id,
                    "value_boolean": True,
                }
            )

    def test_question_of_another_company_cannot_be_answered(self):
        # The shared client is the user's, the question is company A's.
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            self.Answer.with_user(self.user_b).create(
                {
                    "partner_id": self.shared_client.id,
                    "question_id": self.q_char.id,
                    "value_char": "Intrus",
                }
            )
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            self.shared_client.with_user(self.user_b)._extrabat_set_question_answers(
                {self.q_char.id: "Intrus"}
            )
        self.assertFalse(self._answer(self.shared_client, self.q_char))

    def test_answers_of_own_company_still_work(self):
        client_b = self._create_partner("Client B", company_id=self.company_b.id)
        client_b.with_user(self.user_b)._extrabat_set_question_answers(
            {self.q_shared.id: self.dog.id}
        )
        answer = self._answer(client_b, self.q_shared)
        self.assertEqual(answer.company_id, self.company_b)
        self.assertEqual(
            self.Answer.with_user(self.user_b).search(
                [("partner_id", "=", client_b.id)]
            ),
            answer,
        )
