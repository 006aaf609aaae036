from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import ExtrabatCrmCommon


@tagged("post_install", "-at_install")
class TestClientCodeFormats(ExtrabatCrmCommon):
    """Shapes of the codes, collisions, uniqueness, companies."""

    def _use_name_format(self, company=None, prefix="411", width=5):
        (company or self.company).write(
            {
                "client_code_mode": "name",
                "client_code_prefix": prefix,
                "client_code_width": width,
            }
        )

    def _code_of(self, name, **vals):
        partner = self._create_partner(name, **vals)
        partner._assign_client_code(self.company)
        return partner.ref

    def test_sequential_codes_follow_prefix_and_width(self):
        self.company.write({"client_code_prefix": "411", "client_code_width": 3})
        number = self._next_number()
        self.assertEqual(self._code_of("Dupont"), f"411{number:03d}")

    def _start_sequence_where_free(self, count):
        """Restart the client code sequence at a number from which ``count``
        codes are free: other clients of the database (the demo data's, the
        shared ones) may hold the first ones."""
        taken = set(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("ref", "=like", "C%")])
            .mapped("ref")
        )
        number = self._next_number()
        while any(f"C{n:05d}" in taken for n in range(number, number + count)):
            number += 1
        sequence = self.company.client_code_sequence_id
        sequence.number_next = number
        sequence.invalidate_recordset(["number_next_actual"])
        self.assertEqual(self._next_number(), number)
        return number

    def test_sequential_codes_skip_numbers_typed_by_hand(self):
        number = self._start_sequence_where_free(3)
        self._create_partner("Ancien client", ref=f"C{number:05d}")
        self._create_partner("Autre ancien", ref=f"C{number + 1:05d}")
        self.assertEqual(self._code_of("Dupont"), f"C{number + 2:05d}")

    def test_name_codes_count_on_collision(self):
        self._use_name_format()
        self.assertEqual(self._code_of("Dupont"), "411DUPON")
        self.assertEqual(self._code_of("Dupond"), "411DUPON1")
        self.assertEqual(self._code_of("DUPONT Jean"), "411DUPON2")

    def test_name_codes_fold_accents_and_spaces(self):
        self._use_name_format(width=8)
        self.assertEqual(self._code_of("Hélène Éluard"), "411HELENEEL")
        self.assertEqual(self._code_of("Hélène  Eluard"), "411HELENEEL1")

    def test_accented_names_collide_with_plain_ones(self):
        self._use_name_format()
        self.assertEqual(self._code_of("Ébéniste Müller"), "411EBENI")
        self.assertEqual(self._code_of("Ebeniste Muller"), "411EBENI1")

    def test_very_short_name(self):
        self._use_name_format()
        self.assertEqual(self._code_of("Li"), "411LI")
        self.assertEqual(self._code_of("LI"), "411LI1")

    def test_name_without_letters_falls_back(self):
        self._use_name_format()
        self.assertEqual(self._code_of("***"), "411XXXXX")
        self.assertEqual(self._code_of("李小龍"), "411XXXXX1")

    def test_name_codes_skip_a_trashed_holder(self):
        self._use_name_format()
        holder = self._create_partner("Dupont", ref="411DUPON")
        holder.action_trash()
        self.assertEqual(self._code_of("Dupont"), "411DUPON1")

    def test_a_typed_code_is_stripped(self):
        partner = self._create_partner(ref="  C-MANUEL  ")
        self.assertEqual(partner.ref, "C-MANUEL")
        partner.ref = "   "
        self.assertFalse(partner.ref)

    def test_typing_a_code_in_use_names_its_holder(self):
        self._create_partner("Dupont SARL", ref="C00777")
        with self.assertRaisesRegex(ValidationError, "C00777.*Dupont SARL"):
            self._create_partner("Durand", ref="C00777")

    def test_the_error_says_when_the_holder_is_in_the_trash(self):
        holder = self._create_partner("Dupont SARL", ref="C00778")
        holder.action_trash()
        partner = self._create_partner("Durand")
        with self.assertRaises(ValidationError) as error:
            partner.ref = "C00778"
        self.assertIn("Dupont SARL", str(error.exception))
        self.assertIn("trash", str(error.exception))

    def test_the_form_refuses_a_code_in_use(self):
        self._create_partner("Dupont SARL", ref="C00779")
        form = Form(self.env["res.partner"].with_user(self.salesman))
        form.name = "Durand"
        form.ref = "C00779"
        with self.assertRaisesRegex(ValidationError, "Dupont SARL"):
            form.save()

    def test_the_database_refuses_a_duplicate_code(self):
        """The unique index holds even without the ORM's check."""
        first = self._create_partner("Dupont", ref="C00780")
        second = self._create_partner("Durand", ref="C00781")
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET ref = %s WHERE id = %s",
                    first.ref,
                    second.id,
                )
            )

    def test_contacts_share_their_company_code(self):
        company = self._create_partner("Martin SARL", is_company=True, ref="C00782")
        contact = self._create_partner("Luc", parent_id=company.id)
        self.assertEqual(contact.ref, "C00782")

    def test_duplicating_a_partner_does_not_copy_its_code(self):
        partner = self._create_partner("Dupont", ref="C00783")
        self._create_order(partner)
        copy = partner.copy()
        self.assertFalse(copy.ref)
        self.assertEqual(copy.client_status_id, self.status_prospect)
        self.assertFalse(copy.client_since)

    def test_a_contact_detached_from_its_company_drops_the_company_code(self):
        company = self._create_partner("Martin SARL", is_company=True, ref="C00784")
        self._create_order(company)
        contact = self._create_partner("Luc", parent_id=company.id)
        contact.parent_id = False
        self.assertFalse(contact.ref)
        self.assertEqual(contact.client_status_id, self.status_prospect)
        self.assertFalse(contact.client_since)
        self.assertEqual(company.ref, "C00784")

    def _legacy_ref(self, partner, ref):
        """A reference stored before the addon (as it was typed)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE res_partner SET ref = %s WHERE id = %s", ref, partner.id)
        )
        partner.invalidate_recordset(["ref"])
        self.assertEqual(partner.ref, ref)

    def test_a_detached_contact_s_own_reference_becomes_a_normalised_code(self):
        company = self._create_partner("Martin SARL", is_company=True, ref="C00785")
        self._create_order(company)
        contact = self._create_partner("Luc", parent_id=company.id)
        self._legacy_ref(contact, " ab 12")  # from a previous software
        contact.parent_id = False
        self.assertEqual(contact.ref, "AB12")
        self.assertEqual(company.ref, "C00785")

    def test_a_detached_contact_s_reference_held_by_a_client_goes_to_a_note(self):
        self._create_partner("Durand", ref="AB13")
        company = self._create_partner("Martin SARL", is_company=True, ref="C00786")
        contact = self._create_partner("Luc", parent_id=company.id)
        self._legacy_ref(contact, "ab 13")
        contact.parent_id = False
        self.assertFalse(contact.ref)
        notes = contact.message_ids.mapped("body")
        self.assertTrue(any("ab 13" in body and "Durand" in body for body in notes))
        unusable = self._create_partner("Paul", parent_id=company.id)
        self._legacy_ref(unusable, "n° 7")
        unusable.parent_id = False
        self.assertFalse(unusable.ref)
        self.assertIn("n° 7", unusable.message_ids[0].body)

    def test_bad_format_settings_are_refused_in_french_terms(self):
        with self.assertRaisesRegex(ValidationError, "prefix"), self.env.cr.savepoint():
            self.company.client_code_prefix = "41 1"
        with self.assertRaisesRegex(ValidationError, "width"), self.env.cr.savepoint():
            self.company.client_code_width = 0

    def test_settings_preview_the_next_code(self):
        settings = self.env["res.config.settings"].create({})
        number = self._next_number()
        self.assertEqual(settings.client_code_preview, f"C{number:05d}")
        settings.client_code_mode = "name"
        settings.client_code_prefix = "411"
        self.assertTrue(settings.client_code_preview.startswith("411DUPON"))

    def test_settings_set_the_next_number(self):
        settings = self.env["res.config.settings"].create({})
        settings.client_code_next_number = 1234
        settings.execute()
        self.assertEqual(self._code_of("Dupont"), "C01234")


@tagged("post_install", "-at_install")
class TestClientCodeCompanies(ExtrabatCrmCommon):
    """Two companies: their own settings, sequence and uniqueness."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Piscines du Rhône")["company"]
        cls.company_b.write({"client_code_prefix": "411", "client_code_mode": "name"})
        cls.salesman_b = new_test_user(
            cls.env,
            login="extrabat_salesman_b",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    def test_each_company_has_its_own_sequence(self):
        self.assertTrue(self.company_b.client_code_sequence_id)
        self.assertNotEqual(
            self.company.client_code_sequence_id, self.company_b.client_code_sequence_id
        )
        self.assertEqual(
            self.company_b.client_code_sequence_id.company_id, self.company_b
        )

    def test_each_company_uses_its_own_format(self):
        partner_a = self._create_partner("Dupont", company_id=self.company.id)
        partner_b = self._create_partner("Dupont", company_id=self.company_b.id)
        partner_a._assign_client_code(self.company)
        partner_b._assign_client_code(self.company_b)
        self.assertTrue(partner_a.ref.startswith("C0"))
        self.assertEqual(partner_b.ref, "411DUPON")

    def test_the_same_code_may_exist_in_two_companies(self):
        self._create_partner("Dupont", company_id=self.company.id, ref="411DUPON")
        other = self._create_partner("Dupont", company_id=self.company_b.id)
        other._assign_client_code(self.company_b)
        self.assertEqual(other.ref, "411DUPON")

    def test_a_shared_partner_code_is_unique_everywhere(self):
        self._create_partner("Dupont", company_id=False, ref="411DUPON")
        with self.assertRaisesRegex(ValidationError, "411DUPON"):
            self._create_partner("Dupond", company_id=self.company_b.id, ref="411DUPON")
        partner_b = self._create_partner("Dupond", company_id=self.company_b.id)
        partner_b._assign_client_code(self.company_b)
        self.assertEqual(partner_b.ref, "411DUPON1")

    def test_an_order_of_the_second_company_uses_its_settings(self):
        partner = self._create_partner("Lefèvre", company_id=self.company_b.id)
        order = (
            self.env["sale.order"]
            .with_user(self.salesman_b)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_b.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(partner.ref, "411LEFEV")
        self.assertEqual(partner.client_status_id, self.status_client)
