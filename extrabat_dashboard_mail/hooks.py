from odoo.tools import SQL


def post_init_hook(env):
    """Quotes already sent when the addon is installed: their quotation date
    stands for the day they were sent (the stored compute gave them the
    installation time)."""
    env.cr.execute(
        SQL(
            "UPDATE sale_order SET quotation_sent_date = date_order "
            "WHERE state = 'sent' AND date_order IS NOT NULL"
        )
    )
    env["sale.order"].invalidate_model(["quotation_sent_date"])
