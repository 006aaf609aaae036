"""Merging clients (fusion de fiches): the fields and hooks the extended Odoo
merge wizard uses (see wizards/ and readme/DEVELOP.md)."""

import psycopg2
import psycopg2.extras
from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL

from .res_partner import MERGE_INTO_CONTEXT_KEY, MergeInto


class ResPartner(models.Model):
    """Partners merged into another (fusion de fiches)."""

    # One file per concern, as Odoo splits big models.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # === FIELDS ===

    extrabat_merged_into_id = fields.Many2one(
        "res.partner",
        string="Merged Into",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The client this record was merged into: everything it held "
        "moved there, and this record stays in the trash.",
    )
    extrabat_merge_date = fields.Datetime(string="Merged on", copy=False, readonly=True)

    # === CRUD ===

    def unlink(self):
        # Odoo's merge wizard ends by deleting the merged partners: while our
        # merge runs, that deletion is the trash instead (see the wizard).
        merge = self.env.context.get(MERGE_INTO_CONTEXT_KEY)
        if isinstance(merge, MergeInto) and self.ids and set(self.ids) <= merge.src_ids:
            self._extrabat_put_merged_in_trash(self.browse(merge.dst_id))
            return True
        return super().unlink()

    # === BUSINESS ===

    def _extrabat_merge_preview_counts(self):
        """What the merge wizard's preview counts for this partner (and its
        contacts): extend it with ``super()`` to count more documents.

        :return: list of ``(label, count)``, in display order
        """
        self.ensure_one()
        scope = self.with_context(active_test=False).search(
            [("id", "child_of", self.id)]
        )
        env = self.env
        counts = []
        counts.append(
            (
                env._("Orders and quotations"),
                env["sale.order"].search_count([("partner_id", "in", scope.ids)]),
            )
        )
        counts.append(
            (
                env._("Invoices and credit notes"),
                env["account.move"].search_count(
                    [
                        ("partner_id", "in", scope.ids),
                        ("move_type", "!=", "entry"),
                    ]
                ),
            )
        )
        counts.append(
            (
                env._("Attachments"),
                env["ir.attachment"].search_count(
                    [("res_model", "=", "res.partner"), ("res_id", "in", scope.ids)]
                ),
            )
        )
        counts.append(
            (
                env._("Messages"),
                env["mail.message"].search_count(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "in", scope.ids),
                        ("message_type", "!=", "user_notification"),
                    ]
                ),
            )
        )
        counts.append((env._("Contacts"), len(scope - self)))
        return counts

    def _extrabat_merge_properties(self, src_partners):
        """Give this partner (kept by a merge) the native Properties values
        of ``src_partners`` it has no value for; where both hold different
        values, this partner's wins and the other one is written in its
        chatter. (Odoo's merge skips Properties, a computed field.)

        :return: list of ``(property label, source partner, discarded)``
        """
        self.ensure_one()
        self.flush_recordset(["properties"])
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, properties FROM res_partner WHERE id IN %s",
                    tuple((self | src_partners).ids),
                )
            )
        )
        kept = dict(rows.get(self.id) or {})
        definition = (
            self.env["properties.base.definition"]
            .sudo()
            ._get_definition_for_property_field("res.partner", "properties")
            .properties_definition
            or []
        )
        labels = {
            prop["name"]: prop.get("string") or prop["name"] for prop in definition
        }
        conflicts = []
        changed = False
        for src in src_partners - self:
            for key, value in (rows.get(src.id) or {}).items():
                if value in (None, False, "", []):
                    continue
                if kept.get(key) in (None, False, "", []):
                    kept[key] = value
                    changed = True
                elif kept[key] != value:
                    conflicts.append((labels.get(key, key), src, value))
        if changed:
            self.env.execute_query(
                SQL(
                    "UPDATE res_partner SET properties = %s WHERE id = %s",
                    psycopg2.extras.Json(kept),
                    self.id,
                )
            )
            self.invalidate_recordset(["properties"])
        if conflicts:
            self._extrabat_merge_log_list(
                self.env._(
                    "Properties filled differently by the merged clients; the "
                    "values of this client were kept, these were not:"
                ),
                [
                    self.env._(
                        "%(property)s: “%(discarded)s” (from %(partner)s)",
                        property=label,
                        discarded=value,
                        partner=src.display_name,
                    )
                    for label, src, value in conflicts
                ],
            )
        return conflicts

    def _extrabat_merge_log_list(self, title, items):
        """Write a note in the chatter of this partner: ``title``, then
        ``items`` as a list (:meth:`_extrabat_merge_list_body`).

        :return: the ``mail.message`` written
        """
        self.ensure_one()
        return self._message_log(body=self._extrabat_merge_list_body(title, items))

    def _extrabat_merge_list_body(self, title, items):
        """The HTML of every chatter message of a merge that lists values
        (values not kept, client codes, colliding rows, Properties and
        answers to complementary questions): ``title``, then ``items`` as a
        list.

        :param str title: the paragraph above the list (escaped)
        :param items: the list's items, each escaped unless ``Markup``
        :rtype: Markup
        """
        return Markup("<p>%s</p><ul>%s</ul>") % (
            title,
            Markup("").join(Markup("<li>%s</li>") % item for item in items),
        )

    def _extrabat_put_merged_in_trash(self, kept):
        """The end of a merge: ``self`` (merged into ``kept``, everything
        moved already) is marked as merged and put in the trash, never
        deleted. A contact of a company is detached from it first (only a
        client goes to the trash)."""
        now = fields.Datetime.now()
        for partner in self.sudo():
            if not partner._is_commercial_partner():
                partner.write({"parent_id": False})
            partner._internal_write(
                {"extrabat_merged_into_id": kept.id, "extrabat_merge_date": now}
            )
            if not partner.is_trashed:
                partner._extrabat_trash()
            partner._message_log(
                body=Markup("<p>%s %s</p>")
                % (self.env._("Merged into"), kept._get_html_link())
            )
