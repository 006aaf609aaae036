from odoo.tests import tagged

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionReport(QuestionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.martin = cls._create_partner("Martin")
        cls.durand = cls._create_partner("Durand")
        cls._answer_all(cls, cls.partner)
        cls.martin._extrabat_set_question_answers(
            {
                cls.q_heating: cls.heat_pump,
                cls.q_equipment: cls.floor,
                cls.q_pool: False,
                cls.q_surface: 79.5,
            }
        )
        cls.durand._extrabat_set_question_answers({cls.q_heating: cls.gas})
        cls.Report = cls.env["extrabat.question.answer.report"]

    def _counts(self, question, groupby, domain=()):
        groups = self.Report.with_user(self.salesperson)._read_group(
            [("question_id", "=", question.id), *domain],
            [groupby],
            ["partner_id:count_distinct"],
        )
        return {key: count for key, count in groups}

    def test_clients_by_option(self):
        self.assertEqual(
            self._counts(self.q_heating, "option_id"), {self.heat_pump: 2, self.gas: 1}
        )

    def test_each_ticked_box_counts(self):
        self.assertEqual(
            self._counts(self.q_equipment, "option_id"),
            {self.radiators: 1, self.floor: 2},
        )

    def test_yes_no_answers(self):
        self.assertEqual(self._counts(self.q_pool, "yes_no"), {"yes": 1, "no": 1})

    def test_average_of_numbers(self):
        [[average]] = self.Report._read_group(
            [("question_id", "=", self.q_surface.id)], [], ["value_number:avg"]
        )
        self.assertEqual(average, 100.0)

    def test_trashed_clients_leave_the_report(self):
        self.durand.action_archive()
        self.assertEqual(self._counts(self.q_heating, "option_id"), {self.heat_pump: 2})
        with_trash = self.Report.with_context(active_test=False)._read_group(
            [("question_id", "=", self.q_heating.id)], ["option_id"], ["__count"]
        )
        self.assertEqual(dict(with_trash)[self.gas], 1)

    def test_pivot_and_graph_views_load(self):
        for view_type in ("pivot", "graph", "list", "search"):
            self.assertTrue(self.Report.get_view(view_type=view_type)["arch"])
