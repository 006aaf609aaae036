"""Fixtures and factories of the dashboard by email's tests."""

from contextlib import contextmanager

from freezegun import freeze_time
from lxml import html

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.tests.common import TransactionCase, new_test_user

from odoo.addons.mail.tests.common import MockEmail

SALESMAN_GROUPS = "base.group_user,sales_team.group_sale_salesman"
MANAGER_GROUPS = (
    "base.group_user,sales_team.group_sale_salesman_all_leads,"
    "account.group_account_invoice"
)


class DashboardMailCommon(TransactionCase, MockEmail):
    """Two salespeople of a French company, in French, in Paris time; sale
    orders and subscriptions made by small factories. Only SMTP is mocked
    (``mock_mail_gateway``); the cron runs in its own test cursor, whose
    commits and rollbacks are real (savepoints of the test transaction)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["extrabat_dashboard_mail"], ["fr_FR"], overwrite=True
        )
        cls.company = cls.env.company
        euro = cls.env.ref("base.EUR")
        euro.active = True
        cls.company.write(
            {
                "currency_id": euro.id,
                "name": "Martin Chauffage",
                "email": "contact@martin-chauffage.example.com",
                "primary_color": "#0b5394",
                "secondary_color": "#f1c232",
            }
        )
        cls.Subscription = cls.env["extrabat.dashboard.subscription"]
        cls.Element = cls.env["extrabat.dashboard.element"]
        cls.Element._sync_catalogue()
        cls.user_alice = cls._create_user("alice", "Alice Martin")
        cls.user_bob = cls._create_user("bob", "Bob Lefèvre")
        cls.partner_client = cls.env["res.partner"].create(
            {"name": "Famille Dupont", "email": "dupont@example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Entretien chaudière", "type": "service", "list_price": 100.0}
        )

    # --- factories ---

    @classmethod
    def _create_user(
        cls, login, name, groups=SALESMAN_GROUPS, companies=None, **values
    ):
        companies = companies or cls.company
        return new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=groups,
            email=f"{login}@martin-chauffage.example.com",
            company_id=companies[0].id,
            company_ids=[Command.set(companies.ids)],
            lang=values.pop("lang", "fr_FR"),
            tz=values.pop("tz", "Europe/Paris"),
            **values,
        )

    @classmethod
    def _create_subscription(cls, user, elements=("quotes_sent",), **values):
        """A subscription of ``user`` ticking the element ``elements`` (keys),
        its first due date computed at the current (frozen) time."""
        subscription = cls.Subscription.create(
            {
                "user_id": user.id,
                "company_id": user.company_id.id,
                "element_ids": [
                    Command.set(cls.Element.search([("key", "in", list(elements))]).ids)
                ],
                **values,
            }
        )
        subscription.flush_recordset()
        return subscription

    @classmethod
    def _create_order(
        cls, user, amount, sent_at=None, confirmed_at=None, company=None, partner=None
    ):
        """A quote of ``user`` for ``amount`` (untaxed), marked as sent at
        ``sent_at`` and confirmed at ``confirmed_at`` (UTC) when given."""
        company = company or user.company_id
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or cls.partner_client).id,
                    "user_id": user.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if sent_at:
            with freeze_time(sent_at):
                order.action_quotation_sent()
                order.flush_recordset()
        if confirmed_at:
            with freeze_time(confirmed_at):
                order.action_confirm()
                order.flush_recordset()
        return order

    @classmethod
    def _create_invoice(
        cls,
        user,
        amount,
        invoice_date,
        company=None,
        partner=None,
        move_type="out_invoice",
    ):
        """A posted customer invoice (or credit note) of ``user``."""
        company = company or user.company_id
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or cls.partner_client).id,
                    "invoice_date": invoice_date,
                    "invoice_user_id": user.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Installation pompe à chaleur",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    # --- running ---

    def _run_cron(self):
        """Run the daily scheduled action as the cron does: in a cursor of
        its own whose commits are real (savepoints of the test transaction).

        :return: the number of dashboards queued
        """
        with self.enter_registry_test_mode(), self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["extrabat.dashboard.subscription"]._cron_send_due_dashboards()

    @contextmanager
    def _at(self, moment):
        """Frozen time (UTC) for the code under test."""
        with freeze_time(moment):
            yield

    def _mails_to(self, user):
        """Dashboards queued for ``user`` (read in the test's environment)."""
        return self.env["mail.mail"].search(
            [("email_to", "ilike", user.email), ("subject", "ilike", "·")]
        )

    @staticmethod
    def _tree(body):
        return html.fromstring(str(body))

    def _block(self, tree, key):
        """The block of element ``key`` in a rendered dashboard, or None."""
        found = tree.xpath(f'//td[@data-element="{key}"]')
        return found[0] if found else None

    @staticmethod
    def _texts(node, css_class):
        """Stripped texts of the descendants of ``node`` with ``css_class``."""
        return [
            " ".join(el.text_content().split())
            for el in node.xpath(
                f'.//*[contains(concat(" ", @class, " "), " {css_class} ")]'
            )
        ]

    def _render(self, subscription, today):
        """(subject, lxml tree) of the dashboard of the latest complete
        period at ``today`` (a date), as the cron would send it."""
        period = subscription._get_schedule().latest_complete_period(
            fields.Date.to_date(today)
        )
        subject, body = subscription._render_dashboard(
            period, fields.Date.to_date(today)
        )
        return subject, self._tree(body)
