"""Client codes compare as people read them (issue 13, point 7): a code is
normalised (NFKC, upper case, no spaces nor invisible characters, A-Z 0-9
``- _ . /``) before it is stored, by every path, and the codes stored before
are normalised by the migration, conflicts reported, no code lost."""

import importlib.util
from pathlib import Path

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ExtrabatCrmCommon

LOOKALIKES = {
    "lower case": "c00902",
    "zero-width space": "C\u200b00902",
    "space inside": "C 00902",
    "full width": "\uff2300902",
    "full width digits": "\uff23\uff10\uff10\uff19\uff10\uff12",
    "soft hyphen": "C\u00ad00902",
}


@tagged("post_install", "-at_install")
class TestClientCodeNormalization(ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.holder = cls._create_partner("Dupont SARL", ref="C00902")
        cls.Partner = cls.env["res.partner"].with_user(cls.salesman)

    def test_lookalike_code_cannot_duplicate_a_client_code(self):
        for label, lookalike in LOOKALIKES.items():
            with (
                self.subTest(label),
                self.assertRaisesRegex(ValidationError, "C00902.*Dupont SARL"),
            ):
                self.Partner.create({"name": "Durand", "ref": lookalike})

    def test_lookalike_code_cannot_be_written_over_another_client(self):
        partner = self.Partner.create({"name": "Durand"})
        for label, lookalike in LOOKALIKES.items():
            with (
                self.subTest(label),
                self.assertRaisesRegex(ValidationError, "Dupont SARL"),
            ):
                partner.write({"ref": lookalike})
        self.assertFalse(partner.ref)

    def test_lookalike_code_is_stored_as_people_read_it(self):
        partner = self.Partner.create(
            {"name": "Durand", "ref": " \uff43 00903\u200b\u2060"}
        )
        self.assertEqual(partner.ref, "C00903")
        partner.write({"ref": "c-durand_1.2/3"})
        self.assertEqual(partner.ref, "C-DURAND_1.2/3")

    def test_code_with_foreign_characters_is_refused_naming_them(self):
        # Accented letters, Cyrillic look-alikes of C and O, symbols.
        for typed, named in (
            ("C\u00e900904", "\u00c9"),
            ("\u0421\u041e0904", "\u0421"),
            ("C#0904", "#"),
        ):
            with self.subTest(typed), self.assertRaisesRegex(ValidationError, named):
                self.Partner.create({"name": "Durand", "ref": typed})

    def test_import_cannot_bring_lookalike_codes(self):
        result = self.Partner.load(["name", "ref"], [["Martin", "C\u200b00902"]])
        messages = [m["message"] for m in result["messages"]]
        self.assertFalse(result["ids"])
        self.assertTrue(any("Dupont SARL" in m for m in messages), messages)
        result = self.Partner.load(["name", "ref"], [["Durand", "c 00905"]])
        self.assertEqual(self.Partner.browse(result["ids"]).ref, "C00905")

    def test_contacts_show_the_normalised_code(self):
        company = self.Partner.create({"name": "Martin SA", "is_company": True})
        contact = self.Partner.create({"name": "Luc", "parent_id": company.id})
        company.ref = "c 00906"
        self.assertEqual(contact.ref, "C00906")

    def test_generated_codes_are_normalised_whatever_the_prefix_setting(self):
        self.company.write({"client_code_prefix": "c", "client_code_mode": "name"})
        partner = self._create_partner("Durand")
        partner._assign_client_code(self.company)
        self.assertEqual(partner.ref, "CDURAN")


@tagged("post_install", "-at_install")
class TestClientCodeNormalizationMigration(ExtrabatCrmCommon):
    """The codes stored before 19.0.1.1.0 (typed, imported, written by SQL)."""

    def _store_raw(self, partner, ref):
        """Write ``ref`` as an older version of the addon could have."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE res_partner SET ref = %s WHERE id = %s", ref, partner.id)
        )
        partner.invalidate_recordset(["ref"])

    def _run_migration(self):
        path = Path(get_module_path("extrabat_crm")) / "migrations"
        (script,) = path.glob("19.0.*/post-migrate.py")
        spec = importlib.util.spec_from_file_location("extrabat_post_migrate", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

    def _notes(self, partner):
        return " ".join(partner.message_ids.mapped("body"))

    def test_migration_normalises_lookalike_codes_and_reports_collisions(self):
        alone = self._create_partner("Seul SARL", is_company=True)
        contact = self._create_partner("Luc", parent_id=alone.id)
        typed = self._create_partner("Durand", ref="C00912")
        lookalike = self._create_partner("Martin")
        pair = self._create_partner("Petit"), self._create_partner("Grand")
        foreign = self._create_partner("Moreau")
        self._store_raw(alone, "c 00911")
        self._store_raw(contact, "c 00911")
        self._store_raw(lookalike, "c00912")
        self._store_raw(pair[0], "\uff23\uff10\uff10913")
        self._store_raw(pair[1], "c00913")
        self._store_raw(foreign, "C\u00e90914")
        with self.assertLogs("odoo.addons.extrabat_crm", "WARNING") as logs:
            self._run_migration()
        # Normalised, contacts included.
        self.assertEqual(alone.ref, "C00911")
        self.assertEqual(contact.ref, "C00911")
        # Never a code lost: the colliding ones are kept as they were.
        self.assertEqual(typed.ref, "C00912")
        self.assertEqual(lookalike.ref, "c00912")
        self.assertEqual(pair[0].ref, "\uff23\uff10\uff10913")
        self.assertEqual(pair[1].ref, "c00913")
        self.assertEqual(foreign.ref, "C\u00e90914")
        # Reported: the log, and a note in the chatter of each client.
        log = "\n".join(logs.output)
        for partner in (typed, lookalike, *pair, foreign):
            self.assertIn(f"#{partner.id}", log)
        self.assertIn("Martin", self._notes(typed))
        self.assertIn("Durand", self._notes(lookalike))
        self.assertIn("Grand", self._notes(pair[0]))
        self.assertIn("Petit", self._notes(pair[1]))
        self.assertIn("characters", self._notes(foreign))
        self.assertNotIn("unchanged", self._notes(alone))

    def test_migration_of_clean_codes_reports_nothing(self):
        partner = self._create_partner("Durand", ref="C00915")
        with mute_logger("odoo.addons.extrabat_crm.models.res_partner_client_code"):
            result = self.env["res.partner"]._normalize_existing_client_codes()
        self.assertEqual(partner.ref, "C00915")
        self.assertNotIn(partner.id, result["normalized"])
        self.assertFalse([c for c in result["conflicts"] if partner.id in c[1]])
