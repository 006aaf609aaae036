"""Test helpers shared by the Extrabat addons' tests."""

from pathlib import Path

import polib

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def untranslated_french_terms(env, module):
    """Terms of ``module`` that its ``i18n/fr.po`` does not translate.

    The terms are those Odoo itself exports for the module (models, fields,
    views, data, Python and JavaScript code): the same list as
    ``odoo i18n export``.

    :return: sorted list of the source terms missing a French translation
    """
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {row[4] for row in reader if row[0] == module}
    po_path = Path(get_module_path(module)) / "i18n" / "fr.po"
    translated = set()
    if po_path.exists():
        translated = {
            entry.msgid
            for entry in polib.pofile(str(po_path))
            if entry.msgstr.strip()
            and not entry.obsolete
            and "fuzzy" not in entry.flags
        }
    return sorted(sources - translated)


class ExtrabatCrmCommon(AccountTestInvoicingCommon):
    """A French company with its chart of accounts, client codes on
    (``C`` + 5 digits), a salesperson, a product and factories."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "client_code_auto": True,
                "client_code_prefix": "C",
                "client_code_mode": "sequence",
                "client_code_width": 5,
            }
        )
        Status = cls.env["extrabat.client.status"].sudo()
        cls.status_prospect = cls.env.ref("extrabat_crm.client_status_prospect")
        cls.status_client = cls.env.ref("extrabat_crm.client_status_client")
        cls.status_trash = cls.env.ref("extrabat_crm.client_status_trash")
        cls.status_works = Status.create(
            {"name": "En cours de chantier", "sequence": 30}
        )
        cls.salesman = new_test_user(
            cls.env,
            login="extrabat_salesman",
            name="Sophie Commerciale",
            groups="sales_team.group_sale_salesman,base.group_partner_manager,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.product = cls.product_a

    @classmethod
    def get_default_groups(cls):
        # The test user (accountman) sells too.
        return (
            super().get_default_groups()
            | cls.quick_ref("sales_team.group_sale_manager")
            | cls.quick_ref("base.group_partner_manager")
            | cls.quick_ref("extrabat_crm.extrabat_crm_group_manager")
        )

    # --- factories -------------------------------------------------------

    @classmethod
    def _create_partner(cls, name="Dupont", **vals):
        return cls.env["res.partner"].create({"name": name, **vals})

    @classmethod
    def _create_quote(cls, partner, env=None, **vals):
        env = env or cls.env
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
                **vals,
            }
        )

    @classmethod
    def _create_order(cls, partner, env=None, **vals):
        order = cls._create_quote(partner, env=env, **vals)
        order.action_confirm()
        return order

    @classmethod
    def _create_invoice(cls, partner, move_type="out_invoice", post=False, **kwargs):
        return cls.init_invoice(
            move_type,
            partner=partner,
            invoice_date="2026-01-15",
            amounts=[100.0],
            post=post,
            **kwargs,
        )

    def _next_number(self, company=None):
        company = company or self.company
        return company.client_code_sequence_id.number_next_actual
