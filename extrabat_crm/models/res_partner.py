"""Partners as Extrabat users know them: the client status, the trash
(Corbeille) instead of deletion and the server-only bookkeeping. create()
and write() orchestrate; the other concerns live beside this file:
``res_partner_client_code.py``, ``res_partner_gdpr.py``,
``res_partner_merge.py`` (and ``res_partner_questions.py``,
``res_partner_phone.py``)."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from extrabat_core.server_only import ServerOnlyValue

#: Context key that lets server-side code delete partners. Its value must be
#: :data:`PARTNER_UNLINK_ALLOWED`, a Python object that no JSON-RPC/XML-RPC
#: request can carry: a user can never delete a partner, even with a crafted
#: context. Prefer :meth:`ResPartner._unlink_bypassing_trash`.
PARTNER_UNLINK_CONTEXT_KEY = "extrabat_partner_unlink"
PARTNER_UNLINK_ALLOWED = ServerOnlyValue("PARTNER_UNLINK_ALLOWED")

#: Context key of a running merge (see the merge wizard): its value, a
#: :class:`MergeInto` (which no RPC call can send), turns the deletion of the
#: merged partners that ends Odoo's merge into the trash.
MERGE_INTO_CONTEXT_KEY = "_extrabat_merge_into"


class MergeInto:
    """The partners a merge puts in the trash (``src_ids``), the one they
    are merged into (``dst_id``) and the values the user chose to keep
    (``plan``: see the merge wizard's ``_extrabat_merge_plan``)."""

    __slots__ = ("dst_id", "plan", "src_ids")

    def __init__(self, src_ids, dst_id, plan=None):
        self.src_ids = frozenset(src_ids)
        self.dst_id = dst_id
        self.plan = plan


# Context key of the addon's own writes (trash bookkeeping, codes just
# claimed...): they skip the transitions and checks of write(). Its value
# must be _INTERNAL_WRITE, which no RPC call can send.
_INTERNAL_WRITE_KEY = "_extrabat_internal_write"
_INTERNAL_WRITE = ServerOnlyValue("INTERNAL_WRITE")
# Trash, merge and GDPR bookkeeping: facts that only the server states (the
# GDPR anonymisation trusts them). Refused in create/write from clients
# (forms, imports, RPC); the addon writes them with _internal_write().
_SERVER_ONLY_FIELDS = frozenset(
    {
        "client_since",
        "is_trashed",
        "trash_date",
        "trash_user_id",
        "trash_previous_status_id",
        "archived_by_trash",
        "gdpr_anonymized_date",
        "extrabat_merged_into_id",
        "extrabat_merge_date",
    }
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS ===

    client_status_id = fields.Many2one(
        "extrabat.client.status",
        default=lambda self: self.env["extrabat.client.status"]._get_default_status(),
        index=True,
        copy=False,
        tracking=True,
        ondelete="restrict",
        group_expand="_read_group_expand_full",
    )
    client_since = fields.Datetime(
        copy=False,
        help="When this partner became a client: its first confirmed order or "
        "customer invoice, or the first time it was given the client status.",
    )
    is_trashed = fields.Boolean(
        string="In the Trash",
        compute="_compute_is_trashed",
        store=True,
        index=True,
    )
    trash_date = fields.Datetime(string="Trashed on", copy=False, readonly=True)
    trash_user_id = fields.Many2one(
        "res.users", string="Trashed by", copy=False, readonly=True
    )
    trash_previous_status_id = fields.Many2one(
        "extrabat.client.status",
        string="Status Before the Trash",
        copy=False,
        readonly=True,
        ondelete="set null",
    )
    # Set on the partner and the contacts that the trash archived, so that a
    # restore re-activates exactly them (not those archived before).
    archived_by_trash = fields.Boolean(copy=False, readonly=True)

    # === COMPUTE ===

    @api.depends("client_status_id.is_trash")
    def _compute_is_trashed(self):
        for partner in self:
            partner.is_trashed = partner.client_status_id.is_trash

    # === CRUD ===

    @api.model
    def _commercial_fields(self):
        # Managed by the commercial partner, copied to its contacts.
        return super()._commercial_fields() + [
            "ref",
            "client_status_id",
            "client_since",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        self._check_server_only_create(vals_list)
        for vals in vals_list:
            if "ref" in vals:
                vals["ref"] = self._normalize_ref(
                    vals["ref"], client_code=self._vals_make_commercial(vals)
                )
                if vals["ref"] and self._vals_make_commercial(vals):
                    self._check_client_code_free(
                        vals["ref"],
                        self.env["res.company"].browse(vals.get("company_id")),
                    )
        partners = super().create(vals_list)
        partners._set_client_since_from_status()
        # Created right in the trash (an import from Extrabat, RPC): as if
        # trashed from the default status.
        created_trashed = partners.filtered(
            lambda p: p.is_trashed and p._is_commercial_partner()
        )
        if created_trashed:
            default_status = self.env["extrabat.client.status"]._get_default_status()
            created_trashed._archive_trashed(
                dict.fromkeys(created_trashed.ids, default_status)
            )
        return partners

    def write(self, vals):
        if isinstance(vals.get("parent_id"), models.BaseModel):
            # base accepts a record here, account's write() does not.
            vals = dict(vals, parent_id=vals["parent_id"].id)
        if "ref" in vals:
            client_code = any(partner._will_be_commercial(vals) for partner in self)
            vals = dict(
                vals, ref=self._normalize_ref(vals["ref"], client_code=client_code)
            )
        own_refs = self._get_contacts_own_refs() if "ref" in vals else {}
        if self.env.context.get(_INTERNAL_WRITE_KEY) is _INTERNAL_WRITE:
            res = super().write(vals)
            self._restore_contacts_own_refs(own_refs)
            return res
        self._check_server_only_write(vals)
        if vals.get("active") and "client_status_id" not in vals:
            self._check_can_unarchive()
            # Un-archiving a trashed client is restoring it.
            trashed = self.filtered(
                lambda p: p.is_trashed and p._is_commercial_partner()
            )
            trashed._extrabat_restore()
        to_trash, to_restore = self._split_trash_transitions(vals)
        if vals.get("ref"):
            for partner in self:
                if partner._will_be_commercial(vals):
                    company = (
                        self.env["res.company"].browse(vals["company_id"])
                        if "company_id" in vals
                        else partner.company_id
                    )
                    partner._check_client_code_free(vals["ref"], company)
        self._drop_inherited_commercial_values(vals)
        previous_status = {partner.id: partner.client_status_id for partner in to_trash}
        if to_restore:
            to_restore._reactivate_trashed()
        res = super().write(vals)
        if to_trash:
            to_trash._archive_trashed(previous_status)
        if to_restore:
            to_restore._internal_write(
                {
                    "trash_date": False,
                    "trash_user_id": False,
                    "trash_previous_status_id": False,
                }
            )
        if "client_status_id" in vals:
            self._set_client_since_from_status()
        self._restore_contacts_own_refs(own_refs)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_extrabat_trash(self):
        """Nothing is ever deleted: partners go to the trash (Corbeille).

        Server-side flows that really must delete use
        :meth:`_unlink_bypassing_trash`; Odoo's merge wizard trashes instead
        (see :meth:`unlink` and the wizard).
        """
        if self.env.context.get(PARTNER_UNLINK_CONTEXT_KEY) is PARTNER_UNLINK_ALLOWED:
            return
        raise UserError(
            self.env._(
                "Contacts are never deleted. Put the client in the trash "
                "instead (button “Put in the Trash”, or the status "
                "Corbeille): it disappears from searches and can be restored "
                "from Contacts › Trash. A contact of a company can be "
                "archived.\n\nContacts you tried to delete: %(names)s",
                names=", ".join(self[:10].mapped("display_name")),
            )
        )

    def _internal_write(self, vals):
        """Write ``vals`` without the status transitions and code checks of
        :meth:`write` (the addon's own bookkeeping)."""
        return self.with_context(**{_INTERNAL_WRITE_KEY: _INTERNAL_WRITE}).write(vals)

    def _unlink_bypassing_trash(self):
        """Really delete ``self``: the only way, for internal flows only
        (never reachable by RPC, being private)."""
        return self.with_context(
            **{PARTNER_UNLINK_CONTEXT_KEY: PARTNER_UNLINK_ALLOWED}
        ).unlink()

    # === ACTIONS ===

    def action_trash(self):
        """Put the clients in the trash (Corbeille): their status becomes the
        trash status, they and their contacts are archived. Contacts of a
        company cannot be trashed on their own (archive them)."""
        self.check_access("write")
        self._check_can_trash()
        self.filtered(lambda p: not p.is_trashed)._extrabat_trash()
        return True

    def action_restore(self):
        """Take the clients out of the trash, back to the exact state they
        had: their previous status and the contacts that were active.

        :return: a notification naming what was restored, then the view
            reloaded (``True`` when none was in the trash)
        """
        self.check_access("write")
        trashed = self.filtered("is_trashed")
        trashed._extrabat_restore()
        return trashed._restored_notification() if trashed else True

    def action_open_trash(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "extrabat_crm.res_partner_action_trash"
        )

    # === BUSINESS ===

    def _is_commercial_partner(self):
        self.ensure_one()
        return self.commercial_partner_id == self

    def _check_can_trash(self):
        contacts = self.filtered(lambda p: not p._is_commercial_partner())
        if contacts:
            raise UserError(
                self.env._(
                    "Only a client (a company or an individual) can be put in "
                    "the trash. “%(contact)s” is a contact of “%(company)s”: "
                    "trash the company, or archive the contact.",
                    contact=contacts[0].display_name,
                    company=contacts[0].commercial_partner_id.display_name,
                )
            )
        companies = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        if companies:
            raise UserError(
                self.env._(
                    "“%(partner)s” is the address of your company “%(company)s”: "
                    "it cannot be put in the trash.",
                    partner=companies[0].partner_id.display_name,
                    company=companies[0].name,
                )
            )
        users = (
            self.env["res.users"]
            .sudo()
            .search([("partner_id.commercial_partner_id", "in", self.ids)])
        )
        if users:
            raise UserError(
                self.env._(
                    "“%(partner)s” is linked to the user “%(user)s”: archive the "
                    "user first, then put the contact in the trash.",
                    partner=users[0].partner_id.display_name,
                    user=users[0].name,
                )
            )

    def _check_can_unarchive(self):
        """A contact of a trashed client comes back with its client (restore
        the client), never alone: it would be active under a client that is
        in the trash.

        :raise UserError: naming the contact and the client to restore
        """
        contacts = self.filtered(
            lambda p: (
                not p._is_commercial_partner()
                and p.commercial_partner_id.is_trashed
                and p.commercial_partner_id not in self
            )
        )
        if contacts:
            raise UserError(
                self.env._(
                    "“%(contact)s” cannot be unarchived: “%(company)s” is in the "
                    "trash. Restore the company instead (Contacts › Trash): its "
                    "contacts come back with it.",
                    contact=contacts[0].display_name,
                    company=contacts[0].commercial_partner_id.display_name,
                )
            )

    @api.model
    def _get_server_only_fields(self):
        """Fields that clients (forms, imports, RPC) never set: the trash,
        merge and GDPR bookkeeping, which the GDPR anonymisation trusts.
        The addon writes them with :meth:`_internal_write`. Extend it with
        ``super()``.

        :return: set of field names
        """
        return set(_SERVER_ONLY_FIELDS)

    def _server_only_refused(self, fnames):
        """:raise AccessError: naming the fields ``fnames``"""
        labels = sorted(
            self._fields[fname]._description_string(self.env) for fname in fnames
        )
        raise AccessError(
            self.env._(
                "These fields are kept by Extrabat itself (trash, merge and "
                "GDPR bookkeeping) and cannot be set by hand, by an import or "
                "through the API: %(fields)s.",
                fields=", ".join(labels),
            )
        )

    @api.model
    def default_get(self, fields):
        """Server-only fields get no default from the users' saved defaults
        (``ir.default``, which any user may set for themselves over RPC):
        create() adds defaults after :meth:`_check_server_only_create`."""
        defaults = super().default_get(fields)
        if self.env.context.get(_INTERNAL_WRITE_KEY) is not _INTERNAL_WRITE:
            for fname in self._get_server_only_fields().intersection(defaults):
                field = self._fields[fname]
                defaults[fname] = field.default(self) if field.default else False
        return defaults

    @api.model
    def _check_server_only_create(self, vals_list):
        """Refuse a server-only field given a value at creation (a client
        backdating a trash date, an import of a "client since"...).

        :raise AccessError: naming the fields
        """
        if self.env.context.get(_INTERNAL_WRITE_KEY) is _INTERNAL_WRITE:
            return
        protected = self._get_server_only_fields()
        refused = {
            fname
            for vals in vals_list
            for fname in protected.intersection(vals)
            if vals[fname]
        }
        # Defaults sent in the context (default_trash_date...) too: create()
        # applies them after this check.
        refused.update(
            fname for fname in protected if self.env.context.get(f"default_{fname}")
        )
        if refused:
            self._server_only_refused(refused)

    def _check_server_only_write(self, vals):
        """Refuse a change of a server-only field from outside the addon's
        own code. Allowed: a value that does not change anything (a record
        saved or imported as it was exported); on a contact, the value of
        its commercial partner (Odoo's synchronisation of commercial fields,
        e.g. "client since"); on the partner kept by a running merge (the
        wizard gives it back its own values right after Odoo's pass).

        :raise AccessError: naming the fields
        """
        fnames = self._get_server_only_fields().intersection(vals)
        if not fnames:
            return
        merge = self.env.context.get(MERGE_INTO_CONTEXT_KEY)
        if isinstance(merge, MergeInto) and set(self.ids) <= {merge.dst_id}:
            return
        commercial_fields = set(self._commercial_fields())
        refused = set()
        for fname in fnames:
            field = self._fields[fname]
            for partner in self:
                value = field.convert_to_record(
                    field.convert_to_cache(vals[fname], partner), partner
                )
                if value == partner[fname]:
                    continue
                commercial = partner.commercial_partner_id
                if (
                    fname in commercial_fields
                    and commercial != partner
                    and value == commercial[fname]
                ):
                    continue
                refused.add(fname)
                break
        if refused:
            self._server_only_refused(refused)

    def _extrabat_trash(self):
        trash_status = self.env["extrabat.client.status"]._get_trash_status()
        self.write({"client_status_id": trash_status.id})

    def _extrabat_restore(self):
        default_status = self.env["extrabat.client.status"]._get_default_status()
        by_status = defaultdict(lambda: self.browse())
        for partner in self:
            previous = partner.trash_previous_status_id
            usable = previous.active and not previous.is_trash
            by_status[previous if usable else default_status] |= partner
        for status, partners in by_status.items():
            partners.write({"client_status_id": status.id})

    def _restored_notification(self):
        """The confirmation shown after a restore: the client's name, or how
        many were restored.

        :return: an ``ir.actions.client`` that shows it, then closes (the
            view reloads, the restored clients leave the trash list)
        """
        if len(self) == 1:
            message = self.env._(
                "“%(name)s” is restored, with its contacts.", name=self.display_name
            )
        else:
            message = self.env._(
                "%(count)s clients are restored, with their contacts.", count=len(self)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Restored"),
                "message": message,
                "type": "success",
                "className": "o_extrabat_restored",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _split_trash_transitions(self, vals):
        """The commercial partners of ``self`` that ``vals`` puts in or takes
        out of the trash.

        :return: (partners entering the trash, partners leaving it)
        """
        empty = self.browse()
        if "client_status_id" not in vals:
            return empty, empty
        status = self.env["extrabat.client.status"].browse(vals["client_status_id"])
        commercial = self.filtered(lambda p: p._is_commercial_partner())
        if status.is_trash:
            to_trash = commercial.filtered(lambda p: not p.is_trashed)
            # Contacts take the trash status from their trashed company only
            # (synchronisation); on their own they cannot.
            (self - commercial).filtered(
                lambda p: (
                    not p.commercial_partner_id.is_trashed
                    and p.commercial_partner_id not in to_trash
                )
            )._check_can_trash()
            to_trash._check_can_trash()
            return to_trash, empty
        return empty, commercial.filtered("is_trashed")

    def _trash_scope(self):
        """The partners a trash operation archives: ``self`` and its contacts
        and addresses (not subsidiaries, which are clients of their own)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", self.ids)])
        )

    def _archive_trashed(self, previous_status):
        now = fields.Datetime.now()
        for partner in self:
            partner._internal_write(
                {
                    "trash_date": now,
                    "trash_user_id": self.env.uid,
                    "trash_previous_status_id": previous_status[partner.id].id,
                }
            )
        to_archive = self._trash_scope().filtered("active")
        to_archive._internal_write({"active": False, "archived_by_trash": True})

    def _reactivate_trashed(self):
        to_activate = self._trash_scope().filtered("archived_by_trash")
        to_activate._internal_write({"active": True, "archived_by_trash": False})

    def _set_client_since_from_status(self):
        newly_clients = self.filtered(
            lambda p: (
                p.client_status_id.is_client
                and not p.client_since
                and p._is_commercial_partner()
            )
        )
        if newly_clients:
            newly_clients._internal_write({"client_since": fields.Datetime.now()})

    @api.model
    def _vals_make_commercial(self, vals):
        """Whether a partner created with ``vals`` is its own commercial
        partner (a company, or a partner without parent)."""
        if "company_type" in vals:
            return vals["company_type"] == "company" or not vals.get("parent_id")
        return bool(vals.get("is_company")) or not vals.get("parent_id")

    def _will_be_commercial(self, vals):
        """Whether ``self`` is its own commercial partner once ``vals`` is
        written."""
        self.ensure_one()
        parent = vals.get("parent_id", self.parent_id.id)
        if "company_type" in vals:
            is_company = vals["company_type"] == "company"
        else:
            is_company = vals.get("is_company", self.is_company)
        return bool(is_company) or not parent

    def _drop_inherited_commercial_values(self, vals):
        """A contact that ``vals`` detaches from its company (or makes a
        company) does not keep the company's client code, status and
        history: it starts as a new prospect. Done before the write, so that
        the code is never held twice."""
        if (
            "parent_id" not in vals
            and "is_company" not in vals
            and ("company_type" not in vals)
        ):
            return
        for partner in self:
            if partner._is_commercial_partner() or not partner._will_be_commercial(
                vals
            ):
                continue
            former = partner.commercial_partner_id
            reset = {}
            if "ref" not in vals and partner.ref and partner.ref == former.ref:
                reset["ref"] = False
            elif "ref" not in vals and partner.ref:
                reset.update(partner._own_ref_as_client_code(vals))
            if "client_status_id" not in vals and (
                partner.client_status_id == former.client_status_id
            ):
                reset["client_status_id"] = (
                    self.env["extrabat.client.status"]._get_default_status().id
                )
                reset["client_since"] = False
            if reset:
                partner._internal_write(reset)
