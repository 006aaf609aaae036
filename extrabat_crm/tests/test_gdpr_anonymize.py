from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import QuestionsCommon


@tagged("post_install", "-at_install")
class TestGdprAnonymize(QuestionsCommon):
    """What the GDPR anonymisation erases, on the client and its contacts
    (the scheduled action itself is tested in ``test_gdpr_cron``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.prospect = cls._create_partner(
            "Jean Oublié",
            email="jean.oublie@example.com",
            phone="06 12 34 56 78",
            street="3 rue des Lilas",
            zip="69200",
            city="Vénissieux",
            comment="Chien méchant",
        )
        cls.contact = Partner.create(
            {
                "name": "Marie Oubliée",
                "parent_id": cls.prospect.id,
                "type": "other",
                "email": "marie@example.com",
                "phone": "07 98 76 54 32",
                "street": "12 avenue des Roses",
                "zip": "69003",
                "city": "Lyon",
                "function": "Propriétaire",
                "bank_ids": [
                    Command.create({"acc_number": "FR7612345678901234567890"})
                ],
            }
        )
        cls.scope = cls.prospect | cls.contact
        cls.prospect._extrabat_set_question_answers(
            {cls.q_char: "M. Garnier", cls.q_heating: cls.gas, cls.q_surface: 120}
        )
        cls.contact._extrabat_set_question_answers({cls.q_text: "Code 1234"})
        for partner in cls.scope:
            partner.message_post(body=f"Note sur {partner.name}")
            partner.activity_schedule(
                "mail.mail_activity_data_todo", summary=f"Rappeler {partner.name}"
            )
            cls.env["ir.attachment"].create(
                {
                    "name": "piece_identite.pdf",
                    "raw": b"%PDF personal",
                    "res_model": "res.partner",
                    "res_id": partner.id,
                }
            )
        # The contact follows a document of someone else.
        cls.other = cls._create_partner("Voisin")
        cls.other.message_subscribe(partner_ids=cls.contact.ids)
        cls.prospect.action_trash()

    def test_answers_to_complementary_questions_are_erased(self):
        self.prospect._extrabat_anonymize()
        answers = self.env["extrabat.question.answer"].search(
            [("partner_id", "in", self.scope.ids)]
        )
        self.assertFalse(answers)
        self.assertFalse(self.scope.extrabat_option_ids)

    def test_contacts_personal_fields_are_erased(self):
        self.prospect._extrabat_anonymize()
        for partner in self.scope:
            self.assertNotIn("Oubli", partner.name)
            for fname in ("email", "phone", "street", "zip", "city", "comment"):
                self.assertFalse(partner[fname], f"{partner.id} {fname}")
        self.assertFalse(self.contact.function)

    def test_contacts_bank_accounts_are_erased(self):
        self.prospect._extrabat_anonymize()
        banks = self.scope.with_context(active_test=False).bank_ids
        self.assertTrue(banks, "kept, archived")
        self.assertNotIn("1234567890", "".join(banks.mapped("acc_number")))

    def test_messages_activities_attachments_and_followers_are_erased(self):
        self.prospect._extrabat_anonymize()
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.scope.ids)]
            )
        )
        self.assertFalse(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.scope.ids)]
            )
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.scope.ids)]
            )
        )
        self.assertFalse(
            self.env["mail.followers"].search([("partner_id", "in", self.scope.ids)])
        )

    def test_records_stay_in_the_trash(self):
        self.prospect._extrabat_anonymize()
        self.assertTrue(self.scope.exists() == self.scope)
        self.assertTrue(self.prospect.is_trashed)
        self.assertTrue(self.prospect.gdpr_anonymized_date)

    # --- the lasting record of each anonymisation ---

    def test_each_anonymisation_leaves_a_lasting_record(self):
        log = self.prospect._extrabat_anonymize()
        self.assertEqual(log._name, "extrabat.gdpr.log")
        self.assertEqual(log.partner_ref, self.prospect.id)
        self.assertEqual(log.user_id, self.env.user)
        self.assertTrue(log.anonymized_date)
        self.assertFalse(log.cron_run, "not run by the scheduler")
        self.assertEqual(log.partner_count, 2)
        self.assertGreaterEqual(log.message_count, 2)
        self.assertEqual(log.attachment_count, 2)
        self.assertNotIn("Oubli", str(log.read()[0]), "no personal data in it")

    def test_salesperson_cannot_read_the_gdpr_records(self):
        log = self.prospect._extrabat_anonymize()
        self.assertEqual(
            log.with_user(self.manager).read(["partner_ref"])[0]["partner_ref"],
            self.prospect.id,
        )
        with self.assertRaises(AccessError):
            log.with_user(self.salesperson).read(["partner_ref"])

    def test_nobody_can_erase_or_alter_the_trace_of_an_anonymisation(self):
        log = self.prospect._extrabat_anonymize()
        for user in (self.salesperson, self.manager):
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
            with self.assertRaises(AccessError):
                log.with_user(user).write({"partner_ref": self.other.id})
            with self.assertRaises(AccessError):
                self.env["extrabat.gdpr.log"].with_user(user).create(
                    {"partner_ref": self.other.id, "anonymized_date": "2020-01-01"}
                )
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.sudo().write({"partner_ref": self.other.id})
        self.assertEqual(log.partner_ref, self.prospect.id)
