from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError


class ExtrabatClientStatus(models.Model):
    """A client status (statut client): Prospect, Client, Corbeille...

    The status lives on the commercial partner and is shown on its contacts.
    Three flags give a status its meaning; everything else is the admins'
    vocabulary ("Ancien client", "En cours de chantier"...):

    - ``is_trash``: the trash (Corbeille). Exactly one status has it; it
      cannot be deleted nor archived. Putting a partner in it archives the
      partner and its contacts (see ``res.partner.action_trash``).
    - ``is_client``: the status a partner takes by itself at its first
      confirmed order or customer invoice. At most one status has it.
    - ``is_prospect``: partners in such a status become clients by themselves;
      the first one (by sequence) is given to new partners.
    """

    _name = "extrabat.client.status"
    _description = "Client Status"
    _order = "sequence, id"

    # === FIELDS ===

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    is_trash = fields.Boolean(
        string="Trash",
        readonly=True,
        help="The trash (Corbeille): partners in this status are archived "
        "with their contacts and can be restored.",
    )
    is_client = fields.Boolean(
        string="Client",
        help="The status a partner takes by itself at its first confirmed "
        "order or customer invoice.",
    )
    is_prospect = fields.Boolean(
        string="Prospect",
        help="Partners in a prospect status become clients by themselves at "
        "their first confirmed order or customer invoice. The first prospect "
        "status is given to new partners.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    partner_count = fields.Integer(string="Partners", compute="_compute_partner_count")

    # === CONSTRAINTS ===

    _unique_trash = models.UniqueIndex(
        "(is_trash) WHERE is_trash", "There can be only one trash status."
    )

    # === COMPUTE ===

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]
            .with_context(active_test=False)
            ._read_group(
                [("client_status_id", "in", self.ids)],
                ["client_status_id"],
                ["__count"],
            )
        )
        for status in self:
            status.partner_count = counts.get(status, 0)

    @api.constrains("is_trash", "is_client", "is_prospect")
    def _check_flags(self):
        for status in self:
            if status.is_trash and (status.is_client or status.is_prospect):
                raise ValidationError(
                    self.env._(
                        "The trash status “%(name)s” cannot also be a client "
                        "or a prospect status.",
                        name=status.name,
                    )
                )
            if (
                status.is_client
                and self.with_context(active_test=False).search_count(
                    [("is_client", "=", True)]
                )
                > 1
            ):
                raise ValidationError(
                    self.env._(
                        "Only one status can be the one partners take when "
                        "they become clients."
                    )
                )
            if status.is_client and status.is_prospect:
                raise ValidationError(
                    self.env._(
                        "The status “%(name)s” cannot be both the client "
                        "status and a prospect status.",
                        name=status.name,
                    )
                )

    # === CRUD ===

    @api.model_create_multi
    def create(self, vals_list):
        statuses = super().create(vals_list)
        self.env.registry.clear_cache()
        return statuses

    def write(self, vals):
        if vals.get("active") is False and self.filtered("is_trash"):
            raise UserError(
                self.env._(
                    "The trash status cannot be archived: partners are put "
                    "in the trash instead of being deleted."
                )
            )
        res = super().write(vals)
        if {"active", "is_prospect", "is_client", "is_trash", "sequence"} & set(vals):
            self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_trash_or_used(self):
        if self.filtered("is_trash"):
            raise UserError(
                self.env._(
                    "The trash status cannot be deleted: partners are put in "
                    "the trash instead of being deleted."
                )
            )
        used = self.filtered("partner_count")
        if used:
            raise UserError(
                self.env._(
                    "The status “%(name)s” is given to %(count)s partner(s): "
                    "archive it instead of deleting it.",
                    name=used[0].name,
                    count=used[0].partner_count,
                )
            )

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # === BUSINESS ===

    @api.model
    @tools.ormcache()
    def _get_flagged_status_ids(self):
        """Ids of the statuses with a meaning, cached until a status changes.

        :return: dict with keys ``trash``, ``client`` (ids or False) and
            ``default`` (the status of new partners: the first active prospect
            status, else the first active status that is not the trash)
        """
        statuses = self.sudo().search([("active", "=", True)])
        trash = statuses.filtered("is_trash")[:1]
        client = statuses.filtered("is_client")[:1]
        default = statuses.filtered("is_prospect")[:1] or (statuses - trash)[:1]
        return {"trash": trash.id, "client": client.id, "default": default.id}

    @api.model
    def _get_trash_status(self):
        status = self.browse(self._get_flagged_status_ids()["trash"])
        if not status:
            raise UserError(
                self.env._(
                    "The trash status is missing: update the Extrabat CRM "
                    "module to create it again."
                )
            )
        return status

    @api.model
    def _get_client_status(self):
        return self.browse(self._get_flagged_status_ids()["client"])

    @api.model
    def _get_default_status(self):
        return self.browse(self._get_flagged_status_ids()["default"])

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.res_partner_action_client_status"
        )
        action["domain"] = [("client_status_id", "=", self.id)]
        action["context"] = {"active_test": not self.is_trash}
        action["display_name"] = self.display_name
        return action
