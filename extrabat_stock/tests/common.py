"""Fixtures and factories of extrabat_stock's tests."""

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.extrabat_crm.tests.common import ExtrabatCrmCommon


def create_delivery(env, partner, product, company=None, **vals):
    """A delivery note of ``company``'s first warehouse (default: the
    environment's company) for two ``product``, in draft."""
    company = company or env.company
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    return (
        env["stock.picking"]
        .with_company(company)
        .create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": partner.id,
                "move_ids": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
                **vals,
            }
        )
    )


def validate(picking):
    """Validate ``picking`` as the *Validate* button does, everything
    delivered."""
    picking.action_confirm()
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
    picking.move_ids.picked = True
    result = picking.button_validate()
    assert picking.state == "done", result
    return picking


class ExtrabatStockCommon(ExtrabatCrmCommon):
    """extrabat_crm's French company (client codes on, ``C`` + 5 digits), a
    storekeeper who validates deliveries and a consumable product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.storekeeper = new_test_user(
            cls.env,
            login="extrabat_storekeeper",
            name="Marc Magasinier",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.goods = cls.env["product.product"].create(
            {"name": "Radiateur acier", "type": "consu", "list_price": 250.0}
        )

    def _next_number(self, company=None):
        """The sequence's next number, read afresh (it is computed from the
        PostgreSQL sequence: a cached value would hide a number drawn)."""
        sequence = (company or self.company).client_code_sequence_id
        sequence.invalidate_recordset(["number_next_actual"])
        return sequence.number_next_actual

    @classmethod
    def _create_delivery(cls, partner, env=None, **vals):
        env = env or cls.env
        return create_delivery(
            env, partner, cls.goods.with_env(env), company=cls.company, **vals
        )

    @classmethod
    def _deliver(cls, partner, env=None, **vals):
        """A delivery note for ``partner``, validated (as ``env``'s user)."""
        return validate(cls._create_delivery(partner, env=env, **vals))
