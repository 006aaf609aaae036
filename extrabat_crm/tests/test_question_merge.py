from odoo.tests import tagged

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionMerge(QuestionsCommon):
    def _merge(self, kept, other):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=(kept | other).ids)
            .create({})
        )
        wizard.dst_partner_id = kept
        wizard.action_merge()

    def test_answers_survive_odoo_merge_wizard(self):
        other = self._create_partner(
            "Dupont Chauffage (doublon)", company_id=self.company.id
        )
        self.partner._extrabat_set_question_answers(
            {self.q_heating: self.heat_pump, self.q_surface: 120}
        )
        other._extrabat_set_question_answers(
            {
                self.q_heating: self.gas,  # conflict: the kept answer wins
                self.q_surface: 120,  # same answer
                self.q_pool: True,  # only the other one answered
                self.q_equipment: self.floor,
            }
        )
        self._merge(self.partner, other)
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_heating.id], self.heat_pump)
        self.assertEqual(answers[self.q_surface.id], 120)
        self.assertIs(answers[self.q_pool.id], True)
        self.assertEqual(answers[self.q_equipment.id], self.floor)
        bodies = "".join(self.partner.message_ids.mapped("body"))
        self.assertIn("Type de chauffage", bodies)
        self.assertIn("Chaudière gaz", bodies)

    def test_merge_helper_reports_conflicts(self):
        other = self._create_partner("Doublon", company_id=self.company.id)
        self.partner._extrabat_set_question_answers({self.q_char: "A"})
        other._extrabat_set_question_answers({self.q_char: "B", self.q_text: "C"})
        conflicts = self.partner._extrabat_merge_question_answers(other)
        self.assertEqual(
            [
                (c["question"], c["partner"], c["kept"], c["discarded"])
                for c in conflicts
            ],
            [(self.q_char, other, "A", "B")],
        )
        self.assertEqual(self.partner._extrabat_question_answers()[self.q_text.id], "C")
        # The discarded answer is in the chatter, not on any partner.
        self.assertFalse(other.extrabat_answer_ids)
        self.assertIn("B", self.partner.message_ids[:1].body)

    def test_searches_follow_the_merge(self):
        other = self._create_partner("Doublon", company_id=self.company.id)
        self.partner._extrabat_set_question_answers({self.q_heating: self.heat_pump})
        other._extrabat_set_question_answers(
            {self.q_heating: self.gas, self.q_equipment: self.floor}
        )
        self._merge(self.partner, other)
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([("extrabat_answer_option_id", "=", self.floor.id)]),
            self.partner,
        )
        self.assertFalse(
            Partner.search([("extrabat_answer_option_id", "=", self.gas.id)])
        )
        self.assertEqual(self.partner.extrabat_option_ids, self.heat_pump | self.floor)
