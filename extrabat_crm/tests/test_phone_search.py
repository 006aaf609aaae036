from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

TYPED = "06 12 45 78 90"


@tagged("post_install", "-at_install")
class TestPhoneSearch(TransactionCase):
    """A number typed as people say it finds the client whatever format it
    was saved in, in Contacts and in the trash."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="phone_sales",
            groups="base.group_user,base.group_partner_manager",
        )
        Partner = cls.env["res.partner"]
        cls.international = Partner.create(
            {"name": "Phone International", "phone": "+33 6 12 45 78 90"}
        )
        cls.double_zero = Partner.create(
            {"name": "Phone Double Zero", "phone": "0033612457890"}
        )
        cls.other = Partner.create(
            {"name": "Phone Other", "phone": "+33 6 99 45 78 90"}
        )

    def _filter_domain(self, view_xmlid, field_name, typed):
        """The domain the search view builds for ``typed`` in ``field_name``."""
        arch = self.env["res.partner"].get_views(
            [(self.env.ref(view_xmlid).id, "search")]
        )["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//field[@name='{field_name}']")[0]
        if not node.get("filter_domain"):
            return [(field_name, "ilike", typed)]
        return safe_eval(node.get("filter_domain"), {"self": typed})

    def test_a_number_typed_with_spaces_finds_the_international_format(self):
        found = (
            self.env["res.partner"]
            .with_user(self.user)
            .search([("extrabat_phone_search", "ilike", TYPED)])
        )
        self.assertEqual(found, self.international | self.double_zero)

    def test_a_partial_number_finds_the_client(self):
        found = self.env["res.partner"].search(
            [("extrabat_phone_search", "ilike", "06 12 45")]
        )
        self.assertEqual(found, self.international | self.double_zero)

    def test_a_name_is_not_a_phone_number(self):
        self.assertFalse(
            self.env["res.partner"].search(
                [("extrabat_phone_search", "ilike", "Phone International")]
            )
        )

    def test_a_client_code_is_not_searched_as_a_phone_number(self):
        self.other.phone = "04 72 00 42 42"
        self.assertFalse(
            self.env["res.partner"].search(
                [("extrabat_phone_search", "ilike", "C0042")]
            )
        )

    def test_the_key_follows_the_number(self):
        self.other.phone = "06.12.45.78.90"
        self.assertEqual(self.other.extrabat_phone_key, "612457890")
        self.other.phone = False
        self.assertFalse(self.other.extrabat_phone_key)

    def test_the_key_is_indexed(self):
        field = self.env["res.partner"]._fields["extrabat_phone_key"]
        self.assertTrue(field.store)
        self.assertEqual(field.index, "trigram")

    def test_contacts_search_bar_finds_the_number_typed_as_said(self):
        Partner = self.env["res.partner"].with_user(self.user)
        # "phone_mobile_search": Odoo's Phone Number field (phone_validation)
        for field_name in ("name", "phone_mobile_search"):
            with self.subTest(field=field_name):
                domain = self._filter_domain(
                    "base.view_res_partner_filter", field_name, TYPED
                )
                self.assertEqual(
                    Partner.search(domain), self.international | self.double_zero
                )

    def test_the_trash_search_finds_the_number_typed_as_said(self):
        self.international.action_trash()
        trash = self.env.ref("extrabat_crm.res_partner_action_trash")
        Partner = (
            self.env["res.partner"]
            .with_user(self.user)
            .with_context(**safe_eval(trash.context))
        )
        for field_name in ("name", "phone"):
            with self.subTest(field=field_name):
                domain = self._filter_domain(
                    "extrabat_crm.res_partner_view_search_trash", field_name, TYPED
                )
                found = Partner.search(safe_eval(trash.domain) + domain)
                self.assertEqual(found, self.international)
