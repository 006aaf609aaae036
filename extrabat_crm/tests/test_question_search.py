from unittest.mock import patch

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionSearch(QuestionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.martin = cls._create_partner("Martin")
        cls.durand = cls._create_partner("Durand")
        cls.partner._extrabat_set_question_answers(
            {
                cls.q_heating: cls.heat_pump,
                cls.q_pool: True,
                cls.q_surface: 150,
                cls.q_equipment: cls.radiators | cls.floor,
                cls.q_char: "Gardien au rez-de-chaussée",
            }
        )
        cls.martin._extrabat_set_question_answers(
            {
                cls.q_heating: cls.gas,
                cls.q_pool: False,
                cls.q_surface: 80,
                cls.q_origin: {"option_id": cls.fair.id, "text": "Pompe expo"},
            }
        )
        cls.clients = cls.partner | cls.martin | cls.durand

    def _search(self, domain):
        Partner = self.env["res.partner"].with_user(self.salesperson)
        return Partner.search([("id", "in", self.clients.ids), *domain])

    def test_search_by_chosen_option(self):
        """What the search bar does when an option is picked under "Answer"."""
        found = self._search([("extrabat_answer_option_id", "=", self.heat_pump.id)])
        self.assertEqual(found, self.partner)

    def test_search_by_an_option_chosen_by_many_clients(self):
        """Past a number of clients the filter is a sub-query, not ids."""
        Partner = type(self.env["res.partner"])
        domain = [("extrabat_answer_option_id", "=", self.heat_pump.id)]
        with patch.object(Partner, "_extrabat_choice_ids_limit", 0):
            self.assertEqual(self._search(domain), self.partner)
            self.assertIn(
                "extrabat_partner_option_rel",
                str(self.env["res.partner"]._search(domain).select()),
            )

    def test_search_by_one_of_several_checked_boxes(self):
        found = self._search([("extrabat_answer_option_id", "in", self.floor.ids)])
        self.assertEqual(found, self.partner)

    def test_search_by_option_name(self):
        found = self._search([("extrabat_answer_option_id", "ilike", "chaudière")])
        self.assertEqual(found, self.martin)

    def test_search_without_any_chosen_option(self):
        found = self._search([("extrabat_answer_option_id", "=", False)])
        self.assertEqual(found, self.durand)

    def test_search_excluding_an_option(self):
        found = self._search([("extrabat_answer_option_id", "!=", self.heat_pump.id)])
        self.assertEqual(found, self.martin | self.durand)

    def test_search_answers_by_text(self):
        found = self._search([("extrabat_answer_search", "ilike", "gardien")])
        self.assertEqual(found, self.partner)
        found = self._search([("extrabat_answer_search", "ilike", "pompe")])
        self.assertEqual(found, self.partner | self.martin)

    def test_search_view_field_of_a_question(self):
        """The "Type de chauffage" entry of the search bar only looks at
        that question: "pompe" in another question's text does not match."""
        domain = self._search_view_domain("field", "Type de chauffage", self_="pompe")
        self.assertEqual(self._search(domain), self.partner)

    def test_search_view_yes_no_filters(self):
        self.assertEqual(
            self._search(self._search_view_domain("filter", "Piscine: Yes")),
            self.partner,
        )
        self.assertEqual(
            self._search(self._search_view_domain("filter", "Piscine: No")), self.martin
        )

    def test_custom_filter_on_a_number(self):
        """The domain the custom filter editor builds: Answers matches
        (Question = Surface and Number > 100)."""
        domain = [
            (
                "extrabat_answer_ids",
                "any",
                [("question_id", "=", self.q_surface.id), ("value_number", ">", 100)],
            )
        ]
        self.assertEqual(self._search(domain), self.partner)

    def test_answered_questions_filter(self):
        domain = self._search_view_domain("filter", "Answered questions")
        self.assertEqual(self._search(domain), self.partner | self.martin)

    def test_option_full_name_in_the_search_bar(self):
        Option = self.env["extrabat.question.option"]
        field = self.env["res.partner"]._fields["extrabat_answer_option_id"]
        names = dict(
            Option.with_context(**field.context).name_search(
                "pompe", [("id", "=", self.heat_pump.id)]
            )
        )
        self.assertEqual(names[self.heat_pump.id], "Type de chauffage: Pompe à chaleur")
        self.assertEqual(self.heat_pump.display_name, "Pompe à chaleur")

    def _search_view_domain(self, tag, string, self_=None):
        arch = etree.fromstring(
            self.env["res.partner"]
            .with_user(self.salesperson)
            .get_view(view_type="search")["arch"]
        )
        (node,) = arch.xpath(f"//{tag}[@string=$string]", string=string)
        if tag == "field":
            return safe_eval(
                node.get("filter_domain"), {"self": self_, "raw_value": self_}
            )
        return safe_eval(node.get("domain"))
