from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class DashboardMailController(http.Controller):
    """Preview in the browser and one-click unsubscribe."""

    @http.route(
        "/extrabat_dashboard_mail/preview/<int:subscription_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def preview(self, subscription_id):
        """ "Aperçu": the dashboard as it would be sent now. Record rules
        decide who may see it (the user, or an administrator)."""
        subscription = (
            request.env["extrabat.dashboard.subscription"]
            .browse(subscription_id)
            .exists()
        )
        if not subscription:
            raise NotFound()
        subscription.check_access("read")
        return request.make_response(
            subscription._render_preview(),
            headers=[("Content-Type", "text/html; charset=utf-8")],
        )

    # No CSRF token: mail clients POST the one-click unsubscribe themselves
    # (RFC 8058); the signed token in the address is the protection.
    @http.route(
        "/extrabat_dashboard_mail/unsubscribe/<int:subscription_id>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
    )
    def unsubscribe(self, subscription_id, token=None, **post):
        """GET: a page asking to confirm (link scanners and previews follow
        GET links: they must not unsubscribe anyone). POST: unsubscribe, from
        that page or from the mail client's one-click button."""
        subscription = (
            request.env["extrabat.dashboard.subscription"]
            .sudo()
            .browse(subscription_id)
            .exists()
        )
        if not subscription or not subscription._check_unsubscribe_token(token):
            raise NotFound()
        done = request.httprequest.method == "POST"
        if done:
            subscription._unsubscribe()
        user = subscription.user_id
        env = request.env(context=dict(request.env.context, lang=user.lang or "en_US"))
        values = {
            "email": user.email or user.name,
            "company": subscription.company_id.name,
        }
        if done:
            message = env._(
                "%(email)s will not receive the dashboard of %(company)s any more.",
                **values,
            )
        else:
            message = env._(
                "Stop sending the dashboard of %(company)s to %(email)s?", **values
            )
        html = env["ir.qweb"]._render(
            "extrabat_dashboard_mail.unsubscribe_page",
            {
                "done": done,
                "message": message,
                "action_url": f"/extrabat_dashboard_mail/unsubscribe/{subscription.id}",
                "token": token,
                "preferences_url": f"/odoo/{subscription._name}/{subscription.id}",
            },
        )
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")]
        )
