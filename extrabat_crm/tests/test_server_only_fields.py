"""Security audit (issue 13, point 3): the trash, merge and GDPR
bookkeeping of partners is set by the server only. A salesperson calling
``create``/``write``/``load`` over JSON-RPC (here: the ORM with the user's
environment, the same entry point) cannot forge it, e.g. backdate a trash
date to have a prospect anonymised."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ExtrabatCrmCommon

REFUSED = "kept by Extrabat itself"


@tagged("post_install", "-at_install")
class TestServerOnlyFields(ExtrabatCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prospect = cls._create_partner(
            "Jean Prospect", email="jean.prospect@example.com"
        )
        cls.contact = cls._create_partner("Marie Prospect", parent_id=cls.prospect.id)
        cls.long_ago = fields.Datetime.now() - relativedelta(months=40)

    def _as_salesman(self, partner):
        return partner.with_user(self.salesman)

    def test_salesperson_cannot_backdate_the_trash_date_into_the_gdpr_anonymisation(
        self,
    ):
        self._as_salesman(self.prospect).action_trash()
        trash_date = self.prospect.trash_date
        with self.assertRaisesRegex(AccessError, REFUSED):
            self._as_salesman(self.prospect).write({"trash_date": self.long_ago})
        self.assertEqual(self.prospect.trash_date, trash_date)
        candidates = self.env["res.partner"]._get_gdpr_candidates(36)
        self.assertNotIn(self.prospect, candidates)

    def test_salesperson_cannot_create_a_partner_trashed_long_ago(self):
        with self.assertRaisesRegex(AccessError, REFUSED):
            self.env["res.partner"].with_user(self.salesman).create(
                {
                    "name": "Vieux prospect",
                    "client_status_id": self.status_trash.id,
                    "trash_date": self.long_ago,
                }
            )

    def test_salesperson_cannot_slip_a_trash_date_in_as_a_default(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        with self.assertRaisesRegex(AccessError, REFUSED):
            Partner.with_context(default_trash_date=self.long_ago).create(
                {"name": "Vieux prospect", "client_status_id": self.status_trash.id}
            )

    def test_salesperson_cannot_slip_a_trash_date_in_as_a_saved_default(self):
        # any user may save defaults for themselves (ir.default over RPC);
        # create() adds them after its own checks
        IrDefault = self.env["ir.default"].with_user(self.salesman)
        IrDefault.set("res.partner", "trash_date", self.long_ago, user_id=True)
        IrDefault.set("res.partner", "client_since", self.long_ago, user_id=True)
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create(
                {"name": "Vieux prospect", "client_status_id": self.status_trash.id}
            )
        )
        self.assertNotEqual(partner.trash_date, self.long_ago)
        self.assertFalse(partner.client_since)
        self.assertNotIn(partner, self.env["res.partner"]._get_gdpr_candidates(36))

    def test_salesperson_cannot_erase_client_since_to_make_a_client_anonymisable(
        self,
    ):
        client = self._create_partner("Anne Cliente")
        self._create_order(client)
        self.assertTrue(client.client_since)
        with self.assertRaisesRegex(AccessError, REFUSED):
            self._as_salesman(client).write({"client_since": False})
        self.assertTrue(client.client_since)

    def test_salesperson_cannot_forge_the_status_before_the_trash(self):
        client = self._create_partner(
            "Paul Client", client_status_id=self.status_client.id
        )
        client.action_trash()
        with self.assertRaisesRegex(AccessError, REFUSED):
            self._as_salesman(client).write(
                {"trash_previous_status_id": self.status_prospect.id}
            )
        self.assertEqual(client.trash_previous_status_id, self.status_client)

    def test_salesperson_cannot_forge_any_trash_merge_or_gdpr_mark(self):
        self.prospect.action_trash()
        other = self._create_partner("Autre")
        forged = {
            "trash_user_id": self.salesman.id,
            "archived_by_trash": False,
            "gdpr_anonymized_date": self.long_ago,
            "extrabat_merged_into_id": other.id,
            "extrabat_merge_date": self.long_ago,
            "is_trashed": False,
        }
        for fname, value in forged.items():
            with self.subTest(field=fname):
                partner = (
                    self.contact if fname == "archived_by_trash" else self.prospect
                )
                with self.assertRaisesRegex(AccessError, REFUSED):
                    self._as_salesman(partner).write({fname: value})
                with self.assertRaisesRegex(AccessError, REFUSED):
                    self.env["res.partner"].with_user(self.salesman).create(
                        {"name": f"Forgé {fname}", fname: value or True}
                    )

    def test_salesperson_cannot_import_a_backdated_trash_date(self):
        self.prospect.action_trash()
        trash_date = self.prospect.trash_date
        Partner = self.env["res.partner"].with_user(self.salesman)
        stamp = fields.Datetime.to_string(self.long_ago)
        result = Partner.load([".id", "trash_date"], [[str(self.prospect.id), stamp]])
        self.assertFalse(result["ids"])
        self.assertIn(REFUSED, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self.prospect.trash_date, trash_date)
        result = Partner.load(["name", "trash_date"], [["Importé jadis", stamp]])
        self.assertFalse(result["ids"])
        self.assertFalse(
            Partner.with_context(active_test=False).search(
                [("name", "=", "Importé jadis")]
            )
        )

    def test_a_context_flag_from_a_client_does_not_unlock_the_bookkeeping(self):
        self.prospect.action_trash()
        partner = self._as_salesman(self.prospect).with_context(
            _extrabat_internal_write="INTERNAL_WRITE"
        )
        with self.assertRaisesRegex(AccessError, REFUSED):
            partner.write({"trash_date": self.long_ago})

    # --- what still works ---

    def test_saving_the_values_unchanged_is_accepted(self):
        """A form or an import sending back what it read changes nothing."""
        self.prospect.action_trash()
        partner = self._as_salesman(self.prospect)
        partner.write(
            {
                "trash_date": fields.Datetime.to_string(self.prospect.trash_date),
                "trash_previous_status_id": self.status_prospect.id,
                "client_since": False,
            }
        )
        self.assertTrue(self.prospect.is_trashed)

    def test_contacts_receive_their_client_history(self):
        client = self._create_partner("Cliente SARL", is_company=True)
        self._as_salesman(client).write({"client_status_id": self.status_client.id})
        self.assertTrue(client.client_since)
        contact = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "Comptable", "parent_id": client.id})
        )
        self.assertEqual(contact.client_since, client.client_since)

    def test_the_server_writes_the_bookkeeping(self):
        self.prospect.action_trash()
        self.prospect._internal_write({"trash_date": self.long_ago})
        self.assertEqual(self.prospect.trash_date, self.long_ago.replace(microsecond=0))
