import { markup } from "@odoo/owl";
import { registry } from "@web/core/registry";

/**
 * Opens, from a link of the dashboard by email, the list behind a figure:
 * /odoo/extrabat-dashboard-list?list_action=<xmlid>&list_domain=<json>&list_name=<title>&list_sig=<signature>
 *
 * The server checks the signature, builds the window action (with the
 * clicking user's rights) and the action manager opens it in place of this one.
 */
async function openDashboardList(env, action) {
    const params = action.params || {};
    const listAction = await env.services.orm.call(
        "extrabat.dashboard.list.link",
        "get_list_action",
        [
            String(params.list_action || ""),
            String(params.list_domain || "[]"),
            String(params.list_name || ""),
            String(params.list_sig || ""),
        ]
    );
    // The action service marks the help of the actions it loads itself as
    // HTML; this one comes from a plain RPC: without this, an empty list
    // shows the help's tags as text.
    if (listAction.help) {
        listAction.help = markup(listAction.help);
    }
    return listAction;
}
openDashboardList.path = "extrabat-dashboard-list";

registry.category("actions").add("extrabat_dashboard_list", openDashboardList);
