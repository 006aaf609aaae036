"""Test helpers shared by the Extrabat addons' tests."""

from datetime import date
from pathlib import Path

import polib
from lxml import etree

from odoo import Command
from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from extrabat_core.questions import ChoiceText


def untranslated_french_terms(env, module):
    """Terms of ``module`` that its ``i18n/fr.po`` does not translate.

    The terms are those Odoo itself exports for the module (models, fields,
    views, data, Python and JavaScript code): the same list as
    ``odoo i18n export`` on a database without demo data, the one the
    module's ``.pot`` comes from. The terms of the module's demo records
    (French already) are left out when the demo data is installed.

    :return: sorted list of the source terms missing a French translation
    """
    demo_xmlids = _demo_xmlids(env, module)
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {
        source
        for row_module, kind, _name, xmlid, source, *_rest in reader
        if row_module == module and not (kind == "model" and xmlid in demo_xmlids)
    }
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


def _demo_xmlids(env, module):
    """External ids of the records the demo XML files of ``module`` define,
    with those Odoo gives their ``_inherits`` parents (a product's
    template)."""
    module_path = Path(get_module_path(module))
    xmlids = set()
    for filename in get_manifest(module).get("demo", ()):
        if not filename.endswith(".xml"):
            continue
        for node in etree.parse(str(module_path / filename)).iter("record"):
            xmlid = node.get("id")
            xmlid = xmlid if "." in xmlid else f"{module}.{xmlid}"
            xmlids.add(xmlid)
            for parent in env[node.get("model")]._inherits:
                xmlids.add(f"{xmlid}_{parent.replace('.', '_')}")
    return xmlids


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

    # --- factories ---

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


class QuestionsCommon(TransactionCase):
    """Complementary questions: one question of each answer type, a client,
    a salesperson and an Extrabat manager, in a company of their own (the
    questions other companies of the database ask, e.g. the demo data's,
    are not the fixture's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Questions Chauffage"})
        # As BaseCommon does: the user's company, not the context's.
        cls.env.user.company_ids = [Command.set(cls.company.ids)]
        cls.env.user.company_id = cls.company
        assert cls.env.company == cls.company, "env.company read too early"
        cls.salesperson = new_test_user(
            cls.env,
            login="questions_salesperson",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.manager = new_test_user(
            cls.env,
            login="questions_manager",
            groups="extrabat_crm.extrabat_crm_group_manager,base.group_partner_manager",
        )
        cls.q_char = cls._create_question("Contact sur place", "char")
        cls.q_text = cls._create_question("Accès au chantier", "text")
        cls.q_heating = cls._create_question(
            "Type de chauffage",
            "selection",
            options=["Pompe à chaleur", "Chaudière gaz", "Chaudière fioul"],
            show_on_home=True,
        )
        cls.heat_pump, cls.gas, cls.oil = cls.q_heating.option_ids
        cls.q_origin = cls._create_question(
            "Origine du contact", "selection_text", options=["Salon", "Site internet"]
        )
        cls.fair, cls.website = cls.q_origin.option_ids
        cls.q_pool = cls._create_question("Piscine", "boolean", show_on_home=True)
        cls.q_equipment = cls._create_question(
            "Équipements", "multi", options=["Radiateurs", "Plancher chauffant", "Clim"]
        )
        cls.radiators, cls.floor, cls.cooling = cls.q_equipment.option_ids
        cls.q_visit = cls._create_question("Date de visite", "date")
        cls.q_surface = cls._create_question(
            "Surface", "number", unit="m²", show_on_home=True
        )
        # A client of the company: a shared one is asked every company's
        # questions (the ones the user cannot read left out).
        cls.partner = cls._create_partner("Dupont Chauffage", company_id=cls.company.id)

    @classmethod
    def _create_question(cls, name, answer_type, options=(), **values):
        return cls.env["extrabat.question"].create(
            {
                "name": name,
                "answer_type": answer_type,
                "option_ids": [
                    Command.create({"name": option, "sequence": index})
                    for index, option in enumerate(options)
                ],
                **values,
            }
        )

    @classmethod
    def _create_partner(cls, name, **values):
        return cls.env["res.partner"].create({"name": name, **values})

    def _answer_all(self, partner):
        """Answer every fixture question of ``partner``."""
        partner._extrabat_set_question_answers(
            {
                self.q_char: "M. Garnier",
                self.q_text: "Clé chez le gardien",
                self.q_heating: self.heat_pump,
                self.q_origin: ChoiceText(self.fair, "Foire de Lyon"),
                self.q_pool: True,
                self.q_equipment: self.radiators | self.floor,
                self.q_visit: date(2024, 5, 1),
                self.q_surface: 120.5,
            }
        )
