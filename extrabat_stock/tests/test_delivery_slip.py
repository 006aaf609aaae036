"""The delivery slip shows the client code."""

from lxml import html

from odoo.tests import tagged

from .common import ExtrabatStockCommon


@tagged("post_install", "-at_install")
class TestDeliverySlip(ExtrabatStockCommon):
    def _client_code_on_slip(self, delivery):
        """Texts of the client code block of the printed delivery slip."""
        content, _type = (
            self.env["ir.actions.report"]
            .with_user(self.storekeeper)
            ._render_qweb_html("stock.report_deliveryslip", delivery.ids)
        )
        tree = html.fromstring(content)
        return [
            " ".join(node.text_content().split())
            for node in tree.xpath('//div[@name="div_client_code"]')
        ]

    def test_the_slip_of_a_validated_delivery_shows_the_new_code(self):
        partner = self._create_partner()
        delivery = self._deliver(partner, env=self.storekeeper.env)
        self.assertEqual(
            self._client_code_on_slip(delivery), [f"Client Code {partner.ref}"]
        )

    def test_the_slip_shows_the_code_of_the_contact_s_company(self):
        company = self._create_partner("SCI Les Tilleuls", is_company=True)
        site = self._create_partner("Chantier Tilleuls", parent_id=company.id)
        company.ref = "TILLEULS"
        delivery = self._create_delivery(site)
        self.assertEqual(self._client_code_on_slip(delivery), ["Client Code TILLEULS"])

    def test_no_code_no_block(self):
        partner = self._create_partner()
        delivery = self._create_delivery(partner)
        self.assertFalse(partner.ref)
        self.assertEqual(self._client_code_on_slip(delivery), [])
