from odoo import models


class ExtrabatDashboardElement(models.Model):
    """Dashboard elements about prospects and clients (Contacts, extrabat_crm)."""

    # One file per application, as Odoo splits big models by concern.
    _inherit = "extrabat.dashboard.element"  # pylint: disable=consider-merging-classes-inherited

    def _partner_scope_domain(self, run):
        """A salesperson who only sees their own documents counts their own
        contacts (the contacts they are the salesperson of)."""
        if run.user.has_group("sales_team.group_sale_salesman_all_leads"):
            return []
        return [("user_id", "=", run.user.id)]

    def _get_block_new_partners(self, run):
        """Prospects created and clients won (became clients, see
        extrabat_crm's ``client_since``) over the period. Clients and
        prospects are commercial partners (a company's contacts share its
        status and are not counted again)."""
        Partner = self.env["res.partner"]
        scope = [("parent_id", "=", False)] + self._partner_scope_domain(run)
        prospects = (
            scope
            + [("client_status_id.is_prospect", "=", True)]
            + run.datetime_domain("create_date")
        )
        clients = scope + run.datetime_domain("client_since")
        prospect_count = Partner.search_count(prospects)
        client_count = Partner.search_count(clients)
        title_prospects = self.env._("New prospects")
        title_clients = self.env._("New clients")
        return self._make_block(
            figures=[
                {
                    "label": title_prospects,
                    "value": run.number(prospect_count),
                    "url": run.list_url(
                        "contacts.action_contacts", prospects, title_prospects
                    ),
                },
                {
                    "label": title_clients,
                    "value": run.number(client_count),
                    "url": run.list_url(
                        "contacts.action_contacts", clients, title_clients
                    ),
                },
            ],
        )
