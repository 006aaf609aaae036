from odoo import api, models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # Complementary questions first: the answers the kept partner lacks
        # move to it, answered-differently ones are written in its chatter.
        # (Odoo's SQL pass would drop every answer of a merged partner as
        # soon as one question was answered by both.)
        dst_partner._extrabat_merge_question_answers(src_partners)
        return super()._update_foreign_keys(src_partners, dst_partner)
