from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from extrabat_core.questions import ChoiceText

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestQuestionAnswers(QuestionsCommon):
    # === TYPED READ AND WRITE ===
    def test_every_type_is_stored_typed(self):
        self._answer_all(self.partner)
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_char.id], "M. Garnier")
        self.assertEqual(answers[self.q_text.id], "Clé chez le gardien")
        self.assertEqual(answers[self.q_heating.id], self.heat_pump)
        self.assertEqual(
            answers[self.q_origin.id], ChoiceText(self.fair, "Foire de Lyon")
        )
        self.assertIs(answers[self.q_pool.id], True)
        self.assertEqual(answers[self.q_equipment.id], self.radiators | self.floor)
        self.assertEqual(answers[self.q_visit.id], date(2024, 5, 1))
        self.assertEqual(answers[self.q_surface.id], 120.5)
        rows = self.partner.extrabat_answer_ids
        self.assertEqual(len(rows), 8)
        self.assertEqual(
            rows.filtered(lambda a: a.question_id == self.q_surface).value_number, 120.5
        )

    def test_answers_typed_by_a_person_are_parsed(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.partner.with_context(lang="fr_FR")._extrabat_set_question_answers(
            {
                self.q_surface.id: "1 200,5",
                self.q_visit.id: "31/12/2024",
                self.q_pool.id: "oui",
                self.q_equipment.id: [self.cooling.id],
                self.q_origin.id: {"option_id": self.website.id, "text": ""},
            }
        )
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_surface.id], 1200.5)
        self.assertEqual(answers[self.q_visit.id], date(2024, 12, 31))
        self.assertIs(answers[self.q_pool.id], True)
        self.assertEqual(answers[self.q_equipment.id], self.cooling)
        self.assertEqual(answers[self.q_origin.id], ChoiceText(self.website, ""))

    def test_no_is_an_answer_for_yes_no_questions(self):
        self.partner._extrabat_set_question_answers({self.q_pool: False})
        self.assertIs(self.partner._extrabat_question_answers()[self.q_pool.id], False)
        self.assertEqual(len(self.partner.extrabat_answer_ids), 1)

    def test_none_removes_an_answer(self):
        self._answer_all(self.partner)
        self.partner._extrabat_set_question_answers(
            {self.q_char: None, self.q_equipment: [], self.q_pool: None}
        )
        answers = self.partner._extrabat_question_answers()
        self.assertNotIn(self.q_char.id, answers)
        self.assertNotIn(self.q_equipment.id, answers)
        self.assertNotIn(self.q_pool.id, answers)
        self.assertEqual(len(self.partner.extrabat_answer_ids), 5)

    def test_changing_an_answer_updates_its_row(self):
        self.partner._extrabat_set_question_answers({self.q_heating: self.gas})
        row = self.partner.extrabat_answer_ids
        self.partner._extrabat_set_question_answers({self.q_heating: self.heat_pump})
        self.assertEqual(self.partner.extrabat_answer_ids, row)
        self.assertEqual(row.option_ids, self.heat_pump)

    def test_several_partners_at_once(self):
        other = self._create_partner("Martin")
        (self.partner | other)._extrabat_set_question_answers({self.q_pool: True})
        self.assertTrue(other._extrabat_question_answers()[self.q_pool.id])
        self.assertTrue(self.partner._extrabat_question_answers()[self.q_pool.id])

    # === REFUSED ANSWERS ===
    def test_bad_values_are_refused_with_a_clear_message(self):
        cases = [
            (self.q_surface, "beaucoup", "expects a number"),
            (self.q_visit, "demain", "expects a date"),
            (self.q_pool, "peut-être", "expects yes or no"),
            (self.q_char, 42, "expects a text"),
            (self.q_heating, [self.gas.id, self.oil.id], "single option"),
            (self.q_heating, self.radiators.id, r"no longer\) offered"),
        ]
        for question, value, message in cases:
            with (
                self.subTest(question=question.name),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self.partner._extrabat_set_question_answers({question: value})
        self.assertFalse(self.partner.extrabat_answer_ids)

    def test_unknown_question_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "do not exist"):
            self.partner._extrabat_set_question_answers({999999: "x"})

    def test_a_failing_value_writes_nothing(self):
        with self.assertRaises(ValidationError):
            self.partner._extrabat_set_question_answers(
                {self.q_char: "ok", self.q_surface: "pas un nombre"}
            )
        self.assertFalse(self.partner.extrabat_answer_ids)

    def test_answer_rows_check_their_options(self):
        with self.assertRaisesRegex(ValidationError, "another question"):
            self.env["extrabat.question.answer"].create(
                {
                    "partner_id": self.partner.id,
                    "question_id": self.q_heating.id,
                    "option_ids": [(6, 0, self.radiators.ids)],
                }
            )

    def test_one_answer_per_question(self):
        self.partner._extrabat_set_question_answers({self.q_char: "a"})
        with self.assertRaises(Exception), mute_logger("odoo.sql_db"):  # noqa: B017
            self.env["extrabat.question.answer"].create(
                {"partner_id": self.partner.id, "question_id": self.q_char.id}
            )
            self.env.flush_all()

    # === THE FORM'S WIDGET ===
    def test_form_payload(self):
        self._answer_all(self.partner)
        payload = self.partner.extrabat_answers_data
        self.assertEqual(
            [q["code"] for q in payload["questions"]],
            [
                "contact_sur_place",
                "acces_au_chantier",
                "type_de_chauffage",
                "origine_du_contact",
                "piscine",
                "equipements",
                "date_de_visite",
                "surface",
            ],
        )
        answers = payload["answers"]
        self.assertEqual(answers[str(self.q_visit.id)], "2024-05-01")
        self.assertEqual(
            answers[str(self.q_origin.id)],
            {"option_id": self.fair.id, "text": "Foire de Lyon"},
        )
        self.assertEqual(
            answers[str(self.q_equipment.id)], [self.radiators.id, self.floor.id]
        )

    def test_form_saves_only_the_changed_questions(self):
        self._answer_all(self.partner)
        payload = self.partner.extrabat_answers_data
        # Meanwhile, someone else changes another answer.
        self.partner._extrabat_set_question_answers({self.q_char: "Mme Roux"})
        payload["answers"][str(self.q_surface.id)] = "98.5"
        payload["dirty"] = [self.q_surface.id]
        self.partner.write({"extrabat_answers_data": payload})
        answers = self.partner._extrabat_question_answers()
        self.assertEqual(answers[self.q_surface.id], 98.5)
        self.assertEqual(answers[self.q_char.id], "Mme Roux")

    def test_form_creates_a_client_with_answers(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "Nouveau client",
                    "extrabat_answers_data": {
                        "answers": {str(self.q_heating.id): self.gas.id},
                        "dirty": [self.q_heating.id],
                    },
                }
            )
        )
        self.assertEqual(
            partner._extrabat_question_answers()[self.q_heating.id], self.gas
        )

    def test_home_answers(self):
        self._answer_all(self.partner)
        self.assertEqual(
            self.partner.extrabat_home_answers,
            [
                {"label": "Type de chauffage", "value": "Pompe à chaleur"},
                {"label": "Piscine", "value": "Yes"},
                {"label": "Surface", "value": "120.5\u00a0m²"},
            ],
        )

    def test_form_payload_costs_the_same_for_8_or_40_questions(self):
        self._answer_all(self.partner)
        partner = self.partner.with_user(self.salesperson)
        spec = {"extrabat_answers_data": {}, "extrabat_home_answers": {}}
        partner.web_read(spec)  # warm the access rights and rules caches
        counts = []
        for extra in (0, 32):
            for index in range(extra):
                self._create_question(f"Question {index}", "selection", options=["A"])
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            data = partner.web_read(spec)
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(
                len(data[0]["extrabat_answers_data"]["questions"]), 8 + extra
            )
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 10)

    # === ACCESS ===
    def test_salesperson_answers(self):
        self.partner.with_user(self.salesperson)._extrabat_set_question_answers(
            {self.q_heating: self.gas}
        )
        self.assertEqual(
            self.partner._extrabat_question_answers()[self.q_heating.id], self.gas
        )

    def test_who_cannot_edit_the_client_cannot_answer(self):
        reader = new_test_user(
            self.env, login="questions_reader", groups="base.group_user"
        )
        partner = self.partner.with_user(reader)
        self.assertTrue(partner.extrabat_answers_data["questions"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            partner._extrabat_set_question_answers({self.q_heating: self.gas})

    def test_question_of_another_company_cannot_be_answered_by_its_client(self):
        other = self.env["res.company"].create({"name": "Piscines du Sud"})
        partner = self._create_partner("Client A", company_id=self.company.id)
        question = self._create_question("Profondeur", "number", company_id=other.id)
        with self.assertRaisesRegex(ValidationError, "cannot answer"):
            partner._extrabat_set_question_answers({question: 2})

    def test_questions_of_other_companies_are_hidden(self):
        other = self.env["res.company"].create({"name": "Piscines du Sud"})
        self._create_question("Profondeur", "number", company_id=other.id)
        user = new_test_user(
            self.env,
            login="questions_company_a",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        payload = self.partner.with_user(user).extrabat_answers_data
        self.assertNotIn("profondeur", [q["code"] for q in payload["questions"]])
        self.assertEqual(len(payload["questions"]), 8)

    # === KEPT IN THE TRASH, COPIED ===
    def test_archived_client_keeps_its_answers(self):
        self._answer_all(self.partner)
        before = self.partner._extrabat_question_answers()
        self.partner.action_archive()
        self.assertEqual(self.partner._extrabat_question_answers(), before)
        self.partner.action_unarchive()
        self.assertEqual(self.partner._extrabat_question_answers(), before)

    def test_copied_client_copies_its_answers(self):
        self._answer_all(self.partner)
        copy = self.partner.copy()
        self.assertEqual(
            copy._extrabat_question_answers(), self.partner._extrabat_question_answers()
        )

    # === LETTERS ===
    def test_letter_texts_in_english(self):
        self._answer_all(self.partner)
        texts = self.partner.with_context(
            lang="en_US"
        )._extrabat_question_answer_texts()
        self.assertEqual(
            texts,
            {
                "contact_sur_place": "M. Garnier",
                "acces_au_chantier": "Clé chez le gardien",
                "type_de_chauffage": "Pompe à chaleur",
                "origine_du_contact": "Salon — Foire de Lyon",
                "piscine": "Yes",
                "equipements": "Radiateurs, Plancher chauffant",
                "date_de_visite": "05/01/2024",
                "surface": "120.5\u00a0m²",
            },
        )

    def test_letter_texts_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["extrabat_crm"], ["fr_FR"])
        self._answer_all(self.partner)
        self.partner._extrabat_set_question_answers({self.q_surface: 12500.5})
        texts = self.partner.with_context(
            lang="fr_FR"
        )._extrabat_question_answer_texts()
        self.assertEqual(texts["piscine"], "Oui")
        self.assertEqual(texts["date_de_visite"], "01/05/2024")
        self.assertEqual(texts["surface"], "12\u00a0500,5\u00a0m²")

    def test_letter_texts_of_unanswered_questions_are_empty(self):
        texts = self.partner._extrabat_question_answer_texts()
        self.assertEqual(set(texts.values()), {""})
        self.assertEqual(len(texts), 8)
