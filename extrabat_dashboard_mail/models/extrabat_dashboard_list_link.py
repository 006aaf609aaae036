import json

from markupsafe import Markup

from odoo import api, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import consteq
from odoo.tools.safe_eval import safe_eval

LIST_LINK_SCOPE = "extrabat_dashboard_mail-list-link"


class ExtrabatDashboardListLink(models.AbstractModel):
    """The links of the dashboard mail to the lists behind its figures:
    signed by the server when it writes the mail, opened by the web client
    action ``extrabat_dashboard_list`` with the clicking user's rights."""

    _name = "extrabat.dashboard.list.link"
    _description = "Dashboard list link"

    @api.model
    def _get_list_actions(self):
        """The window actions a link of the mail may open (XML ids), and
        nothing else. Override to add the actions your elements link to
        (call ``super()`` and add to the set).

        :return: set of XML ids of ``ir.actions.act_window``
        """
        return {
            "account.action_account_payments",
            "account.action_move_out_invoice_type",
            "calendar.action_calendar_event",
            "contacts.action_contacts",
            "mail.mail_activity_action",
            "sale.action_orders",
            "sale.action_quotations",
        }

    @api.model
    def _sign_list_link(self, action_xmlid, domain, name):
        """Signature (HMAC with the database secret) of a link of the mail:
        only the exact action, domain (its JSON text) and title the server
        wrote into the mail open a list.

        :param domain: the domain as the JSON text of the link
        :return: str, to put in the link as ``list_sig``
        """
        return "v1." + tools.hmac(
            self.env(su=True), LIST_LINK_SCOPE, (action_xmlid, domain, name or "")
        )

    @api.model
    def get_list_action(self, action_xmlid, domain, name, signature=None):
        """The window action opened by a link of the mail (called by the web
        client action ``extrabat_dashboard_list``): ``action_xmlid``
        restricted to ``domain`` (JSON), titled ``name``, list view first.

        Reachable by RPC with any arguments: it opens only the actions of
        :meth:`_get_list_actions`, and only with a domain and a title the
        server signed when it wrote the mail (``signature``, see
        :meth:`_sign_list_link`) — no other model, action or domain. It runs
        with the clicking user's rights: the list shows what they may see,
        whatever the link says.

        :raises UserError: on a link that is not one of ours (action not
            allowed, missing or wrong signature, unreadable domain)
        """
        error = self.env._(
            "This dashboard link is damaged or out of date. Open the list "
            "from the menu instead."
        )
        if (
            not isinstance(action_xmlid, str)
            or not isinstance(domain, str)
            or action_xmlid not in self._get_list_actions()
            or not isinstance(signature, str)
            or not consteq(self._sign_list_link(action_xmlid, domain, name), signature)
        ):
            raise UserError(error)
        try:
            action = self.env.ref(action_xmlid)
            parsed = json.loads(domain)
            Domain(parsed)  # validates the domain's shape
        except (ValueError, TypeError):
            raise UserError(error) from None
        if action._name != "ir.actions.act_window":
            raise UserError(error)
        if not isinstance(parsed, list):
            raise UserError(error)
        result = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        result.update(
            {
                "domain": parsed,
                "name": name or result.get("name"),
                "display_name": name or result.get("display_name"),
                "context": self._list_action_context(result.get("context")),
                "target": "current",
                "help": self._list_action_help(),
                # Real documents only: no sample records (in the sample
                # model's currency) behind the empty list.
                "useSampleModel": False,
            }
        )
        views = result.get("views") or []
        result["views"] = sorted(views, key=lambda view: view[1] != "list")
        return result

    @api.model
    def _list_action_help(self):
        """The empty list's message (HTML; the web client renders it as
        such): the figure's documents changed since the mail was written,
        or the user may not see them. Override to change it."""
        return Markup('<p class="o_view_nocontent_empty_folder">%s</p><p>%s</p>') % (
            self.env._("Nothing to show any more"),
            self.env._(
                "The documents behind this figure of the dashboard have "
                "changed since the email was sent, or you are not allowed to "
                "see them."
            ),
        )

    @api.model
    def _list_action_context(self, context):
        """The action's context without its default filters and groupings
        (the link's domain alone decides what the list shows)."""
        try:
            values = safe_eval(
                context or "{}",
                {
                    "uid": self.env.uid,
                    "user": self.env.user,
                    "context": dict(self.env.context),
                    "allowed_company_ids": self.env.companies.ids,
                    "active_id": False,
                    "active_ids": [],
                    "active_model": False,
                },
            )
        except ValueError:  # safe_eval's error: an unreadable context is dropped
            return {}
        if not isinstance(values, dict):
            return {}
        return {
            key: value
            for key, value in values.items()
            if not key.startswith("search_default_") and key != "group_by"
        }
