from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionConfig(QuestionsCommon):
    # === CODES ===
    def test_code_is_derived_from_the_question(self):
        self.assertEqual(self.q_heating.code, "type_de_chauffage")
        self.assertEqual(self.q_equipment.code, "equipements")

    def test_code_is_unique_per_company(self):
        twin = self._create_question("Type de chauffage", "char")
        self.assertEqual(twin.code, "type_de_chauffage_2")

    def test_code_of_another_company_may_repeat(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        question = self._create_question(
            "Type de chauffage", "char", company_id=other.id
        )
        self.assertEqual(question.code, "type_de_chauffage")

    def test_code_stays_when_the_question_is_renamed(self):
        self.q_heating.name = "Chauffage principal"
        self.assertEqual(self.q_heating.code, "type_de_chauffage")

    def test_invalid_code_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.q_heating.code = "Type de chauffage"

    def test_code_of_a_shared_question_cannot_repeat_a_company_code(self):
        with self.assertRaisesRegex(ValidationError, "already used"):
            self._create_question(
                "Chauffage", "char", code="type_de_chauffage", company_id=False
            )

    def test_duplicate_code_in_one_company_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "already used"):
            self._create_question("Autre", "char", code="type_de_chauffage")

    def test_copy_gets_a_new_code(self):
        copy = self.q_heating.copy()
        self.assertEqual(copy.code, "type_de_chauffage_copy")
        self.assertEqual(len(copy.option_ids), 3)

    def test_form_proposes_the_code_while_typing(self):
        with Form(self.env["extrabat.question"].with_user(self.manager)) as form:
            form.name = "Année de construction"
            self.assertEqual(form.code, "annee_de_construction")
            form.answer_type = "number"

    # === TYPE CHANGES ===
    def test_type_change_is_refused_once_answered(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.gas})
        with self.assertRaisesRegex(UserError, "cannot become"):
            self.q_heating.answer_type = "number"

    def test_safe_type_change_keeps_the_answers(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.gas})
        self.q_heating.answer_type = "multi"
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_heating.id], self.gas)

    def test_type_change_without_answers_is_free(self):
        self.q_char.answer_type = "number"
        self.assertEqual(self.q_char.answer_type, "number")

    # === DELETION AND ARCHIVING ===
    def test_answered_question_cannot_be_deleted(self):
        self.partner._extrabat_set_question_answers({self.q_char: "x"})
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            self.q_char.unlink()

    def test_unanswered_question_can_be_deleted(self):
        self.q_char.unlink()
        self.assertFalse(self.q_char.exists())

    def test_chosen_option_cannot_be_deleted(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.oil})
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            self.oil.unlink()

    def test_chosen_option_cannot_move_to_another_question(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.oil})
        with self.assertRaisesRegex(UserError, "cannot move"):
            self.oil.question_id = self.q_equipment

    def test_unchosen_option_can_be_deleted(self):
        self.cooling.unlink()
        self.assertEqual(self.q_equipment.option_ids, self.radiators | self.floor)

    def test_archived_option_keeps_past_answers(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.oil})
        self.oil.active = False
        self.assertEqual(
            self.partner._extrabat_question_answers()[self.q_heating.id], self.oil
        )
        question = self._payload_question(self.partner, self.q_heating)
        self.assertEqual(
            question["options"][-1],
            {"id": self.oil.id, "name": "Chaudière fioul", "active": False},
        )
        self.assertEqual(question["display"], "Chaudière fioul")
        # Saving the form again with the archived option is fine.
        self.partner._extrabat_set_question_answers({self.q_heating: self.oil.id})

    def test_archived_option_is_offered_only_where_chosen(self):
        self.oil.active = False
        question = self._payload_question(self.partner, self.q_heating)
        self.assertNotIn(self.oil.id, [option["id"] for option in question["options"]])
        with self.assertRaisesRegex(ValidationError, "no longer"):
            self.partner._extrabat_set_question_answers({self.q_heating: self.oil})

    def test_options_follow_their_order(self):
        self.gas.sequence = -1
        question = self._payload_question(self.partner, self.q_heating)
        self.assertEqual(
            [option["id"] for option in question["options"]],
            [self.gas.id, self.heat_pump.id, self.oil.id],
        )

    def test_archived_question_leaves_the_form_and_keeps_its_answers(self):
        self.partner._extrabat_set_question_answers({self.q_char: "M. Garnier"})
        self.q_char.active = False
        self.partner.invalidate_recordset()
        codes = [q["code"] for q in self.partner.extrabat_answers_data["questions"]]
        self.assertNotIn(self.q_char.code, codes)
        self.assertEqual(
            self.partner._extrabat_question_answers()[self.q_char.id], "M. Garnier"
        )

    # === ACCESS ===
    def test_salesperson_cannot_define_questions(self):
        Question = self.env["extrabat.question"].with_user(self.salesperson)
        self.assertTrue(Question.search([]))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Question.create({"name": "Budget", "answer_type": "number"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.q_heating.with_user(self.salesperson).name = "Chauffage"

    def test_manager_defines_questions(self):
        question = (
            self.env["extrabat.question"]
            .with_user(self.manager)
            .create({"name": "Budget", "answer_type": "number"})
        )
        self.assertEqual(question.code, "budget")

    def test_menu_for_managers_only(self):
        menu = self.env.ref("extrabat_crm.extrabat_question_menu")
        visible = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.salesperson)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)

    # === SEARCH VIEW ===
    def test_search_view_lists_the_questions(self):
        arch = self.env["res.partner"].get_view(view_type="search")["arch"]
        self.assertIn('string="Type de chauffage"', arch)
        self.assertIn('string="Piscine: Yes"', arch)
        # Numbers and dates are filtered through custom filters instead.
        self.assertNotIn('string="Surface"', arch)

    def test_search_view_follows_question_changes(self):
        self.env["res.partner"].get_view(view_type="search")
        self.q_heating.name = "Énergie de chauffage"
        arch = self.env["res.partner"].get_view(view_type="search")["arch"]
        self.assertIn('string="Énergie de chauffage"', arch)

    def _payload_question(self, partner, question):
        partner.invalidate_recordset()
        return next(
            q
            for q in partner.extrabat_answers_data["questions"]
            if q["id"] == question.id
        )
