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
    return env.services.orm.call("extrabat.dashboard.element", "get_list_action", [
        String(params.list_action || ""),
        String(params.list_domain || "[]"),
        String(params.list_name || ""),
        String(params.list_sig || ""),
    ]);
}
openDashboardList.path = "extrabat-dashboard-list";

registry.category("actions").add("extrabat_dashboard_list", openDashboardList);
