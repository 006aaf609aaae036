from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestMergeTour(HttpCase):
    """Contacts list › select two clients › Actions › Merge: the record to
    keep, the preview, the values to keep, merge; the dialog closes and the
    list is refreshed."""

    tour = "extrabat_crm_merge_tour"

    def test_merge_from_the_contact_list(self):
        Partner = self.env["res.partner"]
        kept = Partner.create(
            {
                "name": "Tour Martin",
                "ref": "C77001",
                "phone": "+33 6 11 11 11 11",
                "street": "1 rue des Lilas",
                "city": "Lyon",
            }
        )
        # the duplicate made with Contacts › New: a company
        other = Partner.create(
            {
                "name": "Tour Martin (doublon)",
                "ref": "C77002",
                "is_company": True,
                "phone": "+33 6 22 22 22 22",
                "street": "8 avenue Foch",
                "city": "Lyon",
            }
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "Plan.pdf", "res_model": "res.partner", "res_id": other.id}
        )
        self.start_tour(
            "/odoo/contacts?view_type=list", self.tour, login="admin", timeout=120
        )
        self.assertEqual(other.extrabat_merged_into_id, kept)
        self.assertTrue(other.is_trashed)
        self.assertEqual(kept.ref, "C77001")
        self.assertEqual(attachment.res_id, kept.id)
        self.assertFalse(kept.is_company, "still a person: not chosen")
        self.assertEqual(kept.phone, "+33 6 22 22 22 22", "chosen in the tour")
        self.assertEqual(kept.street, "1 rue des Lilas")
        log = "".join(kept.message_ids.mapped("body"))
        for text in ("+33 6 11 11 11 11", "8 avenue Foch", "Company"):
            self.assertIn(text, log)
        self.assertNotIn(
            "contact_address_inline",
            kept.message_ids.tracking_value_ids.field_id.mapped("name"),
        )


@tagged("post_install", "-at_install")
class TestMergeMobileTour(TestMergeTour):
    """The same on a phone (390×844, touch: a long press selects a row)."""

    allow_inherited_tests_method = True
    browser_size = "390x844"
    touch_enabled = True
    tour = "extrabat_crm_merge_mobile_tour"


@tagged("post_install", "-at_install")
class TestMergeChoicesOverRpc(HttpCase):
    """The values to keep are user input: a salesperson sending crafted
    choices over JSON-RPC cannot write a server-only field or take a value
    from a record that is not merged."""

    def setUp(self):
        super().setUp()
        self.user = new_test_user(
            self.env,
            login="merge_rpc_salesman",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        Partner = self.env["res.partner"]
        self.kept = Partner.create({"name": "Rpc Martin", "phone": "0611111111"})
        self.other = Partner.create(
            {"name": "Rpc Martin", "phone": "0622222222", "is_company": True}
        )
        self.outsider = Partner.create({"name": "Rpc Autre", "phone": "0699999999"})
        self.authenticate("merge_rpc_salesman", "merge_rpc_salesman")

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _merge(self, choices):
        wizard_id = self._call(
            "base.partner.merge.automatic.wizard",
            "create",
            [
                {
                    "dst_partner_id": self.kept.id,
                    "extrabat_merge_choices": choices,
                }
            ],
            {
                "context": {
                    "active_model": "res.partner",
                    "active_ids": [self.kept.id, self.other.id],
                }
            },
        )
        return self._call(
            "base.partner.merge.automatic.wizard", "action_merge", [wizard_id]
        )

    def test_crafted_choices_are_refused(self):
        for choices in (
            {"trash_date": str(self.other.id)},
            {"gdpr_anonymized_date": str(self.other.id)},
            {"client_since": str(self.other.id)},
            {"ref": str(self.other.id)},
            {"phone": str(self.outsider.id)},
            {"is_company": "all"},
        ):
            with (
                self.assertRaises(JsonRpcException, msg=choices),
                mute_logger("odoo.http"),
            ):
                self._merge(choices)
        self.env.invalidate_all()
        self.assertFalse(self.other.extrabat_merged_into_id)
        self.assertFalse(self.kept.trash_date or self.kept.is_company)
        self.assertEqual(self.kept.phone, "0611111111")

    def test_a_real_choice_is_kept(self):
        self._merge({"phone": str(self.other.id)})
        self.env.invalidate_all()
        self.assertEqual(self.other.extrabat_merged_into_id, self.kept)
        self.assertEqual(self.kept.phone, "0622222222")
        self.assertFalse(self.kept.is_company)
