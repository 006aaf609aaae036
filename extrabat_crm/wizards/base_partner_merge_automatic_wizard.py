from odoo import api, models

from ..models.res_partner import PARTNER_UNLINK_ALLOWED, PARTNER_UNLINK_CONTEXT_KEY

# Trash bookkeeping of the kept partner: never taken from a merged one.
_TRASH_FIELDS = (
    "trash_date",
    "trash_user_id",
    "trash_previous_status_id",
    "archived_by_trash",
    "gdpr_anonymized_date",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Keep Odoo's merge wizard working with client codes and the trash.

    The core ``_merge()`` deletes the merged partners: it is the one internal
    flow allowed to delete (explicit context, see ``res.partner``). Making the
    merge put them in the trash instead is the merge feature's job.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        return super(
            BasePartnerMergeAutomaticWizard,
            self.with_context(**{PARTNER_UNLINK_CONTEXT_KEY: PARTNER_UNLINK_ALLOWED}),
        )._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """The kept partner keeps its client code, or takes a merged one's
        (which is released first: codes are unique); it keeps its own trash
        bookkeeping."""
        moved_code = False
        if not dst_partner.ref:
            moved_code = next((p.ref for p in reversed(src_partners) if p.ref), False)
        with_code = src_partners.filtered("ref")
        if with_code:
            with_code.sudo().write({"ref": False})
        kept_trash_values = {fname: dst_partner[fname] for fname in _TRASH_FIELDS}
        res = super()._update_values(src_partners, dst_partner)
        vals = {
            fname: value.id if isinstance(value, models.BaseModel) else value
            for fname, value in kept_trash_values.items()
            if dst_partner[fname] != value
        }
        if moved_code and not dst_partner.ref:
            vals["ref"] = moved_code
        if vals:
            dst_partner.sudo().write(vals)
        return res
